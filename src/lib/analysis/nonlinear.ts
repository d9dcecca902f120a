/**
 * Nonlinear HRV with NeuroKit2 0.2.12's definitions (docs/hrv-algorithms.md §6):
 * - Poincaré SD1 = SD((RRₙ − RRₙ₊₁)/√2), SD2 = SD((RRₙ + RRₙ₊₁)/√2), ddof = 1 (Brennan 2001);
 * - sample entropy (Richman & Moorman 2000) and approximate entropy (Pincus 1991), m = 2,
 *   r = 0.2·SD(RR), Chebyshev distance ≤ r, counted with a k-d tree (no N² time or memory);
 * - DFA (Peng et al. 1995): profile = cumsum(RR − mean), windows overlapping by half, linear
 *   detrend per window, F(n) = √mean(residual variance), α = slope of log₂F on log₂n;
 *   α1 over 4-16 beats and α2 over 16-64 beats (Kubios' ranges).
 * Degenerate input (too short, no variance, no matches) gives NaN for that metric.
 */
import { matchCounts } from './match-count';
import { sd } from './stats';

export interface NonlinearMetrics {
	sd1: number;
	sd2: number;
	sd1sd2: number;
	sampEn: number;
	apEn: number;
	dfaA1: number;
	dfaA2: number;
}

export function poincare(rrMs: ArrayLike<number>): { sd1: number; sd2: number; sd1sd2: number } {
	const n = rrMs.length - 1;
	if (n < 2) return { sd1: NaN, sd2: NaN, sd1sd2: NaN };
	const x1 = new Float64Array(n);
	const x2 = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		x1[i] = (rrMs[i] - rrMs[i + 1]) / Math.SQRT2;
		x2[i] = (rrMs[i] + rrMs[i + 1]) / Math.SQRT2;
	}
	const sd1 = sd(x1);
	const sd2 = sd(x2);
	return { sd1, sd2, sd1sd2: sd1 / sd2 };
}

/** Sample entropy for m = 2 (templates of 2 and 3 beats). */
export function sampleEntropy(rrMs: ArrayLike<number>, m: 2 = 2, r = 0.2 * sd(rrMs)): number {
	const n = rrMs.length - m;
	if (n < 2 || !(r > 0)) return NaN;
	// Both lengths use the same first N − m templates; self-matches excluded.
	const cm = matchCounts(rrMs, m as 2, n, r);
	const cm1 = matchCounts(rrMs, (m + 1) as 3, n, r);
	let b = 0;
	let a = 0;
	for (let p = 0; p < n; p++) {
		b += cm[p] - 1;
		a += cm1[p] - 1;
	}
	return a > 0 && b > 0 ? -Math.log(a / b) : NaN;
}

/** Approximate entropy for m = 2. */
export function approximateEntropy(rrMs: ArrayLike<number>, m: 2 = 2, r = 0.2 * sd(rrMs)): number {
	const n1 = rrMs.length - m + 1;
	const n2 = rrMs.length - m;
	if (n2 < 1 || !(r > 0)) return NaN;
	const phi = (dim: 2 | 3, count: number) => {
		const c = matchCounts(rrMs, dim, count, r);
		let s = 0;
		for (let p = 0; p < count; p++) s += Math.log(c[p] / count);
		return s / count;
	};
	return Math.abs(phi(2, n1) - phi(3, n2));
}

/** Fluctuation F(n) of the profile for one window size (NeuroKit2 fractal_dfa, q = 2). */
function fluctuation(profile: Float64Array, w: number): number {
	const n = profile.length;
	const step = Math.floor(w / 2);
	// x = 0..w−1 centred: Σx = 0 after centring, Sxx fixed for the window size.
	const xMean = (w - 1) / 2;
	let sxx = 0;
	for (let i = 0; i < w; i++) sxx += (i - xMean) ** 2;
	let sumVar = 0;
	let windows = 0;
	for (let s = 0; s < n - w; s += step) {
		let yMean = 0;
		for (let i = 0; i < w; i++) yMean += profile[s + i];
		yMean /= w;
		let sxy = 0;
		let syy = 0;
		for (let i = 0; i < w; i++) {
			const dy = profile[s + i] - yMean;
			sxy += (i - xMean) * dy;
			syy += dy * dy;
		}
		const v = (syy - (sxy * sxy) / sxx) / w;
		// NeuroKit drops windows with (numerically) no variance.
		if (v > 1e-8) {
			sumVar += v;
			windows++;
		}
	}
	return windows ? Math.sqrt(sumVar / windows) : NaN;
}

export function dfa(rrMs: ArrayLike<number>, minScale: number, maxScale: number): number {
	const n = rrMs.length;
	if (n <= maxScale + 1 || minScale < 2) return NaN;
	let mean = 0;
	for (let i = 0; i < n; i++) mean += rrMs[i];
	mean /= n;
	const profile = new Float64Array(n);
	let acc = 0;
	for (let i = 0; i < n; i++) profile[i] = acc += rrMs[i] - mean;
	const xs: number[] = [];
	const ys: number[] = [];
	for (let w = minScale; w <= maxScale; w++) {
		const f = fluctuation(profile, w);
		if (f > 0) {
			xs.push(Math.log2(w));
			ys.push(Math.log2(f));
		}
	}
	return slope(xs, ys);
}

function slope(xs: number[], ys: number[]): number {
	const k = xs.length;
	if (k < 2) return NaN;
	const mx = xs.reduce((a, b) => a + b, 0) / k;
	const my = ys.reduce((a, b) => a + b, 0) / k;
	let sxy = 0;
	let sxx = 0;
	for (let i = 0; i < k; i++) {
		sxy += (xs[i] - mx) * (ys[i] - my);
		sxx += (xs[i] - mx) ** 2;
	}
	return sxy / sxx;
}

/** SampEn and ApEn (m = 2) from one pair of match counts. */
function entropies(x: ArrayLike<number>, r: number): { sampEn: number; apEn: number } {
	const N = x.length;
	if (N - 2 < 2 || !(r > 0))
		return { sampEn: sampleEntropy(x, 2, r), apEn: approximateEntropy(x, 2, r) };
	const c2 = matchCounts(x, 2, N - 1, r);
	const c3 = matchCounts(x, 3, N - 2, r);
	const n = N - 2;
	let b = 0;
	let a = 0;
	for (let p = 0; p < n; p++) {
		// sampEn counts 2-templates among the first N − 2 only: drop template N − 2.
		const last = Math.abs(x[p] - x[N - 2]) <= r && Math.abs(x[p + 1] - x[N - 1]) <= r ? 1 : 0;
		b += c2[p] - last - 1;
		a += c3[p] - 1;
	}
	const sampEn = a > 0 && b > 0 ? -Math.log(a / b) : NaN;
	let s2 = 0;
	for (let p = 0; p < N - 1; p++) s2 += Math.log(c2[p] / (N - 1));
	let s3 = 0;
	for (let p = 0; p < n; p++) s3 += Math.log(c3[p] / n);
	return { sampEn, apEn: Math.abs(s2 / (N - 1) - s3 / n) };
}

export function nonlinearMetrics(rrMs: ArrayLike<number>): NonlinearMetrics {
	const r = 0.2 * sd(rrMs);
	return {
		...poincare(rrMs),
		...entropies(rrMs, r),
		dfaA1: dfa(rrMs, 4, 16),
		dfaA2: dfa(rrMs, 16, 64)
	};
}
