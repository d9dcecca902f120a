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

describe('the heart-rate curve ends where the recording does', () => {
	it('draws no last step from a single slow breath: a 10:01 recording breathing 5 a minute', () => {
		// Heart rate swinging 50-80 bpm with each 12 s breath; the recording stops 1 s into a new
		// ten-second step, on one long out-breath interval. That step drew a plunge to 48 bpm.
		const rr: number[] = [];
		const t: number[] = [];
		let now = 0;
		while (now < 601_000) {
			const bpm = 65 + 15 * Math.sin((2 * Math.PI * now) / 12_000);
			const v = 60000 / bpm;
			now += v;
			rr.push(v);
			t.push(now);
		}
		// The last beat: an out-breath interval of 1250 ms, 1 s into the step from 600 s.
		rr.push(1250);
		t.push(601_250);
		const series = {
			rrMs: Float64Array.from(rr),
			timeMs: Float64Array.from(t),
			flags: new Uint8Array(rr.length)
		};
		const { hr } = calmDownCurve(series, []);
		const last = hr[hr.length - 1];
		// The last step drawn is a whole one (590-600 s), not the second-long one after it.
		expect(last.x * 60).toBeCloseTo(595, 6);
		for (const p of hr.slice(-6)) expect(p.y).toBeGreaterThan(55);
	});

	it('keeps a last step the recording covers at least half of', () => {
		const series = settling(606);
		const { hr } = calmDownCurve(series, []);
		expect(hr[hr.length - 1].x * 60).toBeCloseTo(605, 6);
	});
});
