/**
 * The traps real exports hold (issue 16), one test each: line endings, a missing final newline,
 * blank lines after headers, padded separators, byte-order marks, UTF-16, Latin-1, decimal commas,
 * ms with decimals, heart-rate files, annotation offsets, optical sensors' blocked beats; and the
 * pure helpers underneath (decoding, dates, fingerprints).
 */
import { describe, expect, it } from 'vitest';
import {
	RR_MARK,
	decodeRrBytes,
	parseFileDate,
	readRrBytes,
	readRrText,
	rrFingerprint,
	startFromFileName
} from '$lib/analysis';
import {
	HRV_LOGGER_START,
	KUBIOS_RR,
	POLAR_START,
	ann2rr,
	hrvLoggerFeatures,
	hrvLoggerHr,
	hrvLoggerLegacy,
	hrvLoggerRr,
	kubiosReport,
	latin1,
	polarHr,
	polarPpi,
	polarTwoColumn,
	restingRr,
	selfLoops,
	utf16,
	utf8,
	utf8Bom,
	welltory
} from '../../e2e/fixtures/import-files/formats';

const rr = restingRr(120, 41);
const ms = (r: ReturnType<typeof readRrText>) =>
	r.ok ? Array.from(r.rrMs, (v) => Math.round(v * 1000) / 1000) : r;

describe('Kubios HRV results', () => {
	const report = (eol: '\r\n' | '\n', spectrumRows?: number) =>
		kubiosReport({
			rrMs: KUBIOS_RR,
			version: '3.1.0.1',
			analyzedBy: 'Tests',
			measurementDate: 'xx/xx/xx xx:xx:xx',
			eol,
			spectrumRows
		});

	it('finds the RR column (third, in seconds) after ~100 lines of report, CRLF', () => {
		const text = report('\r\n');
		const marker = text.split('\r\n').findIndex((l) => l.startsWith('RR INTERVAL DATA'));
		expect(marker).toBeGreaterThan(80);
		const r = readRrText(text);
		expect(r).toMatchObject({ ok: true, format: 'Kubios HRV results', unit: 's' });
		expect(ms(r)).toEqual(KUBIOS_RR);
		// "xx/xx/xx xx:xx:xx": the report has no measurement date.
		expect(r.ok && r.startedAt).toBeUndefined();
	});

	it('stops where the RR column ends while the spectrum columns run on', () => {
		const lines = report('\n').split('\n');
		const lastBeat = lines.findLastIndex((l) => /^\s+,\s+[\d.]+,\s+[\d.]+,/.test(l));
		expect(lines[lastBeat + 1]).toMatch(/^\s+,\s+,\s+,\s+[\d.]+,/);
		expect(ms(readRrText(lines.join('\n')))).toEqual(KUBIOS_RR);
	});

	it('reads every beat when the spectrum ends first (as in the public 3.1 sample)', () => {
		expect(ms(readRrText(report('\n', 40)))).toEqual(KUBIOS_RR);
	});

	it('reads 3.3’s ISO-8859-1 file with a raw é, and its measurement date', () => {
		const bytes = latin1(
			kubiosReport({
				rrMs: KUBIOS_RR,
				version: '3.3.1',
				analyzedBy: 'Hélène Durand, Université de Genève',
				measurementDate: '15/03/2019 07:30:00',
				eol: '\n'
			})
		);
		expect(bytes.includes(0xe9)).toBe(true);
		const r = readRrBytes(bytes, 'séance.txt');
		expect(r).toMatchObject({ ok: true, encoding: 'windows-1252', format: 'Kubios HRV results' });
		expect(r.ok && r.startedAt).toBe(new Date(2019, 2, 15, 7, 30).getTime());
		expect(decodeRrBytes(bytes).text).toContain('Hélène');
	});
});

describe('line endings, final newlines, blank lines, padding', () => {
	it('reads the same format with LF and with CRLF line ends alike (SelfLoops)', () => {
		const lf = readRrText(selfLoops(rr, '\n'));
		const crlf = readRrText(selfLoops(rr, '\r\n'));
		expect(ms(lf)).toEqual(rr);
		expect(ms(crlf)).toEqual(rr);
		expect(lf.ok && crlf.ok && lf.startedAt === crlf.startedAt).toBe(true);
	});

	it('reads old Mac line ends (CR only)', () => {
		expect(ms(readRrText(rr.join('\r')))).toEqual(rr);
	});

	it('reads files without a final newline (HRV Logger, Welltory, Elite HRV)', () => {
		const logger = hrvLoggerRr(rr, HRV_LOGGER_START, 'timestamp, rr, since_start ');
		expect(logger.endsWith('\n')).toBe(false);
		expect(ms(readRrText(logger))).toEqual(rr);
		expect(ms(readRrText(welltory(rr)))).toEqual(rr);
		expect(ms(readRrText(rr.join('\n')))).toEqual(rr);
	});

	it('skips a blank line after the header (HRV Logger, FatMaxxer)', () => {
		const text = hrvLoggerRr(rr, HRV_LOGGER_START, 'timestamp,rr,since_start');
		expect(text.split('\n')[1]).toBe('');
		const r = readRrText(text, 'FatMaxOptimiser.20210606_161059.rr.csv');
		expect(r).toMatchObject({ ok: true, format: 'FatMaxxer RR log', startedAt: HRV_LOGGER_START });
		expect(ms(r)).toEqual(rr);
	});

	it('reads ", " separators with trailing spaces in header and rows', () => {
		const text = hrvLoggerLegacy(rr);
		expect(text.split('\n')[1]).toMatch(/\+0000, \d+ , \d+ $/);
		expect(ms(readRrText(text))).toEqual(rr);
	});

	it('reads Welltory’s single line: every interval space-separated, no newline', () => {
		const text = welltory(rr);
		expect(text).not.toMatch(/\n/);
		expect(readRrText(text)).toMatchObject({ ok: true, format: 'RR values on one line' });
		expect(ms(readRrText(text))).toEqual(rr);
	});
});

describe('encodings', () => {
	const table = `RR (ms)\n${rr.join('\n')}\n`;

	it('decodes UTF-8 with and without a byte-order mark, and reads a header after the mark', () => {
		expect(decodeRrBytes(utf8Bom('rr\n800'))).toEqual({
			text: 'rr\n800',
			encoding: 'utf-8',
			bom: true,
			binary: false
		});
		expect(decodeRrBytes(utf8('rr\n800'))).toMatchObject({ encoding: 'utf-8', bom: false });
		const r = readRrBytes(utf8Bom(table));
		expect(r).toMatchObject({ ok: true, column: 'RR (ms)', unit: 'ms' });
		expect(ms(r)).toEqual(rr);
	});

	it('decodes UTF-16 little- and big-endian with a byte-order mark, and without one', () => {
		for (const order of ['le', 'be'] as const) {
			const d = decodeRrBytes(utf16(table, order));
			expect(d).toMatchObject({ text: table, encoding: `utf-16${order}`, bom: true });
			expect(ms(readRrBytes(utf16(table, order)))).toEqual(rr);
			expect(decodeRrBytes(utf16(table, order, false))).toMatchObject({
				text: table,
				encoding: `utf-16${order}`,
				bom: false
			});
		}
	});

	it('falls back to Windows-1252 (ISO-8859-1) when the bytes are not UTF-8', () => {
		const d = decodeRrBytes(latin1('# Mesuré à Genève\n800\n810\n820'));
		expect(d).toMatchObject({ encoding: 'windows-1252', text: '# Mesuré à Genève\n800\n810\n820' });
		// Valid UTF-8 stays UTF-8.
		expect(decodeRrBytes(utf8('# Mesuré\n800')).encoding).toBe('utf-8');
	});

	it('refuses binary files (an image, a zip) instead of reading numbers out of them', () => {
		const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
		expect(readRrBytes(png, 'chart.png')).toEqual({
			ok: false,
			line: 0,
			reason: 'not a text file (it holds binary data)'
		});
	});
});

describe('numbers', () => {
	it('reads decimal commas: one value a line, ";" tables and space-separated lists', () => {
		const s = rr.map((v) => (v / 1000).toFixed(3).replace('.', ','));
		expect(readRrText(s.join('\n'))).toMatchObject({ ok: true, unit: 's' });
		expect(ms(readRrText(s.join('\n')))).toEqual(rr);
		expect(ms(readRrText(`Zeit;RR\n${s.map((v, i) => `${i},5;${v}`).join('\n')}`))).toEqual(rr);
		expect(ms(readRrText(s.join(' ')))).toEqual(rr);
		// ms with a decimal comma: "812,5".
		expect(ms(readRrText('812,5\n830,25\n799,125\n'))).toEqual([812.5, 830.25, 799.125]);
	});

	it('keeps two whole intervals a line apart from decimal commas', () => {
		expect(ms(readRrText('800,810\n790,805\n812,799\n'))).toEqual([800, 810, 790, 805, 812, 799]);
	});

	it('reads ms with three decimals', () => {
		const r = readRrText('812.500\n820.313\n828.125\n789.063\n');
		expect(r).toMatchObject({ ok: true, unit: 'ms' });
		expect(ms(r)).toEqual([812.5, 820.313, 828.125, 789.063]);
	});
});

describe('files that are not beat intervals, and values that are not beats', () => {
	it('refuses heart-rate files, saying they hold heart rate but no beat intervals', () => {
		for (const text of [
			polarHr(POLAR_START),
			hrvLoggerHr(HRV_LOGGER_START),
			hrvLoggerFeatures(HRV_LOGGER_START),
			'time,hr\n1,70\n2,71\n'
		]) {
			const r = readRrText(text);
			expect(r).toMatchObject({ ok: false, line: 1 });
			expect(!r.ok && r.reason).toMatch(
				/^no RR column: this file holds heart rate( and HRV figures)? but no beat-to-beat \(RR\) intervals/
			);
		}
		// A table of something else entirely keeps the plain reason.
		expect(readRrText('time,temperature\n1,36.5\n')).toMatchObject({
			ok: false,
			reason: 'no RR column (expected a column named like rr, rri or ibi)'
		});
	});

	it('leaves out ann2rr’s first value (the time to the first beat) instead of refusing the file', () => {
		const r = readRrText(ann2rr(rr));
		expect(r).toMatchObject({
			ok: true,
			unit: 's',
			format: 'Beat intervals from annotations (PhysioNet ann2rr)',
			leftOut: [
				{
					count: 1,
					reason:
						'the first value (225.8 s) is the time from the start of the recording to the first beat, not an interval between beats'
				}
			]
		});
		expect(ms(r)).toEqual(rr);
		// Anywhere else such a value still means the file is not what it claims.
		expect(readRrText(`0.8\n0.81\n225.8\n0.79\n0.8\n`)).toMatchObject({ ok: false, line: 3 });
	});

	it('reads SelfLoops: the date line, then "Time (ms),HR (bpm),R-R (ms)", the time starting negative', () => {
		const text = selfLoops(rr, '\n');
		expect(text.split('\n')[2]).toMatch(/^-42,/);
		const r = readRrText(text);
		expect(r).toMatchObject({
			ok: true,
			format: 'SelfLoops HRV',
			column: 'R-R (ms)',
			startedAt: new Date(2017, 7, 4, 12, 53, 19).getTime()
		});
		expect(ms(r)).toEqual(rr);
	});

	it('skips a SelfLoops date line in a language it cannot read, without guessing a date', () => {
		const text = selfLoops(rr, '\n').replace('04 August 2017', '04 августа 2017');
		const r = readRrText(text);
		expect(r).toMatchObject({ ok: true, format: 'Table with an RR column', startedAt: undefined });
		expect(ms(r)).toEqual(rr);
	});

	it('reads Polar Sensor Logger PPI: optical, duplicated "contact" columns, blocked beats flagged', () => {
		const r = readRrText(polarPpi(rr, POLAR_START, [5, 6], [30]));
		expect(r).toMatchObject({
			ok: true,
			optical: true,
			column: 'PP-interval [ms]',
			startedAt: POLAR_START + rr[0],
			flagged: [
				{ count: 2, reason: 'blocked: the optical sensor detected movement' },
				{ count: 1, reason: 'no skin contact' }
			]
		});
		if (!r.ok) return;
		expect(ms(r)).toEqual(rr);
		expect(r.flags[5]).toBe(RR_MARK.BLOCKED);
		expect(r.flags[6]).toBe(RR_MARK.BLOCKED);
		expect(r.flags[30]).toBe(RR_MARK.NO_CONTACT);
		expect([...r.flags].filter((f) => f !== 0)).toHaveLength(3);
	});

	it('keeps a blocked pulse that is out of range without refusing the file', () => {
		const spoilt = [...rr];
		spoilt[10] = 60; // a movement artefact: not an interval, but marked by the sensor
		const r = readRrText(polarPpi(spoilt, POLAR_START, [10], []));
		expect(r.ok && r.flags[10]).toBe(RR_MARK.BLOCKED | RR_MARK.OUT_OF_RANGE);
	});

	it('reads Polar’s two-column text by its RR column: the time column is not the running sum', () => {
		const text = polarTwoColumn(rr, false);
		const times = text
			.trim()
			.split('\n')
			.map((l) => +l.split(' ')[0]);
		let sum = times[0];
		const drift = rr.slice(1).map((v, i) => Math.abs((sum += v / 1000) - times[i + 1]));
		expect(Math.max(...drift)).toBeGreaterThan(0.05);
		const r = readRrText(text);
		expect(r).toMatchObject({ ok: true, format: 'Time and RR columns', unit: 's' });
		expect(ms(r)).toEqual(rr);
	});
});

describe('dates and fingerprints', () => {
	it('reads the dates apps write, local unless zoned, and no ambiguous ones', () => {
		const local = (...a: [number, number, number, number?, number?, number?, number?]) =>
			new Date(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0, a[5] ?? 0, a[6] ?? 0).getTime();
		expect(parseFileDate('04 August 2017 12:53:19')).toBe(local(2017, 8, 4, 12, 53, 19));
		expect(parseFileDate('04 agosto 2017 12:53:19')).toBe(local(2017, 8, 4, 12, 53, 19));
		expect(parseFileDate('10 1月 2026 16:08:50')).toBe(local(2026, 1, 10, 16, 8, 50));
		expect(parseFileDate('13-Sep-2018 13:15:19')).toBe(local(2018, 9, 13, 13, 15, 19));
		expect(parseFileDate('2024-03-05T07:12:44.120')).toBe(local(2024, 3, 5, 7, 12, 44, 120));
		expect(parseFileDate('2025-03-11 09:57:38 +0000')).toBe(Date.UTC(2025, 2, 11, 9, 57, 38));
		expect(parseFileDate('2025-03-11T09:57:38+01:00')).toBe(Date.UTC(2025, 2, 11, 8, 57, 38));
		expect(parseFileDate('05.03.2024 07:12')).toBe(local(2024, 3, 5, 7, 12));
		expect(parseFileDate('15/03/2019 07:30:00')).toBe(local(2019, 3, 15, 7, 30));
		expect(parseFileDate('03/15/2019 07:30:00')).toBe(local(2019, 3, 15, 7, 30));
		expect(parseFileDate('05/03/2024 07:12:00')).toBeUndefined();
		expect(parseFileDate('xx/xx/xx xx:xx:xx')).toBeUndefined();
		expect(parseFileDate('2024-02-30 07:00:00')).toBeUndefined();
		expect(parseFileDate('812')).toBeUndefined();
	});

	it('reads the start written into file names (Elite HRV, FatMaxxer)', () => {
		expect(startFromFileName('2024-03-05 07-12-44.txt')).toBe(
			new Date(2024, 2, 5, 7, 12, 44).getTime()
		);
		expect(startFromFileName('FatMaxOptimiser.20210606_161059.rr.csv')).toBe(
			new Date(2021, 5, 6, 16, 10, 59).getTime()
		);
		expect(startFromFileName('20170804001r.txt')).toBeUndefined();
		expect(startFromFileName('export.txt')).toBeUndefined();
	});

	it('fingerprints a recording by its intervals and its own date, not its file', () => {
		const a = Float64Array.from(rr);
		expect(rrFingerprint(a)).toBe(rrFingerprint(Float64Array.from(rr)));
		expect(rrFingerprint(a)).toMatch(/^rr1-[0-9a-f]{16}-120$/);
		const b = Float64Array.from(rr);
		b[60] += 1;
		expect(rrFingerprint(b)).not.toBe(rrFingerprint(a));
		expect(rrFingerprint(a, POLAR_START)).not.toBe(rrFingerprint(a));
		expect(rrFingerprint(a, POLAR_START)).toBe(rrFingerprint(a, POLAR_START));
	});
});
