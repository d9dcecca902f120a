/** The calm-down curve draws a fitted decay exactly when the session's figures have one. */
import { describe, expect, it } from 'vitest';
import { calmDownCurve, computeSummary } from '$lib/review/summary';

/** Heart rate settling from 75 towards 62 bpm with time constant tauS, for `seconds`. */
function settling(seconds: number, tauS = 120) {
	const rr: number[] = [];
	const t: number[] = [];
	let now = 0;
	for (let i = 0; now < seconds * 1000; i++) {
		const v = 60000 / (62 + 13 * Math.exp(-now / 1000 / tauS)) + 15 * Math.sin(i * 1.3);
		now += v;
		rr.push(v);
		t.push(now);
	}
	return {
		rrMs: Float64Array.from(rr),
		timeMs: Float64Array.from(t),
		flags: new Uint8Array(rr.length)
	};
}

describe('calm-down curve and its figures agree', () => {
	it('a 47-second session has no fitted line, as its time constant says "no clear decay"', () => {
		const series = settling(47, 20);
		expect(computeSummary(series).tauS).toBeUndefined();
		expect(calmDownCurve(series, []).fit).toEqual([]);
	});

	it('a ten-minute settling session has both, from the same fit', () => {
		const series = settling(600);
		const summary = computeSummary(series);
		expect(summary.tauS).toBeGreaterThan(60);
		const { fit } = calmDownCurve(series, []);
		expect(fit.length).toBeGreaterThan(10);
		// The line falls towards the fitted level the summary stores.
		expect(fit[fit.length - 1].y).toBeLessThan(fit[0].y);
		expect(Math.abs(fit[fit.length - 1].y - summary.asymptoteBpm!)).toBeLessThan(3);
	});
});
