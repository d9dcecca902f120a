import { describe, expect, it } from 'vitest';
import { formatCount } from '$lib/format/format';

describe('formatCount', () => {
	it('writes whole counts as toLocaleString("en") does', () => {
		for (const n of [0, 7, 999, 1000, 12_345, 1_000_000, 1_234_567_890, -4_321, 2.6])
			expect(formatCount(n)).toBe(Math.round(n).toLocaleString('en'));
	});
});
