/**
 * Least-squares fit of a sinusoid of known frequency, on top of a straight line, to unevenly timed
 * samples: y ≈ c + d·t + A·cos(2πf(t − tPeak)). Beat-by-beat heart rate is uneven in time, so the
 * fit works on the beats themselves (no resampling). A slow trend (heart rate settling) is taken
 * out by the line so it does not leak into the phase.
 */
export interface SineFit {
	/** Amplitude A (units of y). */
	amplitude: number;
	/** Time of the first peak at or after t = 0, in [0, period). */
	peakS: number;
	offset: number;
	slopePerS: number;
	/** RMS of the residual. */
	residualRms: number;
	n: number;
}

const NONE: SineFit = {
	amplitude: NaN,
	peakS: NaN,
	offset: NaN,
	slopePerS: NaN,
	residualRms: NaN,
	n: 0
};

/** Solves the 4×4 system A·x = b in place (Gaussian elimination, partial pivoting). */
function solve4(a: number[][], b: number[]): number[] | undefined {
	const n = 4;
	for (let c = 0; c < n; c++) {
		let p = c;
		for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
		if (Math.abs(a[p][c]) < 1e-12) return undefined;
		[a[c], a[p]] = [a[p], a[c]];
		[b[c], b[p]] = [b[p], b[c]];
		for (let r = c + 1; r < n; r++) {
			const f = a[r][c] / a[c][c];
			for (let k = c; k < n; k++) a[r][k] -= f * a[c][k];
			b[r] -= f * b[c];
		}
	}
	const x = [0, 0, 0, 0];
	for (let r = n - 1; r >= 0; r--) {
		let s = b[r];
		for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
		x[r] = s / a[r][r];
	}
	return x;
}

/** The linear model c + d·(t − t̄) + a·cos θ + b·sin θ, as fitted. */
export interface PhaseFit {
	a: number;
	b: number;
	c: number;
	d: number;
	tMean: number;
	residualRms: number;
	n: number;
}

/**
 * Least squares of y ≈ c + d·(t − t̄) + a·cos θ + b·sin θ, where each sample has its own phase θ
 * (radians): θ = ωt for a fixed frequency (fitSine), or each sample's place in its own breath's
 * cycle when breaths are measured and uneven (breath-measured/resonance-breath.ts). Undefined when
 * fewer than 6 samples or degenerate.
 */
export function fitAtPhases(
	t: ArrayLike<number>,
	theta: ArrayLike<number>,
	y: ArrayLike<number>
): PhaseFit | undefined {
	const n = Math.min(t.length, theta.length, y.length);
	if (n < 6) return undefined;
	let tMean = 0;
	for (let i = 0; i < n; i++) tMean += t[i];
	tMean /= n;
	const ata = [
		[0, 0, 0, 0],
		[0, 0, 0, 0],
		[0, 0, 0, 0],
		[0, 0, 0, 0]
	];
	const aty = [0, 0, 0, 0];
	const row = [0, 0, 0, 0];
	for (let i = 0; i < n; i++) {
		row[0] = 1;
		row[1] = t[i] - tMean;
		row[2] = Math.cos(theta[i]);
		row[3] = Math.sin(theta[i]);
		for (let r = 0; r < 4; r++) {
			aty[r] += row[r] * y[i];
			for (let c = 0; c < 4; c++) ata[r][c] += row[r] * row[c];
		}
	}
	const x = solve4(ata, aty);
	if (!x) return undefined;
	const [c, d, a, b] = x;
	let ss = 0;
	for (let i = 0; i < n; i++) {
		const fit = c + d * (t[i] - tMean) + a * Math.cos(theta[i]) + b * Math.sin(theta[i]);
		ss += (y[i] - fit) ** 2;
	}
	return { a, b, c, d, tMean, residualRms: Math.sqrt(ss / n), n };
}

/** Fits samples (t in s, y) at frequency freqHz; NaNs when fewer than 6 samples or degenerate. */
export function fitSine(t: ArrayLike<number>, y: ArrayLike<number>, freqHz: number): SineFit {
	if (!(freqHz > 0)) return NONE;
	const w = 2 * Math.PI * freqHz;
	// The trig terms take t itself (not t − t̄), which keeps the phase absolute.
	const theta = Array.from({ length: Math.min(t.length, y.length) }, (_, i) => w * t[i]);
	const fit = fitAtPhases(t, theta, y);
	if (!fit) return NONE;
	const { a, b, c, d, tMean } = fit;
	// a·cos ωt + b·sin ωt = A·cos(ωt − φ), φ = atan2(b, a): the peak is at t = φ/ω.
	const period = 1 / freqHz;
	const peak = Math.atan2(b, a) / w;
	return {
		amplitude: Math.hypot(a, b),
		peakS: ((peak % period) + period) % period,
		offset: c - d * tMean,
		slopePerS: d,
		residualRms: fit.residualRms,
		n: fit.n
	};
}

/** An angle in degrees wrapped to (−180, 180]. */
export function wrapDeg(deg: number): number {
	const w = deg - 360 * Math.floor((deg + 180) / 360);
	return w === -180 ? 180 : w;
}
