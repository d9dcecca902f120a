/**
 * Rows and columns of the text files recording apps write: which delimiter, which column holds the
 * beat intervals and in which unit, which columns carry dates or an optical sensor's quality flags.
 */
import { cleanCell } from './lines';

export type Delimiter = '\t' | ';' | ',' | ' ';

/** The delimiter of a row: tab, then semicolon, then comma, else runs of spaces. */
export function delimiterOf(line: string): Delimiter {
	if (line.includes('\t')) return '\t';
	if (line.includes(';')) return ';';
	if (line.includes(',')) return ',';
	return ' ';
}

/**
 * Cells of a row, trimmed and unquoted: the first `limit` of them when a limit is given (a row is
 * not split further than the columns read from it need).
 */
export function splitCells(line: string, delim: Delimiter, limit?: number): string[] {
	const parts = delim === ' ' ? line.trim().split(/\s+/, limit) : line.split(delim, limit);
	for (let i = 0; i < parts.length; i++) parts[i] = cleanCell(parts[i]);
	return parts;
}

/**
 * A number as written in a cell. Where the delimiter is not a comma, a comma is a decimal comma
 * ("0,812"; Excel in most of Europe). Empty or malformed cells give NaN.
 */
export function cellNumber(cell: string, decimalComma: boolean): number {
	if (cell === '') return NaN;
	return Number(decimalComma && cell.includes(',') ? cell.replace(',', '.') : cell);
}

/** A cell as a refusal quotes it: whole unless it is long. */
export function quoteCell(cell: string): string {
	return `"${cell.length > 40 ? `${cell.slice(0, 40)}…` : cell}"`;
}

export type ColumnKind =
	| 'rr'
	| 'pp'
	| 'hr'
	| 'hrv-figure'
	| 'stamp'
	| 'blocker'
	| 'contact'
	| 'contact-supported'
	| 'other';

export interface Column {
	name: string;
	kind: ColumnKind;
	/** The unit the column's name states, if it states one. */
	unit?: 'ms' | 's';
}

const UNIT_SUFFIX = /\s*[[(]\s*(ms|msec|milliseconds?|s|sec|secs|seconds?)\s*[\])]\s*$/;
const UNIT_TAIL = /[ _](ms|msec|s|sec)$/;

const RR_NAMES =
	/^(rr|r r|rri|rrs|ibi|ibis|nn|nni|rr ?intervals?|r r intervals?|nn intervals?|inter ?beat intervals?|beat intervals?|intervals?)$/;
const PP_NAMES = /^(pp|p p|ppi|ppis|pp ?intervals?|p p intervals?|pulse intervals?)$/;
const HR_NAMES = /^(hr|heart ?rate|heartrate|bpm|pulse|pulse rate|hr bpm)$/;
const HRV_FIGURES = /^(avnn|sdnn|rmssd|pnn50|pnn20|lf|hf|lfhf|lf hf|alpha ?1|hrv|sd1|sd2|stress)$/;
const STAMPS =
	/^(timestamp|time ?stamp|phone timestamp|phone data rx timestamp|date|datetime|date ?time|time|clock|local time|utc)$/;

function unitWord(w: string): 'ms' | 's' {
	return w.startsWith('m') ? 'ms' : 's';
}

/** What a header cell names. `seen` are the kinds named before it (a second "contact"). */
export function classifyColumn(raw: string, seen: readonly ColumnKind[] = []): Column {
	let s = raw.trim().toLowerCase();
	let unit: 'ms' | 's' | undefined;
	const suffix = UNIT_SUFFIX.exec(s);
	if (suffix) {
		unit = unitWord(suffix[1]);
		s = s.slice(0, suffix.index).trim();
	}
	// Any other bracketed note ("hr [bpm]", "error estimate [ms]") is not part of the name.
	s = s.replace(/\s*[[(][^\])]*[\])]\s*$/, '').trim();
	const tail = UNIT_TAIL.exec(s);
	if (tail && !unit) {
		unit = unitWord(tail[1]);
		s = s.slice(0, tail.index);
	}
	const base = s.replace(/[\s_-]+/g, ' ').trim();
	let kind: ColumnKind = 'other';
	if (RR_NAMES.test(base)) kind = 'rr';
	else if (PP_NAMES.test(base)) kind = 'pp';
	else if (HR_NAMES.test(base)) kind = 'hr';
	else if (HRV_FIGURES.test(base)) kind = 'hrv-figure';
	else if (STAMPS.test(base)) kind = 'stamp';
	else if (/^blocker( ?bit)?$/.test(base)) kind = 'blocker';
	else if (/^skin ?contact ?supported$/.test(base)) kind = 'contact-supported';
	else if (/^(skin ?)?contact( ?status)?$/.test(base))
		// Polar Sensor Logger names both flags "contact": status first, then "supported".
		kind = seen.includes('contact') ? 'contact-supported' : 'contact';
	return { name: raw.trim(), kind, unit };
}

export function classifyHeader(cells: readonly string[]): Column[] {
	const out: Column[] = [];
	for (const c of cells)
		out.push(
			classifyColumn(
				c,
				out.map((o) => o.kind)
			)
		);
	return out;
}
