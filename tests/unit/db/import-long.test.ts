/**
 * A day-long recording (LTDB 14149: 144,817 beats, 23 h) imports whole. The time each part takes is
 * printed (reading is a small part; analysing it, computeSummary, is most of it), not asserted.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { readRrBytes } from '$lib/analysis';
import { getBeats, importRrFile, useDatabase } from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { computeSummary } from '$lib/review/summary';
import { HAVE_SHARED, RR_DIR } from '../analysis/shared-data';

beforeEach(() => {
	useDatabase(new SettleDB(`import-speed-${Math.random()}`));
});

it.skipIf(!HAVE_SHARED)(
	'imports the 23 h recording (145,000 beats) whole, with its one pause flagged',
	async () => {
		const bytes = new Uint8Array(readFileSync(resolve(RR_DIR, 'ltdb_14149_23h.txt')));
		let t0 = performance.now();
		const read = readRrBytes(bytes, 'ltdb_14149_23h.txt');
		const readMs = performance.now() - t0;
		expect(read).toMatchObject({ ok: true, format: 'One RR value per line', unit: 'ms' });
		t0 = performance.now();
		const r = await importRrFile('ltdb_14149_23h.txt', bytes, computeSummary, 1_750_000_000_000);
		const importMs = performance.now() - t0;
		if (!r.ok) throw new Error(r.reason);
		expect(r.session.beatCount).toBe(144_817);
		// Its one 5.4 s gap is kept and flagged, as before.
		expect(r.report.flagged).toEqual([
			{ count: 1, reason: 'outside 200-3000 ms (a pause or a drop-out)' }
		]);
		const back = await getBeats(r.session.id);
		expect(back.rrMs.length).toBe(144_817);
		expect(back.rrMs[0]).toBe(398.4375);
		console.log(
			`23 h import: reading ${readMs.toFixed(0)} ms, whole import ${importMs.toFixed(0)} ms (analysis included)`
		);
		// Timing is reported, not asserted: speed targets live in benchmarks (npm run bench).
	},
	60_000
);
