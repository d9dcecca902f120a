/**
 * The breathing pacer's rhythm: an exhale longer than the inhale (default 4 s in, 6 s out, six
 * breaths a minute), the pattern constructive rest asks for. Pure: the visual and the demo strap's
 * breathing both read it. The cycle's math (breathAt) lives in $lib/analysis/breath-cycle, so the
 * analysis engine measures against the same breath the pacer shows.
 */
import type { BreathPattern } from '$lib/analysis/breath/cycle';

export {
	breathAt,
	breathsPerMinute,
	exhaleShare,
	outInRatio,
	type BreathPattern,
	type BreathPhase
} from '$lib/analysis/breath/cycle';

export const DEFAULT_BREATH: BreathPattern = { inhaleS: 4, exhaleS: 6 };

/** Pattern for a rate (breaths/min) and an exhale share of the breath (0.5 = even, 0.6 = 4:6). */
export function patternFor(ratePerMin: number, exhaleShare: number): BreathPattern {
	const cycle = 60 / ratePerMin;
	const exhaleS = round1(cycle * exhaleShare);
	return { inhaleS: round1(cycle - exhaleS), exhaleS };
}

function round1(x: number): number {
	return Math.round(x * 10) / 10;
}
