/**
 * Every format but Kubios's report is rows of text: optional lines before a header (SelfLoops writes
 * the recording's date on a line of its own), an optional header naming the columns, then one row
 * per beat, or all beats on one line (Welltory). Headerless rows of two or more numbers are a time
 * column and an RR column (Polar's two-column text) or simply a list of values.
 */
import {
	cellNumber,
	classifyHeader,
	delimiterOf,
	splitCells,
	type Column,
	type Delimiter
} from './columns';
import { epochFromNumber, parseFileDate, startFromFileName } from './dates';
import { RR_MARK, type RawValues, type RrRefusal } from './values';

const LETTER = /[A-Za-z\u00C0-\u024F\u0370-\u04FF\u3040-\u30FF\u4E00-\u9FFF]/;
/** A date line in a language whose month names are not known here: skipped, not read. */
const DATE_LIKE = /^\d{1,2}[ .-]\S+[ .-]\d{4}(?:[ ,T]+\d{1,2}:\d{2}(?::\d{2})?)?$/;

const refuse = (line: number, reason: string): RrRefusal => ({ ok: false, line, reason });

/** A cell that names something (a word), not a number or a date. */
function isWord(cell: string): boolean {
	if (!LETTER.test(cell)) return false;
	if (Number.isFinite(Number(cell))) return false;
	return parseFileDate(cell) === undefined;
}

function isBlank(line: string): boolean {
	const t = line.trim();
	return t === '' || t.startsWith('#');
}

export function readTable(lines: readonly string[], name: string): RawValues | RrRefusal {
	let preambleDate: number | undefined;
	for (let i = 0; i < lines.length; i++) {
		if (isBlank(lines[i])) continue;
		const raw = lines[i].trim();
		const wholeDate = parseFileDate(raw);
		if (wholeDate !== undefined) {
			preambleDate ??= wholeDate;
			continue;
		}
		if (DATE_LIKE.test(raw) && LETTER.test(raw)) continue;
		if (!LETTER.test(raw)) return readHeaderless(lines, i, name);
		const cells = splitCells(raw, delimiterOf(raw));
		if (cells.some(isWord)) return readWithHeader(lines, i, name, preambleDate);
		return readHeaderless(lines, i, name);
	}
	return refuse(Math.max(1, lines.length), 'the file holds no RR values');
}

function describeMissingRr(cols: readonly Column[]): string {
	const base = 'no RR column';
	const hr = cols.some((c) => c.kind === 'hr');
	const figures = cols.some((c) => c.kind === 'hrv-figure');
	if (hr || figures)
		return `${base}: this file holds ${hr ? 'heart rate' : ''}${hr && figures ? ' and ' : ''}${figures ? 'HRV figures' : ''} but no beat-to-beat (RR) intervals; export the app's RR file instead`;
	return `${base} (expected a column named like rr, rri or ibi)`;
}

function formatOf(cols: readonly Column[], rr: number, name: string, preamble: boolean): string {
	const names = cols.map((c) => c.name.toLowerCase());
	if (cols[rr].kind === 'pp')
		return names[0]?.startsWith('phone')
			? 'Polar Sensor Logger PPI (optical)'
			: 'Optical pulse intervals (PPI)';
	if (preamble && /^r-r/i.test(cols[rr].name)) return 'SelfLoops HRV';
	if (names[0]?.startsWith('phone')) return 'Polar Sensor Logger RR';
	if (names.some((n) => n === 'since_start' || n === 'since start'))
		return /fatmax/i.test(name) ? 'FatMaxxer RR log' : 'HRV Logger RR';
	return `Table with an RR column`;
}

function readWithHeader(
	lines: readonly string[],
	header: number,
	name: string,
	preambleDate: number | undefined
): RawValues | RrRefusal {
	const headLine = lines[header].trim();
	let delim = delimiterOf(headLine);
	let firstData = header + 1;
	while (firstData < lines.length && isBlank(lines[firstData])) firstData++;
	// A header without , ; or tab is one column name ("RR (ms)") unless the rows are space-separated.
	if (delim === ' ' && !(firstData < lines.length && /\S\s+\S/.test(lines[firstData].trim())))
		delim = '\t';
	const cells = splitCells(headLine, delim);
	const cols = classifyHeader(cells);
	const rr = cols.findIndex((c) => c.kind === 'rr' || c.kind === 'pp');
	if (rr < 0) return refuse(header + 1, describeMissingRr(cols));
	const optical = cols[rr].kind === 'pp';
	const blocker = cols.findIndex((c) => c.kind === 'blocker');
	const contact = cols.findIndex((c) => c.kind === 'contact');
	const supported = cols.findIndex((c) => c.kind === 'contact-supported');
	const stamp = cols.findIndex((c) => c.kind === 'stamp');
	const decimalComma = delim !== ',';
	const values: number[] = [];
	const lineOf: number[] = [];
	const marks: number[] = [];
	let anyMark = false;
	let startedAt = preambleDate;
	// Empatica's IBI.csv: the header's first cell is the Unix time of the recording's start.
	let headerEpoch = false;
	if (startedAt === undefined)
		for (const c of cells) {
			const t = /^\d{9,13}(\.\d+)?$/.test(c) ? epochFromNumber(Number(c)) : undefined;
			if (t !== undefined) {
				startedAt = t;
				headerEpoch = true;
				break;
			}
		}
	for (let i = firstData; i < lines.length; i++) {
		const line = lines[i];
		if (isBlank(line)) continue;
		const row = splitCells(line, delim);
		const cell = row[rr];
		if (cell === undefined || cell === '') return refuse(i + 1, 'the RR value is missing');
		const v = cellNumber(cell, decimalComma);
		if (!Number.isFinite(v)) return refuse(i + 1, `"${cell}" is not a number`);
		if (startedAt === undefined && values.length === 0) startedAt = dateInRow(row, stamp);
		let mark = 0;
		if (blocker >= 0 && row[blocker] === '1') mark |= RR_MARK.BLOCKED;
		if (contact >= 0 && row[contact] === '0' && (supported < 0 || row[supported] === '1'))
			mark |= RR_MARK.NO_CONTACT;
		if (mark) anyMark = true;
		values.push(v);
		lineOf.push(i + 1);
		marks.push(mark);
	}
	return {
		ok: true,
		format: headerEpoch ? 'Empatica IBI' : formatOf(cols, rr, name, preambleDate !== undefined),
		values,
		lineOf,
		unit: cols[rr].unit,
		column: cols[rr].name,
		startedAt,
		optical,
		marks: anyMark ? Uint8Array.from(marks) : undefined,
		lineCount: lines.length
	};
}

/** The date of the first row: its timestamp column (ISO text or Unix time), or any date cell. */
function dateInRow(row: readonly string[], stamp: number): number | undefined {
	if (stamp >= 0 && row[stamp] !== undefined) {
		const c = row[stamp];
		const t = /^\d{9,13}(\.\d+)?$/.test(c) ? epochFromNumber(Number(c)) : parseFileDate(c);
		if (t !== undefined) return t;
	}
	for (const c of row) {
		const t = parseFileDate(c);
		if (t !== undefined) return t;
	}
	return undefined;
}

const SAMPLE_ROWS = 50;

/** A one-column file written with decimal commas ("0,812", "812,5"), not two values a line. */
function decimalCommaColumn(sample: readonly string[]): boolean {
	const pairs: string[][] = [];
	for (const s of sample) {
		if (!/^-?\d+,\d+$/.test(s)) return false;
		pairs.push(s.split(','));
	}
	if (pairs.length === 0) return false;
	// Two whole intervals a line have a plausible integer on each side, always written alike.
	const lengths = new Set(pairs.map(([, b]) => b.length));
	return (
		lengths.size > 1 ||
		pairs.some(([a, b]) => +a < 100 || +b < 200 || (b.length > 1 && b[0] === '0'))
	);
}

function readHeaderless(
	lines: readonly string[],
	first: number,
	name: string
): RawValues | RrRefusal {
	const sample: string[] = [];
	for (let i = first; i < lines.length && sample.length < SAMPLE_ROWS; i++)
		if (!isBlank(lines[i])) sample.push(lines[i].trim());
	let delim: Delimiter = ' ';
	for (const d of ['\t', ';', ','] as const)
		if (sample.some((s) => s.includes(d))) {
			delim = d;
			break;
		}
	// "0,812 0,830 0,799": space-separated values written with decimal commas.
	if (
		delim === ',' &&
		sample.some((s) => /\s/.test(s)) &&
		sample.every((s) => s.split(/\s+/).every((t) => /^-?\d+(,\d+)?$/.test(t)))
	)
		delim = ' ';
	const decimalComma = delim !== ',' || decimalCommaColumn(sample);
	const single = sample.every((s) => (delim === ' ' ? !/\s/.test(s) : !s.includes(delim)));
	if (single || (delim === ',' && decimalComma))
		return readColumn(lines, first, name, decimalComma);
	return readRows(lines, first, delim, decimalComma);
}

/** One value per line: the common case, kept fast for day-long recordings. */
function readColumn(
	lines: readonly string[],
	first: number,
	name: string,
	decimalComma: boolean
): RawValues | RrRefusal {
	const values: number[] = [];
	const lineOf: number[] = [];
	for (let i = first; i < lines.length; i++) {
		const t = lines[i].trim();
		if (t === '' || t.startsWith('#')) continue;
		const v = cellNumber(t, decimalComma);
		if (!Number.isFinite(v)) return refuse(i + 1, `"${t}" is not a number`);
		values.push(v);
		lineOf.push(i + 1);
	}
	return {
		ok: true,
		format: startFromFileName(name) !== undefined ? 'Elite HRV' : 'One RR value per line',
		values,
		lineOf,
		lineCount: lines.length,
		firstMayBeOffset: true
	};
}

/**
 * Several numbers a line without a header. Rows of equal length with a column that only rises are
 * a time column beside an RR column (Polar's two-column text, in seconds; its time is not the
 * running sum of the intervals, so it is never used as such). Anything else is a list of values
 * in reading order (Welltory writes every value on one line).
 */
function readRows(
	lines: readonly string[],
	first: number,
	delim: Delimiter,
	decimalComma: boolean
): RawValues | RrRefusal {
	const rows: number[][] = [];
	const rowLine: number[] = [];
	let dateColumn = -1;
	let startedAt: number | undefined;
	for (let i = first; i < lines.length; i++) {
		if (isBlank(lines[i])) continue;
		const cells = splitCells(lines[i], delim);
		const row: number[] = [];
		for (let c = 0; c < cells.length; c++) {
			const cell = cells[c];
			if (cell === '' || c === dateColumn) continue;
			const v = cellNumber(cell, decimalComma);
			if (Number.isFinite(v)) {
				row.push(v);
				continue;
			}
			// A timestamp column in headerless rows: the first row's date is the recording's.
			const t = rows.length === 0 && dateColumn < 0 ? parseFileDate(cell) : undefined;
			if (t === undefined) return refuse(i + 1, `"${cell}" is not a number`);
			dateColumn = c;
			startedAt = t;
		}
		rows.push(row);
		rowLine.push(i + 1);
	}
	const width = rows[0]?.length ?? 0;
	if (rows.length >= 3 && width >= 2 && rows.every((r) => r.length === width)) {
		const time = risingColumn(rows, width);
		if (time >= 0) {
			let rr = -1;
			for (let c = 0; c < width && rr < 0; c++)
				if (c !== time && risingColumn(rows, width, c) < 0) rr = c;
			if (rr < 0) rr = time === 0 ? 1 : 0;
			return {
				ok: true,
				format: 'Time and RR columns',
				values: rows.map((r) => r[rr]),
				lineOf: rowLine,
				startedAt,
				lineCount: lines.length
			};
		}
	}
	const values: number[] = [];
	const lineOf: number[] = [];
	rows.forEach((r, k) => {
		for (const v of r) {
			values.push(v);
			lineOf.push(rowLine[k]);
		}
	});
	return {
		ok: true,
		format: rows.length === 1 ? 'RR values on one line' : 'RR values in rows',
		values,
		lineOf,
		startedAt,
		lineCount: lines.length
	};
}

/** The first column (or column `only`) that never falls and rises from row to row: a time axis. */
function risingColumn(rows: readonly number[][], width: number, only?: number): number {
	for (let c = only ?? 0; c < (only === undefined ? width : only + 1); c++) {
		let rises = 0;
		let falls = 0;
		for (let i = 1; i < rows.length; i++) {
			if (rows[i][c] > rows[i - 1][c]) rises++;
			else if (rows[i][c] < rows[i - 1][c]) falls++;
		}
		if (falls === 0 && rises >= 0.9 * (rows.length - 1)) return c;
	}
	return -1;
}
