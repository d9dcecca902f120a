import { describe, expect, it } from 'vitest';
import { numberTick } from '$lib/components/charts/number-ticks';

const ticks = (...values: number[]) => values.map((value) => ({ value }));

describe('numeric tick labels', () => {
	it('sets thousands apart from 10,000 up, so a spectrum axis reads at a glance', () => {
		const t = ticks(0, 2_000_000, 4_000_000, 6_000_000, 8_000_000);
		expect(numberTick(8_000_000, 4, t)).toBe('8\u202f000\u202f000');
		expect(numberTick(0, 0, t)).toBe('0');
		expect(numberTick(-20_000, 0, ticks(-20_000, -10_000, 0))).toBe('-20\u202f000');
	});

	it('leaves smaller numbers and decimals as they were', () => {
		expect(numberTick(1400, 0, ticks(400, 600, 800, 1000, 1200, 1400))).toBe('1400');
		expect(numberTick(0.2, 1, ticks(0, 0.2, 0.4))).toBe('0.2');
		expect(numberTick(3.5, 0, ticks(3, 3.5, 4))).toBe('3.5');
		expect(numberTick(12_500.5, 0, ticks(12_500, 12_500.5, 12_501))).toBe('12\u202f500.5');
	});
});
