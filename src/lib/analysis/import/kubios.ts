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
import { cellNumber, splitCells } from './columns';
import { parseFileDate } from './dates';
import type { RawValues } from './values';

export const KUBIOS_MARKER = /^\s*RR INTERVAL DATA and SPECTRUM ESTIMATES/i;

export function isKubiosReport(lines: readonly string[]): number {
	const n = Math.min(lines.length, 2000);
	for (let i = 0; i < n; i++) if (KUBIOS_MARKER.test(lines[i])) return i;
	return -1;
}

/** The values of the RR column after the marker line, or the line and reason it cannot be read. */
export function readKubios(
	lines: readonly string[],
	marker: number
): RawValues | { ok: false; line: number; reason: string } {
	let column = -1;
	let i = marker + 1;
	for (; i < Math.min(lines.length, marker + 12); i++) {
		const cells = splitCells(lines[i], ',');
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
	const values: number[] = [];
	const lineOf: number[] = [];
	for (i = i + 1; i < lines.length; i++) {
		const cells = splitCells(lines[i], ',');
		const cell = cells[column] ?? '';
		if (unit === undefined && /^\((m?s)\)$/.test(cell)) {
			unit = cell === '(ms)' ? 'ms' : 's';
			continue;
		}
		// The beats have ended (the spectrum columns may go on, or the block is over).
		if (cell === '') break;
		const v = cellNumber(cell, false);
		if (!Number.isFinite(v)) return { ok: false, line: i + 1, reason: `"${cell}" is not a number` };
		values.push(v);
		lineOf.push(i + 1);
	}
	let startedAt: number | undefined;
	for (let k = 0; k < marker; k++) {
		const m = /^\s*Measurement date:\s*(.+?)\s*$/i.exec(lines[k]);
		if (m) {
			startedAt = parseFileDate(m[1]);
			break;
		}
	}
	return {
		ok: true,
		format: 'Kubios HRV results',
		values,
		lineOf,
		unit,
		column: 'RR interval',
		startedAt
	};
}
