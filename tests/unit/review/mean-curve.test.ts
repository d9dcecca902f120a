/**
 * The mean calm-down curve Compare draws for each side: the latest sessions' heart-rate curves,
 * averaged bin by bin, read a few sessions at a time.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { appendBeats, createSession, finishSession, useDatabase } from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { CURVE_SESSIONS, meanCurve } from '$lib/review/comparison';
import { loadCalmDownCurve } from '$lib/review/summary';

let n = 0;
beforeEach(() => {
	useDatabase(new SettleDB(`mean-curve-${n++}`));
});

/** Two minutes at a steady heart rate. */
async function steady(bpm: number, startedAt: number): Promise<string> {
	const s = await createSession({ source: 'demo', strapName: 'Demo', startedAt });
	const beats = [];
	for (let t = 60000 / bpm; t < 120_000; t += 60000 / bpm)
		beats.push({ timeMs: t, rrMs: 60000 / bpm, flags: 0 });
	await appendBeats(s.id, 0, beats);
	await finishSession(s.id, { summary: { meanHr: bpm } });
	return s.id;
}

describe('mean calm-down curve', () => {
	it('averages every one of the latest sessions, bin by bin', async () => {
		// Six sessions (more than are read at once): 60, 62, … 70 bpm, mean 65.
		const ids = [];
		for (let i = 0; i < 6; i++) ids.push(await steady(60 + 2 * i, 1000 * i));
		const curve = await meanCurve(ids);
		// The bins every session reached (the last one depends on where each session's beats end).
		const shared = (await loadCalmDownCurve(ids[0])).hr.slice(0, -1).map((p) => p.x);
		expect(shared.length).toBeGreaterThan(5);
		expect(curve.map((p) => p.x).slice(0, shared.length)).toEqual(shared);
		for (const p of curve.slice(0, shared.length)) expect(p.y).toBeCloseTo(65, 6);
	});

	it(`takes only the latest ${CURVE_SESSIONS} sessions`, async () => {
		const ids = [await steady(100, 0)];
		for (let i = 0; i < CURVE_SESSIONS; i++) ids.push(await steady(60, 1000 * (i + 1)));
		const curve = await meanCurve(ids);
		expect(curve.length).toBeGreaterThan(5);
		for (const p of curve) expect(p.y).toBeCloseTo(60, 6);
	});
});
