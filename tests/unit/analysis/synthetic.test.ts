import { describe, expect, it } from 'vitest';
import {
	analyzeRr,
	coherenceOfWindow,
	dfa,
	frequencyDomain,
	resampleRr,
	sampleEntropy,
	smoothnessPriorsDetrend,
	stressIndex,
	timeDomain
} from '$lib/analysis';

/** RR series whose value, sampled at beat times, follows 1000 + A·sin(2πft). */
function modulated(amplitudeMs: number, freqHz: number, seconds: number): number[] {
	const rr: number[] = [];
	let t = 0;
	while (t < seconds * 1000) {
		const v = 1000 + amplitudeMs * Math.sin(2 * Math.PI * freqHz * ((t + 1000) / 1000));
		rr.push(v);
		t += v;
	}
	return rr;
}

function seeded(seed: number) {
	let s = seed;
	return () => {
		s = (s * 16807) % 2147483647;
		return s / 2147483647;
	};
}

describe('frequency domain on known signals', () => {
	it('a pure 0.25 Hz modulation of amplitude A gives HF power ≈ A²/2 and an HF peak at 0.25 Hz', () => {
		const A = 40;
		const f = frequencyDomain(modulated(A, 0.25, 600));
		expect(f.hf / ((A * A) / 2)).toBeGreaterThan(0.95);
		expect(f.hf / ((A * A) / 2)).toBeLessThan(1.05);
		expect(Math.abs(f.hfPeak - 0.25)).toBeLessThan(0.004);
		expect(f.lf).toBeLessThan(0.02 * f.hf);
		expect(f.hfNu).toBeGreaterThan(97);
	});
	it('a 0.1 Hz modulation lands in LF', () => {
		const f = frequencyDomain(modulated(30, 0.1, 600));
		expect(Math.abs(f.lfPeak - 0.1)).toBeLessThan(0.004);
		expect(f.lfNu).toBeGreaterThan(95);
	});
	it('band powers add up and normalized units sum to 100', () => {
		const f = frequencyDomain(modulated(20, 0.2, 400).map((v, i) => v + 15 * Math.sin(i / 9)));
		expect(f.vlf + f.lf + f.hf).toBeCloseTo(f.totalPower, 6);
		expect(f.lfNu + f.hfNu).toBeCloseTo(100, 9);
		expect(f.vlfPercent + f.lfPercent + f.hfPercent).toBeCloseTo(100, 9);
	});
	it('Lomb-Scargle finds the same peak on the uneven series', () => {
		const f = frequencyDomain(modulated(40, 0.25, 300), { method: 'lomb' });
		expect(Math.abs(f.hfPeak - 0.25)).toBeLessThan(0.005);
	});
});

describe('building blocks', () => {
	it('the spline passes through every beat and resamples at 4 Hz from the first beat', () => {
		const rr = [800, 850, 900, 870, 820, 800, 840];
		const { values, t0 } = resampleRr(rr, 4);
		expect(t0).toBe(0.8);
		// t = 0.8 s + k·0.25: k = 0 is the first beat, k = 7 lands on 2.55 s = the third beat.
		expect(values[0]).toBeCloseTo(800, 9);
		expect(values[7]).toBeCloseTo(900, 9);
	});
	it('smoothness priors remove a linear trend entirely and keep fast oscillation', () => {
		const n = 2000;
		const z = Array.from({ length: n }, (_, i) => 3 * i + 50 * Math.sin(i));
		const d = smoothnessPriorsDetrend(z, 500);
		const residualTrend = d.slice(200, 1800).reduce((a, b) => a + b, 0) / 1600;
		expect(Math.abs(residualTrend)).toBeLessThan(1);
		expect(Math.abs(d[1000] - 50 * Math.sin(1000))).toBeLessThan(2);
	});
});

describe('invariants', () => {
	const rand = seeded(11);
	const rr = Array.from({ length: 800 }, () => 850 + 60 * (rand() - 0.5));
	it('shifting every RR by a constant leaves SDNN, RMSSD and pNN50 unchanged', () => {
		const a = timeDomain(rr);
		const b = timeDomain(rr.map((v) => v + 100));
		expect(b.sdnn).toBeCloseTo(a.sdnn, 9);
		expect(b.rmssd).toBeCloseTo(a.rmssd, 9);
		expect(b.pnn50).toBe(a.pnn50);
		expect(b.meanNN).toBeCloseTo(a.meanNN + 100, 9);
	});
	it('DFA α1 ≈ 0.5 for white noise and ≈ 1.5 for its running sum', () => {
		const r2 = seeded(5);
		const white = Array.from({ length: 4000 }, () => r2() - 0.5);
		let acc = 0;
		const brown = white.map((v) => (acc += v));
		expect(Math.abs(dfa(white, 4, 16) - 0.5)).toBeLessThan(0.1);
		expect(Math.abs(dfa(brown, 4, 16) - 1.5)).toBeLessThan(0.12);
	});
	it('fast sample entropy equals a naive O(N²) count', () => {
		const r3 = seeded(9);
		const x = Array.from({ length: 300 }, () => Math.round(800 + 100 * r3()));
		const r = 0.2 * timeDomain(x).sdnn;
		const n = x.length - 2;
		let a = 0;
		let b = 0;
		for (let i = 0; i < n; i++)
			for (let j = 0; j < n; j++) {
				if (i === j) continue;
				if (Math.abs(x[i] - x[j]) <= r && Math.abs(x[i + 1] - x[j + 1]) <= r) {
					b++;
					if (Math.abs(x[i + 2] - x[j + 2]) <= r) a++;
				}
			}
		expect(sampleEntropy(x)).toBeCloseTo(-Math.log(a / b), 12);
	});
	it('Baevsky stress index from its definition', () => {
		const si = stressIndex([800, 810, 820, 830, 900, 1000]);
		// Modal 50 ms bin 800-849 holds 4 of 6 beats; Mo = 0.825 s; MxDMn = 0.2 s.
		expect(si.baevsky).toBeCloseTo((100 * 4) / 6 / (2 * 0.825 * 0.2), 9);
		expect(si.kubios).toBeCloseTo(Math.sqrt(si.baevsky), 12);
	});
	it('coherence is high for a pure 0.1 Hz rhythm and low for noise', () => {
		const coherent = coherenceOfWindow(modulated(50, 0.1, 70));
		const r4 = seeded(21);
		const noisy = coherenceOfWindow(Array.from({ length: 90 }, () => 800 + 80 * (r4() - 0.5)));
		expect(coherent.coherence).toBeGreaterThan(3);
		expect(noisy.coherence).toBeLessThan(1);
		expect(Math.abs(coherent.peakHz - 0.1)).toBeLessThan(0.01);
	});
	it('analyzeRr never returns NaN for an ordinary recording and degrades quietly on tiny ones', () => {
		const a = analyzeRr(rr);
		expect(Number.isFinite(a.time.rmssd) && Number.isFinite(a.frequency.hf)).toBe(true);
		expect(() => analyzeRr([800, 810])).not.toThrow();
		expect(() => analyzeRr([])).not.toThrow();
	});
});
