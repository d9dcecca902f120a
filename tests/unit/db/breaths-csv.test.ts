/** The breaths CSV from a record of known breaths: its rows, figures, clock times and units. */
import { afterEach, describe, expect, it } from 'vitest';
import { BREATHS_CSV_COLUMNS, breathsCsv, localIso, type BreathingRecord } from '$lib/db';

const STARTED = Date.UTC(2026, 10, 20, 7, 0, 0);

// 4 s in and 6 s out (6 a minute, 1.5), then 3 s in and 5 s out (7.5 a minute, 1.667) overlapping
// a movement marked from 29 s to 33 s.
const record: BreathingRecord = {
	breaths: [
		{ inStartMs: 500, outStartMs: 4500, endMs: 10_500, depthMg: 12.5 },
		{ inStartMs: 10_500, outStartMs: 14_500, endMs: 20_500, depthMg: 11.25 },
		{ inStartMs: 22_000, outStartMs: 25_000, endMs: 30_000, depthMg: 9 }
	],
	movements: [{ startMs: 29_000, endMs: 33_000 }],
	blocks: { startMs: 0, blockMs: 200, xyz: new Float32Array(0), activity: new Float32Array(0) },
	sampleRateHz: 25,
	analysisVersion: 1
};

const table = (csv: string) =>
	csv
		.trimEnd()
		.split('\n')
		.slice(2)
		.map((line) => Object.fromEntries(line.split(',').map((v, i) => [BREATHS_CSV_COLUMNS[i], v])));

const savedTz = process.env.TZ;
afterEach(() => {
	process.env.TZ = savedTz;
});

describe('breaths CSV', () => {
	it('says its units first, then one row per phase start and movement, in time order', () => {
		const csv = breathsCsv(record, STARTED);
		const [comment, header] = csv.split('\n');
		expect(comment.startsWith('# ')).toBe(true);
		expect(comment).not.toContain(',');
		for (const unit of ['seconds', 'breaths a minute', 'out-breath / in-breath', 'milli-g'])
			expect(comment).toContain(unit);
		expect(header).toBe(BREATHS_CSV_COLUMNS.join(','));
		const rows = table(csv);
		expect(rows.map((r) => [r.time_s, r.event, r.breath])).toEqual([
			['0.500', 'in-breath start', '1'],
			['4.500', 'out-breath start', '1'],
			['10.500', 'in-breath start', '2'],
			['14.500', 'out-breath start', '2'],
			['22.000', 'in-breath start', '3'],
			['25.000', 'out-breath start', '3'],
			['29.000', 'movement', '']
		]);
		// Every row has every column.
		for (const line of csv.trimEnd().split('\n').slice(1))
			expect(line.split(',')).toHaveLength(BREATHS_CSV_COLUMNS.length);
	});

	it("gives each breath's length, rate, ratio, depth and movement on its in-breath row", () => {
		const rows = table(breathsCsv(record, STARTED));
		const ins = rows.filter((r) => r.event === 'in-breath start');
		expect(ins.map((r) => [r.length_s, r.breath_length_s, r.rate_per_min, r.out_in_ratio])).toEqual(
			[
				['4.000', '10.000', '6.00', '1.500'],
				['4.000', '10.000', '6.00', '1.500'],
				['3.000', '8.000', '7.50', '1.667']
			]
		);
		expect(ins.map((r) => [r.depth_mg, r.in_movement])).toEqual([
			['12.50', 'no'],
			['11.25', 'no'],
			['9.00', 'yes']
		]);
		// Out-breath rows carry the out-breath's length and leave the breath's figures blank, so a
		// column's average is one per breath.
		const outs = rows.filter((r) => r.event === 'out-breath start');
		expect(outs.map((r) => r.length_s)).toEqual(['6.000', '6.000', '5.000']);
		expect(outs.every((r) => r.rate_per_min === '' && r.out_in_ratio === '')).toBe(true);
		const movement = rows.find((r) => r.event === 'movement')!;
		expect(movement.length_s).toBe('4.000');
	});

	it('writes clock times in local time with the offset, each the same instant', () => {
		for (const tz of ['UTC', 'Europe/Berlin', 'America/St_Johns']) {
			process.env.TZ = tz;
			const rows = table(breathsCsv(record, STARTED));
			const times = rows.map((r) => r.clock_time);
			expect(times.map((t) => Date.parse(t))).toEqual(
				rows.map((r) => STARTED + Math.round(Number(r.time_s) * 1000))
			);
			for (const t of times)
				expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
		}
		process.env.TZ = 'America/St_Johns';
		expect(localIso(STARTED)).toBe('2026-11-20T03:30:00.000-03:30');
		process.env.TZ = 'Europe/Berlin';
		expect(localIso(STARTED + 500)).toBe('2026-11-20T08:00:00.500+01:00');
	});

	it('an empty record gives the header lines only', () => {
		const csv = breathsCsv({ ...record, breaths: [], movements: [] }, STARTED);
		expect(csv.trimEnd().split('\n')).toHaveLength(2);
	});
});
