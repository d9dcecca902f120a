import { describe, expect, it } from 'vitest';
import { estimateBreaths, type BreathSummary } from '$lib/analysis';
import type { BreathPattern } from '$lib/practice/pacer';
import { HeartModel } from '$lib/strap/demo';
import { gaussian, mulberry32 } from '$lib/strap/demo/random';

interface Beats {
	rr: number[];
	t: number[];
}

/** The calm demo heart: five minutes at the default pacer to settle, then `pattern` until `untilS`. */
function breathing(pattern: BreathPattern, seed: number, untilS = 900): Beats {
	const model = new HeartModel({ seed, contactLoss: null });
	const rr: number[] = [];
	const t: number[] = [];
	const until = (s: number) => {
		while (model.timeS < s) {
			const b = model.nextBeat();
			rr.push(b.rrMs);
			t.push(b.timeS * 1000);
		}
	};
	until(300);
	model.setBreathing(pattern, true);
	until(untilS);
	return { rr, t };
}

/** Beats from a heart that ignores breathing: white noise, or a slow random drift. */
function ignoring(kind: 'noise' | 'drift', seed: number, n = 700): Beats {
	const rand = mulberry32(seed);
	const rr: number[] = [];
	const t: number[] = [];
	let acc = 0;
	let drift = 0;
	for (let i = 0; i < n; i++) {
		drift += -drift * 0.015 + 8 * gaussian(rand);
		const v = kind === 'noise' ? 900 + 30 * gaussian(rand) : 900 + drift + 7 * gaussian(rand);
		acc += v;
		rr.push(v);
		t.push(acc);
	}
	return { rr, t };
}

const CASES: { pattern: BreathPattern; rate: number; ratio: number }[] = [
	{ pattern: { inhaleS: 4, exhaleS: 6 }, rate: 6, ratio: 1.5 },
	{ pattern: { inhaleS: 6, exhaleS: 6 }, rate: 5, ratio: 1 },
	// patternFor(5.5, 2/3): 3.6 s in, 7.3 s out (5.50/min, ratio 2.03).
	{ pattern: { inhaleS: 3.6, exhaleS: 7.3 }, rate: 60 / 10.9, ratio: 7.3 / 3.6 }
];

function expectNone(s: BreathSummary) {
	expect(s.breaths).toEqual([]);
	expect(s.medianRatio).toBeNaN();
	expect(s.ratePerMin).toBeNaN();
	expect(s.reliable).toBe(false);
}

describe('breath-by-breath estimate from the heart rate', () => {
	it('recovers the paced rate within 0.5/min and the out/in ratio within 0.2 over ten minutes', () => {
		for (const c of CASES) {
			for (const seed of [1, 2, 3]) {
				const { rr, t } = breathing(c.pattern, seed);
				const s = estimateBreaths(rr, t, 320_000, 900_000);
				expect(s.reliable).toBe(true);
				expect(Math.abs(s.ratePerMin - c.rate)).toBeLessThan(0.5);
				expect(Math.abs(s.medianRatio - c.ratio)).toBeLessThan(0.2);
				// Nearly every breath is found.
				expect(s.breaths.length).toBeGreaterThan(0.9 * ((580 * c.rate) / 60));
			}
		}
	});

	it('reads the last minute live: the rate within 0.5/min', () => {
		for (const c of CASES) {
			const { rr, t } = breathing(c.pattern, 4);
			for (let end = 400_000; end <= 900_000; end += 50_000) {
				const s = estimateBreaths(rr, t, end - 60_000, end);
				expect(s.reliable).toBe(true);
				expect(Math.abs(s.ratePerMin - c.rate)).toBeLessThan(0.5);
				// A minute holds four to six breaths: their median ratio is rougher.
				expect(Math.abs(s.medianRatio - c.ratio)).toBeLessThan(0.5);
			}
		}
	});

	it('describes each breath consistently, in session time', () => {
		const { rr, t } = breathing({ inhaleS: 4, exhaleS: 6 }, 1);
		const s = estimateBreaths(rr, t, 600_000, 700_000);
		expect(s.breaths.length).toBeGreaterThanOrEqual(8);
		let last = -Infinity;
		for (const b of s.breaths) {
			expect(b.startS).toBeGreaterThan(599);
			expect(b.startS + b.inhaleS + b.exhaleS).toBeLessThan(701);
			expect(b.startS).toBeGreaterThan(last);
			last = b.startS;
			expect(b.ratio).toBeCloseTo(b.exhaleS / b.inhaleS, 9);
			expect(b.ratePerMin).toBeCloseTo(60 / (b.inhaleS + b.exhaleS), 9);
		}
	});

	it('is not reliable when the heart ignores breathing', () => {
		for (const kind of ['noise', 'drift'] as const) {
			let windows = 0;
			let fooled = 0;
			for (let seed = 1; seed <= 40; seed++) {
				const { rr, t } = ignoring(kind, seed);
				expect(estimateBreaths(rr, t).reliable).toBe(false);
				// A minute holds few "breaths": now and then noise looks regular for that long.
				for (let from = 0; from + 60_000 <= 600_000; from += 60_000) {
					windows++;
					if (estimateBreaths(rr, t, from, from + 60_000).reliable) fooled++;
				}
			}
			expect(fooled / windows).toBeLessThan(0.02);
		}
	});

	it('is not reliable when beat noise swamps a weak RSA (the restless demo)', () => {
		const model = new HeartModel({ seed: 1, scenario: 'restless', contactLoss: null });
		const rr: number[] = [];
		const t: number[] = [];
		while (model.timeS < 600) {
			const b = model.nextBeat();
			rr.push(b.rrMs);
			t.push(b.timeS * 1000);
		}
		expect(estimateBreaths(rr, t).reliable).toBe(false);
	});

	it('gives NaN figures, not errors, on too little data', () => {
		expectNone(estimateBreaths([], []));
		expectNone(estimateBreaths([900, 910, 905], [900, 1810, 2715]));
		const { rr, t } = breathing({ inhaleS: 4, exhaleS: 6 }, 1, 320);
		// Fewer than 20 s of beats.
		expectNone(estimateBreaths(rr, t, 300_000, 315_000));
		// A window with no beats at all.
		expectNone(estimateBreaths(rr, t, 1_000_000, 1_060_000));
		// Garbage values are dropped, not trusted.
		expectNone(estimateBreaths([NaN, 0, -5, Infinity, 5000], [1, 2, 3, 4, 5]));
	});

	it('keeps going across a gap, without a breath spanning it', () => {
		const { rr, t } = breathing({ inhaleS: 4, exhaleS: 6 }, 2);
		// 20 s of lost beats (a contact loss): the running RR sum jumps over it.
		const keep = t.map((x) => x < 600_000 || x >= 620_000);
		const s = estimateBreaths(
			rr.filter((_, i) => keep[i]),
			t.filter((_, i) => keep[i]),
			450_000,
			750_000
		);
		expect(s.reliable).toBe(true);
		expect(Math.abs(s.ratePerMin - 6)).toBeLessThan(0.5);
		expect(Math.abs(s.medianRatio - 1.5)).toBeLessThan(0.2);
		for (const b of s.breaths) {
			const end = b.startS + b.inhaleS + b.exhaleS;
			expect(end <= 600.5 || b.startS >= 619.5).toBe(true);
		}
	});
});
