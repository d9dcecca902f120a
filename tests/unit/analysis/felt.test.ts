import { describe, expect, it } from 'vitest';
import {
	comparisonVerdict,
	correlation,
	describeAgreement,
	feltChange,
	pairedChange,
	pearson
} from '$lib/analysis';

describe('felt and measured together', () => {
	it('felt change is after minus before, unknown without both', () => {
		expect(feltChange(6, 3)).toBe(-3);
		expect(feltChange(6, undefined)).toBeUndefined();
	});

	it("Pearson's r and its Fisher-z interval match known values", () => {
		// x = 1..10, y = 2x + noise; r from the textbook formula in Python: 0.999691.
		const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
		const y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.0, 19.9];
		const r = pearson(x, y);
		expect(r).toBeCloseTo(0.999691, 5);
		// Known answer: n = 20, r = 0.5 → z = 0.549306, half = 1.959964/√17 = 0.475357,
		// interval tanh(0.073949) to tanh(1.024663) = 0.073811 to 0.771761.
		const c = correlation(
			Array.from({ length: 20 }, (_, i) => i),
			Array.from({ length: 20 }, (_, i) => i)
		);
		expect(c?.r).toBeCloseTo(1, 12);
		const half = 1.959963984540054 / Math.sqrt(17);
		expect(Math.tanh(Math.atanh(0.5) - half)).toBeCloseTo(0.073811, 5);
		expect(Math.tanh(Math.atanh(0.5) + half)).toBeCloseTo(0.771761, 5);
	});

	it('builds an interval for a constructed r of exactly 0.5', () => {
		// Two series with r = 0.5 exactly: y = x/2 + √3/2·e, x ⟂ e, both unit variance, n = 20.
		const n = 20;
		const x = Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * i) / n));
		const e = Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / n));
		const y = x.map((v, i) => 0.5 * v + (Math.sqrt(3) / 2) * e[i]);
		const c = correlation(x, y)!;
		expect(c.r).toBeCloseTo(0.5, 12);
		expect(c.low).toBeCloseTo(0.073811, 5);
		expect(c.high).toBeCloseTo(0.771761, 5);
		expect(describeAgreement(c, n)).toMatch(
			/go together moderately \(r = 0\.50, 95 % interval 0\.07 to 0\.77, 20 sessions\)/
		);
	});

	it('says when there are too few sessions, or no clear link', () => {
		expect(describeAgreement(undefined, 5)).toMatch(/Too few sessions to tell yet: 5 of 8/);
		const n = 12;
		const x = Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * i) / n));
		const y = Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / n));
		expect(describeAgreement(correlation(x, y), n)).toMatch(/No clear link yet/);
	});

	it('the verdict says when feeling and heart disagree', () => {
		const looserOnly = comparisonVerdict({
			settledHr: pairedChange([0.5, -0.4, 0.2, -0.3, 0.1], 2),
			settledLnRmssd: pairedChange([0.02, -0.03, 0.01, 0, -0.01], 0.2),
			feltAfter: pairedChange([-2, -3, -2, -2.5, -3], 1)
		});
		expect(looserOnly).toMatch(/felt tension fell by 2\.5 \(of 10\)/);
		expect(looserOnly).toMatch(/You felt looser; your heart figures did not change clearly/);
		const heartOnly = comparisonVerdict({
			settledHr: pairedChange([-5, -6, -4, -5, -6], 2),
			feltAfter: pairedChange([0.5, -0.5, 0, 0.5, -0.5], 1)
		});
		expect(heartOnly).toMatch(
			/Your heart settled further, though you did not feel a clear difference/
		);
	});
});
