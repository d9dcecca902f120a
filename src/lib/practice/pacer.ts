/**
 * The breathing pacer's rhythm: an exhale longer than the inhale (default 4 s in, 6 s out, six
 * breaths a minute), the pattern constructive rest asks for. Pure: the visual and the demo strap's
 * breathing both read it.
 */
export interface BreathPattern {
	inhaleS: number;
	exhaleS: number;
}

export const DEFAULT_BREATH: BreathPattern = { inhaleS: 4, exhaleS: 6 };

export interface BreathPhase {
	phase: 'in' | 'out';
	/** 0 → 1 through the current phase. */
	progress: number;
	/** Lung fill 0 (empty) → 1 (full), eased so the visual moves like a breath. */
	fill: number;
	/** Seconds left in the phase. */
	remainingS: number;
}

export function breathsPerMinute(p: BreathPattern): number {
	return 60 / (p.inhaleS + p.exhaleS);
}

/** Pattern for a rate (breaths/min) and an exhale share of the breath (0.5 = even, 0.6 = 4:6). */
export function patternFor(ratePerMin: number, exhaleShare: number): BreathPattern {
	const cycle = 60 / ratePerMin;
	const exhaleS = round1(cycle * exhaleShare);
	return { inhaleS: round1(cycle - exhaleS), exhaleS };
}

export function breathAt(elapsedS: number, p: BreathPattern): BreathPhase {
	const cycle = p.inhaleS + p.exhaleS;
	const t = ((elapsedS % cycle) + cycle) % cycle;
	const ease = (x: number) => (1 - Math.cos(Math.PI * x)) / 2;
	if (t < p.inhaleS) {
		const progress = t / p.inhaleS;
		return { phase: 'in', progress, fill: ease(progress), remainingS: p.inhaleS - t };
	}
	const progress = (t - p.inhaleS) / p.exhaleS;
	return { phase: 'out', progress, fill: 1 - ease(progress), remainingS: cycle - t };
}

function round1(x: number): number {
	return Math.round(x * 10) / 10;
}
