import { describe, expect, it } from 'vitest';
import {
	assignmentMatchesSeed,
	blockOf,
	cryptoSeed,
	designProblem,
	drawAssignment,
	seededRandom
} from '$lib/experiment';

describe('balanced block assignment', () => {
	it('gives each pair of days one routine day and one rest day', () => {
		for (let seed = 1; seed < 50; seed++) {
			const arms = drawAssignment({ weeks: 4, block: 'days' }, seed);
			expect(arms).toHaveLength(28);
			for (let b = 0; b < 14; b++)
				expect([arms[2 * b], arms[2 * b + 1]].sort()).toEqual(['rest', 'routine']);
		}
	});

	it('gives each pair of weeks one routine week and one rest week', () => {
		const arms = drawAssignment({ weeks: 6, block: 'weeks' }, 99);
		expect(arms).toHaveLength(42);
		for (let b = 0; b < 3; b++) {
			const first = arms.slice(14 * b, 14 * b + 7);
			const second = arms.slice(14 * b + 7, 14 * b + 14);
			expect(new Set(first).size).toBe(1);
			expect(new Set(second).size).toBe(1);
			expect(first[0]).not.toBe(second[0]);
			expect(blockOf(14 * b + 13, 'weeks')).toBe(b);
		}
	});

	it('is reproducible from its seed, and different seeds give different orders', () => {
		const a = drawAssignment({ weeks: 8, block: 'days' }, 123456);
		expect(drawAssignment({ weeks: 8, block: 'days' }, 123456)).toEqual(a);
		const others = new Set(
			Array.from({ length: 20 }, (_, s) => drawAssignment({ weeks: 8, block: 'days' }, s).join())
		);
		expect(others.size).toBe(20);
	});

	it('orders each block at random: over many seeds each day is a routine day about half the time', () => {
		const counts = new Array(28).fill(0);
		for (let seed = 0; seed < 2000; seed++)
			drawAssignment({ weeks: 4, block: 'days' }, seed * 7919).forEach((a, i) => {
				if (a === 'routine') counts[i]++;
			});
		for (const c of counts) expect(Math.abs(c / 2000 - 0.5)).toBeLessThan(0.05);
	});

	it('knows a stored assignment that was changed after the draw', () => {
		const d = { weeks: 2, block: 'days' } as const;
		const arms = drawAssignment(d, 42);
		expect(assignmentMatchesSeed(d, 42, arms)).toBe(true);
		const redrawn = [...arms];
		[redrawn[0], redrawn[1]] = [redrawn[1], redrawn[0]];
		expect(assignmentMatchesSeed(d, 42, redrawn)).toBe(false);
	});

	it('refuses lengths outside 2-8 weeks and odd week counts with week blocks', () => {
		expect(designProblem({ weeks: 1, block: 'days' })).toMatch(/2 to 8/);
		expect(designProblem({ weeks: 9, block: 'days' })).toMatch(/2 to 8/);
		expect(designProblem({ weeks: 3, block: 'weeks' })).toMatch(/even/);
		expect(designProblem({ weeks: 3, block: 'days' })).toBeUndefined();
		expect(() => drawAssignment({ weeks: 3, block: 'weeks' }, 1)).toThrow(/even/);
	});

	it('takes its seed from the injected cryptographic source', () => {
		const seed = cryptoSeed((a) => {
			a[0] = 0xdeadbeef;
			return a;
		});
		expect(seed).toBe(0xdeadbeef);
		expect(Number.isInteger(cryptoSeed())).toBe(true);
	});

	it('the seeded generator is uniform enough', () => {
		const r = seededRandom(5);
		const xs = Array.from({ length: 20000 }, r);
		const m = xs.reduce((a, b) => a + b, 0) / xs.length;
		expect(Math.abs(m - 0.5)).toBeLessThan(0.01);
		expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...xs)).toBeLessThan(1);
	});
});
