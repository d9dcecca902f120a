/**
 * A run of measured breaths in two figures: the rate (breaths over their total time) and the
 * out/in ratio (total out-breath time over total in-breath time). Totals, not medians of each
 * breath's figure: a ratio of two noisy lengths is skewed, a ratio of sums is not.
 */
import type { MeasuredBreath } from './analyse';

export interface BreathSummary {
	count: number;
	ratePerMin: number;
	ratio: number;
}

export function summariseBreaths(breaths: readonly MeasuredBreath[]): BreathSummary {
	let total = 0;
	let out = 0;
	for (const b of breaths) {
		total += b.endMs - b.inStartMs;
		out += b.endMs - b.outStartMs;
	}
	if (breaths.length === 0 || total <= out)
		return { count: breaths.length, ratePerMin: NaN, ratio: NaN };
	return {
		count: breaths.length,
		ratePerMin: (60_000 * breaths.length) / total,
		ratio: out / (total - out)
	};
}
