import { describe, expect, it } from 'vitest';
import {
	differenceOfMeans,
	randomizationInterval,
	randomizationTest,
	seededRandom,
	type Arm
} from '$lib/experiment';

const pairs = (n: number) => Array.from({ length: 2 * n }, (_, i) => Math.floor(i / 2));
const RS = (n: number): Arm[] =>
	Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 'rest' : 'routine'));

describe('randomization test', () => {
	it('matches a hand-worked case: three day pairs', () => {
		// Pairs (routine, rest): (5,3) (6,2) (4,3). Observed 15/3 - 8/3 = 7/3. Swapping pairs flips
		// the signs of the pair differences 2, 4, 1: sums ±7, ±5, ±3, ±1; only ±7 are as large.
		const r = randomizationTest([5, 3, 6, 2, 4, 3], RS(3), pairs(3), seededRandom(1));
		expect(r.observed).toBeCloseTo(7 / 3, 12);
		expect(r.exact).toBe(true);
		expect(r.assignments).toBe(8);
		expect(r.p).toBe(2 / 8);
	});

	it('matches a hand-worked case with a missed reading', () => {
		// Pair 1 lost its rest day. Observed: routine {5, 6}, rest {2}: 3.5. The four assignments
		// give 3.5, 2.5, -2.5, -3.5: two are at least as large.
		const r = randomizationTest([5, undefined, 6, 2], RS(2), pairs(2), seededRandom(1));
		expect(r.observed).toBeCloseTo(3.5, 12);
		expect(r.p).toBe(0.5);
	});

	it('counts ties with the observed difference as extreme', () => {
		const r = randomizationTest([1, 0, 1, 0, 1, 0], RS(3), pairs(3), seededRandom(1));
		expect(r.p).toBe(2 / 8);
	});

	it('goes Monte Carlo past 16 blocks, states its error, and agrees with full enumeration', () => {
		const random = seededRandom(3);
		const n = 18;
		const values = Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 0 : 0.4) + random() * 2);
		const arms = RS(n);
		const r = randomizationTest(values, arms, pairs(n), seededRandom(9));
		expect(r.exact).toBe(false);
		expect(r.assignments).toBe(2 ** n);
		expect(r.draws).toBe(20000);
		// Reference: all 2^18 assignments by brute force.
		const d = Array.from({ length: n }, (_, b) => values[2 * b] - values[2 * b + 1]);
		const obs = Math.abs(d.reduce((a, b) => a + b, 0));
		let extreme = 0;
		for (let m = 0; m < 2 ** n; m++) {
			let s = 0;
			for (let b = 0; b < n; b++) s += m & (1 << b) ? -d[b] : d[b];
			if (Math.abs(s) >= obs - 1e-9) extreme++;
		}
		const exact = extreme / 2 ** n;
		expect(Math.abs(r.p - exact)).toBeLessThan(4 * r.se! + 1e-4);
		expect(r.se!).toBeLessThan(0.004);
	});
});

describe('difference of means', () => {
	it('gives Welch 95 % interval as worked by hand', () => {
		// diff -3, SE sqrt(1/3 + 1/3), df 4, t(0.975, 4) = 2.776445.
		const e = differenceOfMeans([1, 2, 3], [4, 5, 6]);
		expect(e.diff).toBe(-3);
		expect(e.low).toBeCloseTo(-3 - 2.776445 * Math.sqrt(2 / 3), 5);
		expect(e.high).toBeCloseTo(-3 + 2.776445 * Math.sqrt(2 / 3), 5);
	});

	it('has no interval with fewer than two days in an arm', () => {
		const e = differenceOfMeans([1], [4, 5, 6]);
		expect(e.diff).toBe(-4);
		expect(Number.isNaN(e.low)).toBe(true);
	});
});

describe('the interval from inverting the test', () => {
	it('excludes no difference exactly when p < 0.05, and moves with a shift of the routine days', () => {
		const random = seededRandom(21);
		for (let k = 0; k < 30; k++) {
			const n = 10;
			const effect = (k % 3) * 0.5;
			const values = Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 0 : effect) + random());
			const r = randomizationTest(values, RS(n), pairs(n), seededRandom(1));
			const ci = randomizationInterval(values, RS(n), pairs(n), 1);
			expect(ci.low).toBeLessThanOrEqual(r.observed);
			expect(ci.high).toBeGreaterThanOrEqual(r.observed);
			expect(r.p < 0.05).toBe(ci.low > 0 || ci.high < 0);
			const shifted = values.map((v, i) => (i % 2 ? v : v + 2));
			const ci2 = randomizationInterval(shifted, RS(n), pairs(n), 1);
			expect(ci2.low).toBeCloseTo(ci.low + 2, 3);
			expect(ci2.high).toBeCloseTo(ci.high + 2, 3);
		}
	});

	it('has no finite bounds when the design cannot reach 5 %', () => {
		const ci = randomizationInterval([5, 3, 6, 2], RS(2), pairs(2), 1);
		expect(ci.low).toBe(-Infinity);
		expect(ci.high).toBe(Infinity);
	});
});
