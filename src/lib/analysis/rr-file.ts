/**
 * Reading RR recordings: one value per line (ms, or seconds — detected), or CSV/TSV with a header
 * column named like rr / rri / ibi / "RR-interval [ms]" (any delimiter , ; or tab). Pure: text in,
 * RR in ms out, or the line and the reason it was refused.
 */
export type RrFileResult =
	| {
			ok: true;
			rrMs: Float64Array;
			unit: 'ms' | 's';
			column?: string;
			/** 0-based indices of values outside 200-3000 ms but possible (pauses, drop-outs). */
			outOfRange: number[];
	  }
	| { ok: false; line: number; reason: string };

const RR_COLUMN =
	/^(rr|rri|ibi|nn|rr[ _-]?intervals?|rr[ _-]?interval ?\[?ms\]?|rr ?\(ms\)|rr_ms|ibi_ms|interval)/i;
const MIN_MS = 200;
const MAX_MS = 3000;
/**
 * Real recordings hold the odd value outside 200-3000 ms: a sinus pause or a strap drop-out of a few
 * seconds, a spurious detection. Those are kept, flagged, and left out of the analysis; a value beyond
 * these limits (a minute-long "interval", a wrong unit) means the file is not what it claims.
 */
const HARD_MIN_MS = 100;
const HARD_MAX_MS = 20_000;
/** More flagged values than this share: the file is not an RR recording (or the unit is wrong). */
const MAX_OUT_OF_RANGE_SHARE = 0.2;

function splitRow(line: string): string[] {
	const delim = line.includes('\t') ? '\t' : line.includes(';') ? ';' : ',';
	return line.split(delim).map((c) => c.trim().replace(/^"|"$/g, ''));
}

export function parseRrText(text: string): RrFileResult {
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	const values: number[] = [];
	const lineOf: number[] = [];
	let column = -1;
	let columnName: string | undefined;
	let sawHeader = false;
	for (let i = 0; i < lines.length; i++) {
		const raw = lines[i].trim();
		if (raw === '' || raw.startsWith('#')) continue;
		const cells = /[,;\t]/.test(raw) ? splitRow(raw) : [raw];
		if (
			!sawHeader &&
			values.length === 0 &&
			cells.some((c) => c !== '' && !Number.isFinite(Number(c)))
		) {
			// A header row: find the RR column.
			column = cells.findIndex((c) => RR_COLUMN.test(c.trim()));
			if (column < 0) {
				return {
					ok: false,
					line: i + 1,
					reason: 'no RR column (expected a column named like rr, rri or ibi)'
				};
			}
			columnName = cells[column];
			sawHeader = true;
			continue;
		}
		const cell = cells.length === 1 ? cells[0] : cells[column >= 0 ? column : 0];
		if (cells.length > 1 && column < 0 && !sawHeader) {
			// Several values on a line without a header: a comma-separated list of RR values.
			for (const c of cells) {
				if (c === '') continue;
				const v = Number(c);
				if (!Number.isFinite(v))
					return { ok: false, line: i + 1, reason: `"${c}" is not a number` };
				values.push(v);
				lineOf.push(i + 1);
			}
			continue;
		}
		if (cell === undefined || cell === '') {
			return { ok: false, line: i + 1, reason: 'the RR value is missing' };
		}
		const v = Number(cell);
		if (!Number.isFinite(v)) return { ok: false, line: i + 1, reason: `"${cell}" is not a number` };
		values.push(v);
		lineOf.push(i + 1);
	}
	if (values.length === 0)
		return { ok: false, line: lines.length, reason: 'the file holds no RR values' };
	// Seconds when the values are typical of seconds (median under 3).
	const sorted = [...values].sort((a, b) => a - b);
	const unit: 'ms' | 's' = sorted[sorted.length >> 1] < 3 ? 's' : 'ms';
	const rrMs = Float64Array.from(values, (v) => (unit === 's' ? v * 1000 : v));
	const outOfRange: number[] = [];
	for (let k = 0; k < rrMs.length; k++) {
		if (rrMs[k] >= MIN_MS && rrMs[k] <= MAX_MS) continue;
		if (rrMs[k] < HARD_MIN_MS || rrMs[k] > HARD_MAX_MS) {
			return {
				ok: false,
				line: lineOf[k],
				reason: `${values[k]} ${unit} is not a plausible RR interval (${MIN_MS}-${MAX_MS} ms)`
			};
		}
		outOfRange.push(k);
	}
	if (rrMs.length < 3)
		return { ok: false, line: lineOf[rrMs.length - 1], reason: 'too few RR values (at least 3)' };
	if (outOfRange.length > MAX_OUT_OF_RANGE_SHARE * rrMs.length) {
		const k = outOfRange[0];
		return {
			ok: false,
			line: lineOf[k],
			reason: `${outOfRange.length} of ${rrMs.length} values are outside ${MIN_MS}-${MAX_MS} ms (the first is ${values[k]} ${unit}): not an RR recording, or the wrong unit`
		};
	}
	return { ok: true, rrMs, unit, column: columnName, outOfRange };
}
