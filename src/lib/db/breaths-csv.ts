/**
 * The breathing the strap measured as a CSV for a spreadsheet: one row per in-breath start and
 * out-breath start, and one per marked movement, in time order. The breath's own figures (length,
 * rate, ratio, depth) stand on its in-breath row only, so a column's average is per breath; the
 * out-breath row gives the out-breath's length. Units are in the column names and the first line.
 */
import type { BreathingRecord } from './breathing';

export const BREATHS_CSV_COLUMNS = [
	'time_s',
	'clock_time',
	'event',
	'breath',
	'length_s',
	'breath_length_s',
	'rate_per_min',
	'out_in_ratio',
	'depth_mg',
	'in_movement'
] as const;

type Row = { atMs: number; order: number; cells: (string | number)[] };

const fixed = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '');
const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/** ISO 8601 in the device's local time with its UTC offset: readable, and still one instant. */
export function localIso(ms: number): string {
	const d = new Date(ms);
	const offset = -d.getTimezoneOffset();
	const sign = offset >= 0 ? '+' : '-';
	return (
		`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
		`T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
		`${sign}${pad(offset / 60)}:${pad(offset % 60)}`
	);
}

export function breathsCsv(record: BreathingRecord, startedAt: number): string {
	const moved = (fromMs: number, toMs: number) =>
		record.movements.some((m) => m.startMs < toMs && m.endMs > fromMs);
	const row = (atMs: number, order: number, rest: (string | number)[]): Row => ({
		atMs,
		order,
		cells: [fixed(atMs / 1000, 3), localIso(startedAt + atMs), ...rest]
	});
	const rows: Row[] = [];
	record.breaths.forEach((b, i) => {
		const inS = (b.outStartMs - b.inStartMs) / 1000;
		const outS = (b.endMs - b.outStartMs) / 1000;
		const lengthS = (b.endMs - b.inStartMs) / 1000;
		rows.push(
			row(b.inStartMs, 1, [
				'in-breath start',
				i + 1,
				fixed(inS, 3),
				fixed(lengthS, 3),
				fixed(60 / lengthS, 2),
				fixed(outS / inS, 3),
				fixed(b.depthMg, 2),
				moved(b.inStartMs, b.endMs) ? 'yes' : 'no'
			]),
			row(b.outStartMs, 2, ['out-breath start', i + 1, fixed(outS, 3), '', '', '', '', ''])
		);
	});
	for (const m of record.movements)
		rows.push(row(m.startMs, 0, ['movement', '', fixed((m.endMs - m.startMs) / 1000, 3)]));
	rows.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
	const width = BREATHS_CSV_COLUMNS.length;
	return (
		[
			// One line without commas: a spreadsheet keeps it in its first cell, and pandas or R
			// skip it as a comment ('#').
			`# Settle: breathing measured by the strap's accelerometer; session started ${localIso(startedAt)}. ` +
				'time_s = seconds from the session start; clock_time = local time with its UTC offset; ' +
				'length_s = length in seconds of the in-breath or out-breath or movement; ' +
				'breath_length_s = in-breath plus out-breath in seconds; rate_per_min = breaths a minute; ' +
				'out_in_ratio = out-breath / in-breath; depth_mg = peak to trough on the breathing axis ' +
				'in milli-g; the breath figures stand on its in-breath row; in_movement = the breath ' +
				'overlaps a marked movement (no breaths are read inside one).',
			BREATHS_CSV_COLUMNS.join(','),
			...rows.map((r) => [...r.cells, ...Array(width - r.cells.length).fill('')].join(','))
		].join('\n') + '\n'
	);
}
