import { describe, expect, it } from 'vitest';
import { measuredSessionFigures } from '$lib/breath-measured/session-figures';

/** Breaths of `inS` in and `outS` out, back to back from `fromMs`. */
function breaths(n: number, inS: number, outS: number, fromMs = 0) {
	return Array.from({ length: n }, (_, i) => {
		const inStartMs = fromMs + i * (inS + outS) * 1000;
		return {
			inStartMs,
			outStartMs: inStartMs + inS * 1000,
			endMs: inStartMs + (inS + outS) * 1000,
			depthMg: 5
		};
	});
}

describe("a session's measured breathing figures", () => {
	it('reads rate and ratio from the breaths, and movement once where marks overlap', () => {
		const f = measuredSessionFigures({
			breaths: [...breaths(10, 4, 6), ...breaths(5, 4, 6, 200_000)],
			movements: [
				{ startMs: 101_000, endMs: 121_000 },
				{ startMs: 115_000, endMs: 125_000 },
				{ startMs: 300_000, endMs: 305_000 }
			]
		});
		expect(f.measuredBreathRate).toBeCloseTo(6, 9);
		expect(f.measuredBreathRatio).toBeCloseTo(1.5, 9);
		expect(f.measuredBreaths).toBe(15);
		expect(f.movedS).toBeCloseTo(24 + 5, 9);
		expect(f.movements).toBe(3);
	});

	it('holds no rate or ratio when no breath was read', () => {
		const f = measuredSessionFigures({ breaths: [], movements: [] });
		expect(f).toEqual({ measuredBreaths: 0, movedS: 0, movements: 0 });
	});
});
