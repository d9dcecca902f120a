import { describe, expect, it } from 'vitest';
import { formatCount, formatSigned } from '$lib/format/format';

describe('formatCount', () => {
	it('writes whole counts as toLocaleString("en") does', () => {
		for (const n of [0, 7, 999, 1000, 12_345, 1_000_000, 1_234_567_890, -4_321, 2.6])
			expect(formatCount(n)).toBe(Math.round(n).toLocaleString('en'));
	});
});

describe('a signed change', () => {
	it('has its sign, and none when it rounds to nothing', () => {
		expect(formatSigned(2.46, 1)).toBe('+2.5');
		expect(formatSigned(-0.3, 1)).toBe('−0.3');
		expect(formatSigned(-0.004, 1)).toBe('0.0');
		expect(formatSigned(0.04, 1)).toBe('0.0');
		expect(formatSigned(-3, 0, '-')).toBe('-3');
		expect(formatSigned(undefined)).toBe('–');
		expect(formatSigned(Number.NaN, 2)).toBe('–');
	});
});
