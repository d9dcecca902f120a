/**
 * The paced breath's cycle as pure math: where in the breath a moment falls, and how full the
 * lungs are. The pacer's visual ($lib/practice/pacer re-exports these), the demo strap's breathing
 * and the resonance assessment's phase reference all read this one definition.
 */
export interface BreathPattern {
	inhaleS: number;
	exhaleS: number;
}

export function breathsPerMinute(p: BreathPattern): number {
	return 60 / (p.inhaleS + p.exhaleS);
}

/** How many times longer the out-breath is than the in-breath (1.5 for 4 s in, 6 s out). */
export function outInRatio(p: BreathPattern): number {
	return p.exhaleS / p.inhaleS;
}

/** The out-breath's share of the whole breath (0.6 for 4 s in, 6 s out). */
export function exhaleShare(p: BreathPattern): number {
	return p.exhaleS / (p.inhaleS + p.exhaleS);
}

export interface BreathPhase {
	phase: 'in' | 'out';
	/** 0 → 1 through the current phase. */
	progress: number;
	/** Lung fill 0 (empty) → 1 (full), eased so the visual moves like a breath. */
	fill: number;
	/** Seconds left in the phase. */
	remainingS: number;
}

/** Where a breath cycle that started (empty lungs, inhale beginning) elapsedS ago stands. */
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

/**
 * Time (s into the cycle) at which the fundamental (first Fourier component) of the lung fill
 * peaks: the reference against which a heart-rate rhythm's phase is measured. For an even breath it
 * is the moment of full lungs (inhaleS); a longer exhale moves it a little later.
 */
export function fillFundamentalPeakS(p: BreathPattern): number {
	const cycle = p.inhaleS + p.exhaleS;
	const n = 512;
	let re = 0;
	let im = 0;
	for (let k = 0; k < n; k++) {
		const t = ((k + 0.5) * cycle) / n;
		const w = (2 * Math.PI * t) / cycle;
		const f = breathAt(t, p).fill;
		re += f * Math.cos(w);
		im += f * Math.sin(w);
	}
	// fill ≈ c + A·cos(2π(t − t₀)/cycle): (re, im) ∝ (cos φ₀, sin φ₀) with φ₀ = 2πt₀/cycle.
	const phi = Math.atan2(im, re);
	return ((((phi / (2 * Math.PI)) * cycle) % cycle) + cycle) % cycle;
}
