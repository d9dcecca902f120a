import { describe, expect, it } from 'vitest';
import {
	covering,
	extent,
	periodStart,
	sharedRange,
	sortedByX
} from '$lib/components/charts/axis-fit';

const pts = (...xy: [number, number][]) => xy.map(([x, y]) => ({ x, y }));

describe('sortedByX', () => {
	it('tells series sorted by x (time, frequency, bins) from scatters', () => {
		expect(sortedByX([])).toBe(true);
		expect(sortedByX(pts([0, 5]))).toBe(true);
		expect(sortedByX(pts([0, 5], [1, 2], [1, 9], [3, 1]))).toBe(true);
		// Felt against heart, sessions by date: the drops are in no order.
		expect(sortedByX(pts([8, 2], [3, 0], [15, 5], [7, 2]))).toBe(false);
		// Poincaré: RRn against RRn+1, in beat order.
		expect(sortedByX(pts([900, 917], [917, 924], [924, 880], [880, 860]))).toBe(false);
	});
});

describe('extent', () => {
	it('spans every finite value of every set', () => {
		const a = pts([8, 2], [3, 0], [15, 5]);
		const b = pts([7, -1], [NaN, 40], [1.5, 6]);
		expect(extent([a, b], 'x')).toEqual({ min: 1.5, max: 15 });
		expect(extent([a, b], 'y')).toEqual({ min: -1, max: 40 });
		expect(extent([[], []], 'x')).toBeUndefined();
	});
});

describe('covering', () => {
	it("moves the owner's bound out to every dot, never in", () => {
		const dots = { min: -0.2, max: 0.1 };
		expect(covering(0, dots, 'max')).toBe(0.1);
		expect(covering(-182, dots, 'min')).toBe(-182);
		expect(covering(5, dots, 'min')).toBe(-0.2);
		expect(covering(undefined, dots, 'min')).toBeUndefined();
		expect(covering(0, undefined, 'max')).toBe(0);
	});
});

describe('periodStart', () => {
	it('keeps the period when the history reaches back to its start', () => {
		expect(periodStart(182, -181.6)).toBe(-182);
		expect(periodStart(90, -85)).toBe(-90);
	});

	it('fits the axis to a history shorter than the period, a week at the least', () => {
		// Ten days of a six-month period: Chart.js fits the axis to the readings.
		expect(periodStart(182, -10.3)).toBeUndefined();
		// A new user's first morning: a week, not six months with a dot on its edge.
		expect(periodStart(182, -0.1)).toBe(-6);
		expect(periodStart(0, -0.1)).toBe(-6);
		expect(periodStart(0, -400)).toBeUndefined();
	});

	it('shows the period when there are no readings in it', () => {
		expect(periodStart(182, undefined)).toBe(-182);
		expect(periodStart(0, undefined)).toBeUndefined();
	});
});

describe('one range for both axes of a Poincaré plot', () => {
	it('covers x and y alike, on whole steps, with room for the dots at both ends', () => {
		// The session page's plot ran 750-950 across and 700-1000 up for one set of intervals.
		const rr = [777, 802, 830, 860, 905, 956, 940, 880, 820, 790];
		const points = rr.slice(1).map((y, i) => ({ x: rr[i], y }));
		const r = sharedRange([points])!;
		expect(r.min).toBeLessThan(777);
		expect(r.max).toBeGreaterThan(956);
		expect(r.min % 50).toBe(0);
		expect(r.max % 50).toBe(0);
		expect(r.max - r.min).toBeLessThanOrEqual(300);
	});

	it('moves a bound a step out when a dot would sit on it', () => {
		const r = sharedRange([
			[
				{ x: 800, y: 900 },
				{ x: 900, y: 800 }
			]
		])!;
		expect(r.min).toBeLessThan(800);
		expect(r.max).toBeGreaterThan(900);
	});

	it('has a range for one interval repeated, and none for no points', () => {
		const r = sharedRange([[{ x: 1000, y: 1000 }]])!;
		expect(r.min).toBeLessThan(1000);
		expect(r.max).toBeGreaterThan(1000);
		expect(sharedRange([[]])).toBeUndefined();
	});
});
