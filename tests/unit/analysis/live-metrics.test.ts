import { describe, expect, it } from 'vitest';
import { LiveMetrics, rmssdWindow } from '$lib/analysis';

function series(n: number, seed = 7) {
	let s = seed;
	const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
	const rr: number[] = [];
	const t: number[] = [];
	const flagged: boolean[] = [];
	let acc = 0;
	for (let i = 0; i < n; i++) {
		const v = 850 + 80 * Math.sin(i / 5) + 40 * (rand() - 0.5);
		rr.push(v);
		t.push((acc += v));
		flagged.push(rand() < 0.03);
	}
	return { rr, t, flagged };
}

describe('LiveMetrics', () => {
	it('equals the batch RMSSD on the same 30 s and 60 s windows at every beat', () => {
		const { rr, t, flagged } = series(3000);
		const live = new LiveMetrics();
		for (let i = 0; i < rr.length; i++) {
			live.push(rr[i], t[i], flagged[i]);
			if (i % 37 !== 0 || i < 10) continue;
			const upto = (a: ArrayLike<number | boolean>) => Array.prototype.slice.call(a, 0, i + 1);
			const b30 = rmssdWindow(upto(rr), upto(t), 30_000, upto(flagged));
			const b60 = rmssdWindow(upto(rr), upto(t), 60_000, upto(flagged));
			if (b30 === undefined) expect(live.rmssd30).toBeUndefined();
			else expect(Math.abs((live.rmssd30 as number) - b30) / b30).toBeLessThan(1e-9);
			if (b60 !== undefined)
				expect(Math.abs((live.rmssd60 as number) - b60) / b60).toBeLessThan(1e-9);
		}
	});

	it('gives heart rate, coherence and breathing rate once there is enough data', () => {
		const live = new LiveMetrics();
		let t = 0;
		// Paced breathing at 6 breaths a minute: a strong 0.1 Hz rhythm.
		for (let i = 0; i < 200; i++) {
			const v = 1000 + 60 * Math.sin(2 * Math.PI * 0.1 * (t / 1000));
			t += v;
			live.push(v, t);
		}
		expect(live.hr).toBeGreaterThan(55);
		expect(live.hr).toBeLessThan(65);
		expect(live.coherence).toBeGreaterThan(3);
		expect(Math.abs((live.respirationRate as number) - 6)).toBeLessThan(0.6);
	});
});
