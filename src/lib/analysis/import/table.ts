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
	quoteCell,
	splitCells,
	type Column,
	type Delimiter
} from './columns';
import { epochFromNumber, parseFileDate, startFromFileName } from './dates';
import { isSpace, type Lines } from './lines';
import type { Sliced } from './slices';
import { Collected, RR_MARK, type RawValues, type RrRefusal } from './values';

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

/** Lines (or cells) between pauses. */
const STEP = 1 << 10;

/** How much of a line the format is told from: its cells are read whole, later, in slices. */
const PROBE_CHARS = 1 << 16;

/**
 * The start of a long line, cut after a whole value (at a space, else a delimiter), to tell the
 * format from: a line of ten million values is not searched whole for letters and delimiters.
 */
export function probe(line: string): string {
	if (line.length <= PROBE_CHARS) return line;
	let cut = -1;
	for (let i = PROBE_CHARS; i > PROBE_CHARS / 2; i--)
		if (isSpace(line.charCodeAt(i))) {
			cut = i;
			break;
		}
	if (cut < 0)
		cut = Math.max(line.lastIndexOf(',', PROBE_CHARS), line.lastIndexOf(';', PROBE_CHARS));
	return line.slice(0, cut > 0 ? cut : PROBE_CHARS).trimEnd();
}

export function* readTable(lines: Lines, name: string): Sliced<RawValues | RrRefusal> {
	let preambleDate: number | undefined;
	for (let i = 0; ; i++) {
		const line = lines.at(i);
		if (line === undefined) break;
		if ((i & (STEP - 1)) === 0) yield;
		if (isBlank(line)) continue;
		const raw = probe(line.trim());
		const wholeDate = parseFileDate(raw);
		if (wholeDate !== undefined) {
			preambleDate ??= wholeDate;
			continue;
		}
		if (DATE_LIKE.test(raw) && LETTER.test(raw)) continue;
		if (!LETTER.test(raw)) return yield* readHeaderless(lines, i, name);
		const cells = splitCells(raw, delimiterOf(raw));
		if (cells.some(isWord)) return yield* readWithHeader(lines, i, name, preambleDate);
		return yield* readHeaderless(lines, i, name);
	}
	return refuse(Math.max(1, lines.count()), 'the file holds no RR values');
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

function* readWithHeader(
	lines: Lines,
	header: number,
	name: string,
	preambleDate: number | undefined
): Sliced<RawValues | RrRefusal> {
	const headLine = probe(lines.at(header)!.trim());
	let delim = delimiterOf(headLine);
	let firstData = header + 1;
	for (;;) {
		const line = lines.at(firstData);
		if (line === undefined || !isBlank(line)) break;
		firstData++;
	}
	// A header without , ; or tab is one column name ("RR (ms)") unless the rows are space-separated.
	const firstLine = lines.at(firstData);
	if (delim === ' ' && !(firstLine !== undefined && /\S\s+\S/.test(probe(firstLine.trim()))))
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
	// Rows are split as far as their columns are read (the first, searched for a date, further).
	const used = Math.max(rr, blocker, contact, supported, stamp) + 1;
	const firstRowCells = Math.max(used, cells.length, 64);
	const decimalComma = delim !== ',';
	const collected = new Collected();
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
	for (let i = firstData; ; i++) {
		const line = lines.at(i);
		if (line === undefined) break;
		if ((i & (STEP - 1)) === 0) yield;
		if (isBlank(line)) continue;
		const firstRow = startedAt === undefined && collected.total === 0;
		const row = splitCells(line, delim, firstRow ? firstRowCells : used);
		const cell = row[rr];
		if (cell === undefined || cell === '') return refuse(i + 1, 'the RR value is missing');
		const v = cellNumber(cell, decimalComma);
		if (!Number.isFinite(v)) return refuse(i + 1, `${quoteCell(cell)} is not a number`);
		if (firstRow) startedAt = dateInRow(row, stamp);
		let mark = 0;
		if (blocker >= 0 && row[blocker] === '1') mark |= RR_MARK.BLOCKED;
		if (contact >= 0 && row[contact] === '0' && (supported < 0 || row[supported] === '1'))
			mark |= RR_MARK.NO_CONTACT;
		collected.push(v, i + 1, mark);
	}
	return {
		ok: true,
		format: headerEpoch ? 'Empatica IBI' : formatOf(cols, rr, name, preambleDate !== undefined),
		...collected.raw(),
		unit: cols[rr].unit,
		column: cols[rr].name,
		startedAt,
		optical,
		lineCount: lines.count()
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

function* readHeaderless(lines: Lines, first: number, name: string): Sliced<RawValues | RrRefusal> {
	const sample: string[] = [];
	for (let i = first; sample.length < SAMPLE_ROWS; i++) {
		const line = lines.at(i);
		if (line === undefined) break;
		if (!isBlank(line)) sample.push(probe(line.trim()));
	}
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
		return yield* readColumn(lines, first, name, decimalComma);
	return yield* readRows(lines, first, delim, decimalComma);
}

/** One value per line: the common case, kept fast for day-long recordings. */
function* readColumn(
	lines: Lines,
	first: number,
	name: string,
	decimalComma: boolean
): Sliced<RawValues | RrRefusal> {
	const collected = new Collected();
	for (let i = first; ; i++) {
		const line = lines.at(i);
		if (line === undefined) break;
		if ((i & (STEP - 1)) === 0) yield;
		const t = line.trim();
		if (t === '' || t.startsWith('#')) continue;
		// A line of a million characters is no number (only its start is at hand).
		if (lines.isLong(i)) return refuse(i + 1, `${quoteCell(t)} is not a number`);
		const v = cellNumber(t, decimalComma);
		if (!Number.isFinite(v)) return refuse(i + 1, `${quoteCell(t)} is not a number`);
		collected.push(v, i + 1);
	}
	return {
		ok: true,
		format: startFromFileName(name) !== undefined ? 'Elite HRV' : 'One RR value per line',
		...collected.raw(),
		lineCount: lines.count(),
		firstMayBeOffset: true
	};
}

/** More numbers a row than this: a list of values, not a table with a time column. */
const MAX_TABLE_WIDTH = 64;

/**
 * Several numbers a line without a header. Rows of equal length with a column that only rises are
 * a time column beside an RR column (Polar's two-column text, in seconds; its time is not the
 * running sum of the intervals, so it is never used as such). Anything else is a list of values
 * in reading order (Welltory writes every value on one line). A line's cells are read one at a
 * time: Welltory's line can hold a day of beats (or, in issue 34, ten million values).
 */
function* readRows(
	lines: Lines,
	first: number,
	delim: Delimiter,
	decimalComma: boolean
): Sliced<RawValues | RrRefusal> {
	// Every number, row after row; rows' widths, and each column's sum while they are all alike.
	const collected = new Collected();
	let rows = 0;
	let width = 0;
	let sameWidth = true;
	const columnSums: number[] = [];
	let dateColumn = -1;
	let startedAt: number | undefined;
	let step = 0;
	for (let i = first; ; i++) {
		const line = lines.at(i);
		if (line === undefined) break;
		if ((i & (STEP - 1)) === 0) yield;
		if (isBlank(line)) continue;
		const cells = lines.cells(i, delim);
		let w = 0;
		for (let c = 0; ; c++) {
			if (++step === STEP) {
				step = 0;
				yield;
			}
			// Most cells are plain numbers, read without a string made of each.
			const read = c === dateColumn ? cells.next() : cells.nextNumber(decimalComma);
			if (read === undefined) break;
			if (read === '' || c === dateColumn) continue;
			const cell = read;
			const v = typeof cell === 'number' ? cell : cellNumber(cell, decimalComma);
			if (Number.isFinite(v)) {
				collected.push(v, i + 1);
				if (sameWidth && w < MAX_TABLE_WIDTH && v > 0) columnSums[w] = (columnSums[w] ?? 0) + v;
				w++;
				continue;
			}
			// A timestamp column in headerless rows: the first row's date is the recording's.
			const text = String(cell);
			const t = rows === 0 && dateColumn < 0 ? parseFileDate(text) : undefined;
			if (t === undefined) return refuse(i + 1, `${quoteCell(text)} is not a number`);
			dateColumn = c;
			startedAt = t;
		}
		if (rows === 0) width = w;
		else if (w !== width) sameWidth = false;
		if (w > MAX_TABLE_WIDTH) sameWidth = false;
		rows++;
	}
	const lineCount = lines.count();
	const { values, lineOf } = collected.raw();
	if (rows >= 3 && width >= 2 && sameWidth) {
		// Rows kept whole (all of them, unless the file is refused for its length).
		const kept = Math.floor(values.length / width);
		const time = risingColumn(values, width, kept);
		if (time >= 0) {
			let rr = -1;
			for (let c = 0; c < width && rr < 0; c++)
				if (c !== time && risingColumn(values, width, kept, c) < 0) rr = c;
			if (rr < 0) rr = time === 0 ? 1 : 0;
			const column = new Float64Array(kept);
			const columnLines = new Int32Array(kept);
			for (let r = 0; r < kept; r++) {
				column[r] = values[r * width + rr];
				columnLines[r] = lineOf[r * width + rr];
			}
			return {
				ok: true,
				format: 'Time and RR columns',
				values: column,
				lineOf: columnLines,
				total: rows,
				sum: columnSums[rr] ?? 0,
				startedAt,
				lineCount
			};
		}
	}
	return {
		ok: true,
		format: rows === 1 ? 'RR values on one line' : 'RR values in rows',
		...collected.raw(),
		startedAt,
		lineCount
	};
}

/**
 * The first column (or column `only`) that never falls and rises from row to row: a time axis.
 * `values` holds `rows` rows of `width` numbers.
 */
function risingColumn(values: Float64Array, width: number, rows: number, only?: number): number {
	for (let c = only ?? 0; c < (only === undefined ? width : only + 1); c++) {
		let rises = 0;
		let falls = 0;
		for (let i = 1; i < rows; i++) {
			const a = values[(i - 1) * width + c];
			const b = values[i * width + c];
			if (b > a) rises++;
			else if (b < a) falls++;
		}
		if (falls === 0 && rises >= 0.9 * (rows - 1)) return c;
	}
	return -1;
}
