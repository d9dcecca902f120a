import { describe, expect, it } from 'vitest';
import { breathAt, breathsPerMinute, DEFAULT_BREATH, patternFor } from '$lib/practice/pacer';

describe('breathing pacer', () => {
	it('defaults to 4 s in, 6 s out: six breaths a minute', () => {
		expect(DEFAULT_BREATH).toEqual({ inhaleS: 4, exhaleS: 6 });
		expect(breathsPerMinute(DEFAULT_BREATH)).toBe(6);
	});
	it('fills during the inhale and empties during the longer exhale', () => {
		expect(breathAt(0, DEFAULT_BREATH)).toMatchObject({ phase: 'in', fill: 0 });
		expect(breathAt(2, DEFAULT_BREATH).fill).toBeCloseTo(0.5, 9);
		expect(breathAt(4, DEFAULT_BREATH)).toMatchObject({ phase: 'out', fill: 1 });
		expect(breathAt(7, DEFAULT_BREATH).fill).toBeCloseTo(0.5, 9);
		expect(breathAt(9, DEFAULT_BREATH).remainingS).toBeCloseTo(1, 9);
		expect(breathAt(10, DEFAULT_BREATH)).toMatchObject({ phase: 'in', fill: 0 });
	});
	it('builds a pattern from a rate and an exhale share', () => {
		expect(patternFor(6, 0.6)).toEqual({ inhaleS: 4, exhaleS: 6 });
		expect(patternFor(5, 0.5)).toEqual({ inhaleS: 6, exhaleS: 6 });
	});
});
