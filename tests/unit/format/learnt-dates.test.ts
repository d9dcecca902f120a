import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { learnFormat, writeLearnt } from '$lib/format/learnt-dates';

/** The formats the app writes dates in (src/lib/format/format.ts). */
const APP_FORMATS: Intl.DateTimeFormatOptions[] = [
	{ month: 'short', day: 'numeric' },
	{ weekday: 'long', month: 'long', day: 'numeric' },
	{ dateStyle: 'medium' }
];
const LOCALES = [
	'en-US',
	'en-GB',
	'de-DE',
	'fr-FR',
	'es-ES',
	'pl-PL',
	'ru-RU',
	'cs-CZ',
	'fi-FI',
	'hu-HU',
	'lt-LT',
	'ja-JP',
	'zh-CN',
	'ko-KR',
	'he-IL',
	'hi-IN',
	'ar-EG',
	'th-TH',
	'fa-IR'
];

/** 3,000 times spread over 1970–2100, at every hour of the day. */
function spread(): Date[] {
	const out: Date[] = [];
	for (let i = 0; i < 3000; i++) out.push(new Date(Date.UTC(1970, 0, 1) + i * 15_937_811_000));
	return out;
}

describe('learnt date formats', () => {
	it('write exactly what Intl writes, in every locale, or are left to Intl', () => {
		let learnt = 0;
		for (const locale of LOCALES)
			for (const options of APP_FORMATS) {
				const format = learnFormat(options, locale);
				if (!format) continue;
				learnt++;
				const intl = new Intl.DateTimeFormat(locale, options);
				for (const date of spread())
					expect(writeLearnt(format, date), `${locale} ${JSON.stringify(options)}`).toBe(
						intl.format(date)
					);
			}
		// 49 of the 57 with Node 20's ICU; the 8 others are below.
		expect(learnt).toBeGreaterThanOrEqual(45);
	});

	it('are not learnt for other calendars, times of day, or text that is not its parts joined', () => {
		// Thai and Persian default to the Buddhist and Persian calendars.
		for (const options of APP_FORMATS) {
			expect(learnFormat(options, 'th-TH')).toBeNull();
			expect(learnFormat(options, 'fa-IR')).toBeNull();
		}
		expect(learnFormat({ dateStyle: 'medium', timeStyle: 'short' }, 'en-US')).toBeNull();
		expect(learnFormat({ hour: 'numeric', minute: '2-digit' }, 'en-GB')).toBeNull();
		// Its parts hold U+202F before "г.", its text a plain space.
		expect(learnFormat({ dateStyle: 'medium' }, 'ru-RU')).toBeNull();
		// Arabic-Indic digits are fine for days (written from the learnt list), not for years.
		expect(learnFormat({ month: 'short', day: 'numeric' }, 'ar-EG')).not.toBeNull();
		expect(learnFormat({ dateStyle: 'medium' }, 'ar-EG')).toBeNull();
	});
});

describe('dateFormat', () => {
	let storage: Map<string, string>;
	const KEY = 'settle-date-formats';
	const LONG_DAY = { weekday: 'long', month: 'long', day: 'numeric' } as const;
	const day = new Date(2026, 10, 26, 12).getTime();

	async function fresh() {
		vi.resetModules();
		return (await import('$lib/format/learnt-dates')).dateFormat;
	}

	beforeEach(() => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
		vi.setSystemTime(new Date(2026, 10, 26, 9));
		storage = new Map();
		vi.stubGlobal('localStorage', {
			getItem: (k: string) => storage.get(k) ?? null,
			setItem: (k: string, v: string) => void storage.set(k, v)
		});
		vi.stubGlobal('navigator', { languages: ['en-GB', 'en'], language: 'en-GB' });
	});
	afterEach(() => {
		vi.useRealTimers();
		vi.unstubAllGlobals();
		Intl.DateTimeFormat = RealFormat;
	});

	const RealFormat = Intl.DateTimeFormat;
	/** Counts the Intl date formatters built from now on. */
	function countBuilt() {
		const built = vi.fn();
		Intl.DateTimeFormat = function (...args: ConstructorParameters<typeof RealFormat>) {
			built();
			return new RealFormat(...args);
		} as unknown as typeof RealFormat;
		return built;
	}

	it('uses Intl the first time, learns when idle, and builds no formatter on the next visit', async () => {
		const first = (await fresh())(LONG_DAY);
		const built = countBuilt();
		const text = first(day);
		expect(text).toBe(new Intl.DateTimeFormat(undefined, LONG_DAY).format(day));
		expect(storage.has(KEY)).toBe(false);
		await vi.runAllTimersAsync();
		expect(JSON.parse(storage.get(KEY)!).languages).toBe('en-GB,en');

		built.mockClear();
		const next = (await fresh())(LONG_DAY);
		expect(next(day)).toBe(text);
		expect(next(day + 86_400_000)).toBe(
			new Intl.DateTimeFormat(undefined, LONG_DAY).format(day + 86_400_000)
		);
		expect(built).toHaveBeenCalledTimes(1); // only the expectation's own
		await vi.runAllTimersAsync();
		expect(built).toHaveBeenCalledTimes(1); // learnt today: not learnt again
	});

	it('learns again when the browser’s languages change, and a day later', async () => {
		(await fresh())(LONG_DAY)(day);
		await vi.runAllTimersAsync();
		const learntAt = JSON.parse(storage.get(KEY)!).learntAt;

		vi.stubGlobal('navigator', { languages: ['de-DE'], language: 'de-DE' });
		const built = countBuilt();
		(await fresh())(LONG_DAY)(day);
		expect(built).toHaveBeenCalled(); // the stored formats are English: Intl writes
		await vi.runAllTimersAsync();
		expect(JSON.parse(storage.get(KEY)!).languages).toBe('de-DE');

		vi.setSystemTime(new Date(2026, 10, 27, 10));
		(await fresh())(LONG_DAY)(day);
		await vi.runAllTimersAsync();
		expect(JSON.parse(storage.get(KEY)!).learntAt).toBeGreaterThan(learntAt);
	});

	it('learns every format the app defines when the first page writes a date', async () => {
		const dateFormat = await fresh();
		const short = dateFormat({ month: 'short', day: 'numeric' });
		dateFormat(LONG_DAY); // defined, never written on this page
		short(day);
		await vi.runAllTimersAsync();
		const built = countBuilt();
		vi.resetModules();
		const { dateFormat: next } = await import('$lib/format/learnt-dates');
		expect(next(LONG_DAY)(day)).toBe(new RealFormat(undefined, LONG_DAY).format(day));
		expect(built).not.toHaveBeenCalled();
	});

	it('stores exactly the formats the app defines, not one an older version did', async () => {
		const older = JSON.stringify({ year: 'numeric' });
		storage.set(
			KEY,
			JSON.stringify({ languages: 'en-GB,en', learntAt: 0, formats: { [older]: null } })
		);
		const dateFormat = await fresh();
		const short = dateFormat({ month: 'short', day: 'numeric' });
		dateFormat(LONG_DAY);
		short(day);
		await vi.runAllTimersAsync();
		expect(Object.keys(JSON.parse(storage.get(KEY)!).formats).sort()).toEqual([
			JSON.stringify({ month: 'short', day: 'numeric' }),
			JSON.stringify(LONG_DAY)
		]);
	});

	it('falls back to Intl on damaged, blocked or full storage', async () => {
		const expected = new Intl.DateTimeFormat(undefined, LONG_DAY).format(day);
		for (const damaged of [
			'{not json',
			JSON.stringify({ languages: 'en-GB,en', learntAt: Date.now(), formats: null }),
			JSON.stringify({
				languages: 'en-GB,en',
				learntAt: Date.now(),
				formats: { [JSON.stringify(LONG_DAY)]: { parts: ['weekday'], weekday: ['x'] } }
			})
		]) {
			storage.set(KEY, damaged);
			expect((await fresh())(LONG_DAY)(day)).toBe(expected);
		}
		vi.stubGlobal('localStorage', {
			getItem: () => {
				throw new Error('blocked');
			},
			setItem: () => {
				throw new Error('full');
			}
		});
		expect((await fresh())(LONG_DAY)(day)).toBe(expected);
		await vi.runAllTimersAsync();
	});
});
