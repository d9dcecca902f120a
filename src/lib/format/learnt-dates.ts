/**
 * Dates as the person's locale writes them, without building an Intl formatter as a page opens.
 *
 * A tab's first Intl formatter loads the locale's data: 15–40 ms, measured in Chromium on a 2-core
 * machine, which History in a new tab paid before its calendar and charts could show. So each date
 * format is learnt from Intl once: the order of its parts, the words for every month and weekday,
 * how each day of the month is written. That is kept in localStorage and written from there on later
 * visits. It is learnt again, once the page is idle, when the browser's languages change or a day
 * after it was last learnt; only then does a tab build a formatter it did not need.
 *
 * A format is learnt only if writing it from its parts gives exactly Intl's text on every day of a
 * leap year; otherwise (another calendar, years not in 0–9 digits, words that change with the
 * date) Intl writes it, as before. Formats with a time of day are always left to Intl.
 */

import { whenIdle } from '$lib/when-idle';

type Field = 'weekday' | 'month' | 'day' | 'year';
const FIELDS = new Set<string>(['weekday', 'month', 'day', 'year']);

/** A format's parts in order: a field's name, or a literal as `=text`. */
export interface LearntFormat {
	parts: string[];
	/** Indexed by getDay(), getMonth(), getDate() − 1. */
	weekday?: string[];
	month?: string[];
	day?: string[];
}

interface Stored {
	languages: string;
	learntAt: number;
	formats: Record<string, LearntFormat | null>;
}

const STORAGE_KEY = 'settle-date-formats';
const RELEARN_AFTER_MS = 86_400_000;

/** Local noon on every day of 2024: every month, weekday and day of the month (with 29 February). */
function sampleDays(): Date[] {
	const days: Date[] = [];
	for (let d = new Date(2024, 0, 1, 12); d.getFullYear() === 2024; d.setDate(d.getDate() + 1))
		days.push(new Date(d));
	return days;
}

function fieldIndex(field: Field, date: Date): number {
	return field === 'weekday'
		? date.getDay()
		: field === 'month'
			? date.getMonth()
			: date.getDate() - 1;
}

/** Writes `date` from a learnt format. */
export function writeLearnt(format: LearntFormat, date: Date): string {
	let text = '';
	for (const part of format.parts) {
		if (part.startsWith('=')) text += part.slice(1);
		else if (part === 'year') text += String(date.getFullYear());
		else text += format[part as Exclude<Field, 'year'>]![fieldIndex(part as Field, date)];
	}
	return text;
}

/** The format as parts and words, or null when it cannot be written that way exactly. */
export function learnFormat(
	options: Intl.DateTimeFormatOptions,
	locale?: string
): LearntFormat | null {
	const intl = new Intl.DateTimeFormat(locale, options);
	if (intl.resolvedOptions().calendar !== 'gregory') return null;
	const days = sampleDays();
	const first = intl.formatToParts(days[0]);
	const format: LearntFormat = { parts: [] };
	for (const p of first) {
		if (p.type === 'literal') format.parts.push(`=${p.value}`);
		else if (FIELDS.has(p.type)) format.parts.push(p.type);
		else return null;
		if (p.type !== 'literal' && p.type !== 'year')
			format[p.type as 'weekday' | 'month' | 'day'] = [];
	}
	for (const date of days) {
		const parts = intl.formatToParts(date);
		if (parts.length !== format.parts.length) return null;
		for (let i = 0; i < parts.length; i++) {
			const { type, value } = parts[i];
			const part = format.parts[i];
			if (type === 'literal') {
				if (part !== `=${value}`) return null;
			} else if (type !== part) {
				return null;
			} else if (type === 'year') {
				if (value !== String(date.getFullYear())) return null;
			} else {
				const field = type as 'weekday' | 'month' | 'day';
				const words = format[field]!;
				const at = fieldIndex(field, date);
				if ((words[at] ??= value) !== value) return null;
			}
		}
	}
	// format() is not always the parts joined: ru-RU's medium date has U+202F in its parts and a
	// plain space in its text. What counts is the text.
	for (const date of days) if (writeLearnt(format, date) !== intl.format(date)) return null;
	return format;
}

const languages = () =>
	typeof navigator === 'undefined' ? '' : (navigator.languages ?? [navigator.language]).join(',');

const LENGTHS = { weekday: 7, month: 12, day: 31 } as const;

/** A stored format that writeLearnt() can use without failing (storage may hold anything). */
function usable(format: unknown): format is LearntFormat {
	if (typeof format !== 'object' || format === null) return false;
	const f = format as Record<string, unknown>;
	if (!Array.isArray(f.parts)) return false;
	return f.parts.every(
		(part) =>
			typeof part === 'string' &&
			(part.startsWith('=') ||
				part === 'year' ||
				(part in LENGTHS &&
					Array.isArray(f[part]) &&
					(f[part] as unknown[]).length === LENGTHS[part as keyof typeof LENGTHS] &&
					(f[part] as unknown[]).every((w) => typeof w === 'string')))
	);
}

function readStored(): Stored | undefined {
	try {
		const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Stored | null;
		return stored?.languages === languages() &&
			typeof stored.learntAt === 'number' &&
			typeof stored.formats === 'object' &&
			stored.formats !== null
			? stored
			: undefined;
	} catch {
		return undefined; // No storage (Node, blocked) or a damaged entry: Intl writes every date.
	}
}

let stored: Stored | undefined | null = null;
/** The formats this app defines, by key: each learning covers them all, and only them. */
const used = new Map<string, Intl.DateTimeFormatOptions>();
let relearning = false;

const idle = (fn: () => void) => whenIdle(fn, 10_000, 1000);

/** Learns every known format again, one per idle moment (1–3 ms each), then stores them. */
function relearnWhenIdle(): void {
	if (relearning || typeof localStorage === 'undefined') return;
	relearning = true;
	const formats: Record<string, LearntFormat | null> = {};
	const keys = [...used.keys()];
	const step = () => {
		const key = keys.shift();
		if (key === undefined) {
			const next: Stored = { languages: languages(), learntAt: Date.now(), formats };
			try {
				localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
			} catch {
				// Storage full or blocked: Intl keeps writing dates, and learning is tried next time.
			}
			return;
		}
		try {
			formats[key] = learnFormat(used.get(key)!);
		} catch {
			formats[key] = null;
		}
		idle(step);
	};
	idle(step);
}

/** A function writing epoch ms in `options`' format, in the browser's locale. */
export function dateFormat(options: Intl.DateTimeFormatOptions): (epochMs: number) => string {
	const key = JSON.stringify(options);
	// Learnt with the others whichever page writes a date first, so that a page opened later
	// finds its formats learnt even if it is the first to write them.
	used.set(key, options);
	let learnt: LearntFormat | null | undefined;
	let intl: Intl.DateTimeFormat | undefined;
	return (epochMs) => {
		if (learnt === undefined) {
			if (stored === null) stored = readStored();
			const format = stored?.formats[key];
			learnt = usable(format) ? format : null;
			if (!stored || !(key in stored.formats) || Date.now() - stored.learntAt > RELEARN_AFTER_MS)
				relearnWhenIdle();
		}
		if (learnt) return writeLearnt(learnt, new Date(epochMs));
		return (intl ??= new Intl.DateTimeFormat(undefined, options)).format(epochMs);
	};
}
