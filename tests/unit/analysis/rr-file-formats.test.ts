/**
 * One test per format other apps export, built from the formats' public descriptions and sample
 * files (see tests/e2e/fixtures/import-files/formats.ts for each file's source).
 */
import { describe, expect, it } from 'vitest';
import { readRrBytes, type RrRead } from '$lib/analysis';
import {
	HRV_LOGGER_LEGACY_START,
	decimalCommaTable,
	empaticaIbi,
	hrvLoggerHr,
	hrvLoggerLegacy,
	mixedFolder,
	msThreeDecimals,
	polarTwoColumn,
	restingRr,
	utf8,
	type ImportFixture
} from '../../e2e/fixtures/import-files/formats';

/** Checks a read against what the fixture says a correct reader finds. */
export function expectRead(r: RrRead, want: ImportFixture['expect']): void {
	if (!want.ok) {
		expect(r).toMatchObject({ ok: false, line: want.line });
		if (!r.ok) expect(r.reason).toMatch(want.reason);
		return;
	}
	if (!r.ok) throw new Error(`refused: line ${r.line}: ${r.reason}`);
	expect(r.format).toBe(want.format);
	expect(r.unit).toBe(want.unit);
	expect(r.optical).toBe(want.optical ?? false);
	expect(r.rrMs.length).toBe(want.beats);
	const got = Array.from(r.rrMs, (v) => Math.round(v * 1000) / 1000);
	expect(got).toEqual(want.rrMs);
	expect(r.startedAt).toBe(want.startedAt);
	const sum = (notes: { count: number }[]) => notes.reduce((s, n) => s + n.count, 0);
	expect(sum(r.flagged)).toBe(want.flagged ?? 0);
	expect(sum(r.leftOut)).toBe(want.leftOut ?? 0);
}

describe('formats other apps export', () => {
	for (const f of mixedFolder())
		it(`${f.expect.ok ? 'reads' : 'refuses'} ${f.name} (${f.expect.ok ? f.expect.format : 'no beats'})`, () => {
			expectRead(readRrBytes(f.bytes, f.name), f.expect);
		});

	it('reads HRV Logger’s older layout: "date, rr, since start", zoned dates, ", " separators', () => {
		const rr = restingRr(120, 31);
		expectRead(readRrBytes(utf8(hrvLoggerLegacy(rr)), '2025-03-11_RR_0001CTRL.csv'), {
			ok: true,
			format: 'HRV Logger RR',
			beats: 120,
			unit: 'ms',
			rrMs: rr,
			startedAt: HRV_LOGGER_LEGACY_START
		});
	});

	it('reads Polar’s two-column text with its "time_s rr_s" header', () => {
		const rr = restingRr(90, 32);
		expectRead(readRrBytes(utf8(polarTwoColumn(rr, true)), 'polar.txt'), {
			ok: true,
			format: 'Table with an RR column',
			beats: 90,
			unit: 's',
			rrMs: rr
		});
	});

	it('reads Empatica’s IBI.csv, dated by the Unix time in its first line', () => {
		const rr = restingRr(80, 33);
		const start = 1775181600;
		expectRead(readRrBytes(utf8(empaticaIbi(rr, start)), 'IBI.csv'), {
			ok: true,
			format: 'Empatica IBI',
			beats: 80,
			unit: 's',
			rrMs: rr,
			startedAt: start * 1000
		});
	});

	it('refuses HRV Logger’s HR file, saying it holds heart rate and no beat intervals', () => {
		expectRead(readRrBytes(utf8(hrvLoggerHr(1675889367288)), 'ot_a60_HR.csv'), {
			ok: false,
			line: 1,
			reason: /^no RR column: this file holds heart rate but no beat-to-beat \(RR\) intervals/
		});
	});

	it('reads a European spreadsheet’s ";" table with decimal commas, in seconds', () => {
		const rr = restingRr(70, 34);
		expectRead(readRrBytes(utf8(decimalCommaTable(rr)), 'export.csv'), {
			ok: true,
			format: 'Table with an RR column',
			beats: 70,
			unit: 's',
			rrMs: rr
		});
	});

	it('reads intervals in ms with three decimals (a 128 Hz annotation grid)', () => {
		const rr = restingRr(60, 35);
		const r = readRrBytes(utf8(msThreeDecimals(rr)), 'ltdb.txt');
		expectRead(r, {
			ok: true,
			format: 'One RR value per line',
			beats: 60,
			unit: 'ms',
			rrMs: rr.map((v) => +(Math.round(v / 7.8125) * 7.8125).toFixed(3))
		});
	});
});
