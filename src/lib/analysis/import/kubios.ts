/**
 * Kubios HRV Standard/Premium results saved as text (File → Save results → .txt): about a hundred
 * lines of report, then the block
 *
 *   RR INTERVAL DATA and SPECTRUM ESTIMATES,
 *                                 ,    SAMPLE 1,            ,FFT spectrum, ...
 *                                 ,        Time, RR interval,   Frequency, ...
 *                                 ,         (s),         (s),        (Hz), ...
 *                                 ,       0.766,       0.766,       0.000, ...
 *
 * Rows open with a padded empty field; the RR column ends where the beats end, while the spectrum
 * columns run on (or the other way round). Layout from PGomes92/kubios, SampleReport.txt
 * (Kubios HRV Standard 3.1.0.1).
 */
import { cellNumber, quoteCell, splitCells } from './columns';
import { parseFileDate } from './dates';
import type { Lines } from './lines';
import type { Sliced } from './slices';
import { Collected, type RawValues } from './values';

export const KUBIOS_MARKER = /^\s*RR INTERVAL DATA and SPECTRUM ESTIMATES/i;

/** Columns a row of the data block is split into at most. */
const MAX_CELLS = 64;

export function isKubiosReport(lines: Lines): number {
	for (let i = 0; i < 2000; i++) {
		const line = lines.at(i);
		if (line === undefined) break;
		if (KUBIOS_MARKER.test(line)) return i;
	}
	return -1;
}

/** The values of the RR column after the marker line, or the line and reason it cannot be read. */
export function* readKubios(
	lines: Lines,
	marker: number
): Sliced<RawValues | { ok: false; line: number; reason: string }> {
	let column = -1;
	let i = marker + 1;
	for (; i < marker + 12 && lines.at(i) !== undefined; i++) {
		const cells = splitCells(lines.at(i)!, ',', MAX_CELLS);
		column = cells.findIndex((c) => /^rr ?intervals?$/i.test(c));
		if (column >= 0) break;
	}
	if (column < 0)
		return {
			ok: false,
			line: marker + 1,
			reason: 'a Kubios report without an "RR interval" column in its data block'
		};
	let unit: 'ms' | 's' | undefined;
	const collected = new Collected();
	for (i = i + 1; ; i++) {
		const line = lines.at(i);
		if (line === undefined) break;
		if ((i & 1023) === 0) yield;
		const cells = splitCells(line, ',', column + 1);
		const cell = cells[column] ?? '';
		if (unit === undefined && /^\((m?s)\)$/.test(cell)) {
			unit = cell === '(ms)' ? 'ms' : 's';
			continue;
		}
		// The beats have ended (the spectrum columns may go on, or the block is over).
		if (cell === '') break;
		const v = cellNumber(cell, false);
		if (!Number.isFinite(v))
			return { ok: false, line: i + 1, reason: `${quoteCell(cell)} is not a number` };
		collected.push(v, i + 1);
	}
	let startedAt: number | undefined;
	for (let k = 0; k < marker; k++) {
		const m = /^\s*Measurement date:\s*(.+?)\s*$/i.exec(lines.at(k)!);
		if (m) {
			startedAt = parseFileDate(m[1]);
			break;
		}
	}
	return {
		ok: true,
		format: 'Kubios HRV results',
		...collected.raw(),
		unit,
		column: 'RR interval',
		startedAt
	};
}
