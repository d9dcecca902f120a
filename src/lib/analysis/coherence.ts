/**
 * HeartMath-style coherence (McCraty et al. 2009, docs/hrv-algorithms.md §8): over the last 64 s,
 * RR resampled at 2 Hz (128 points), Hann-windowed power spectrum; the highest peak in
 * 0.04-0.26 Hz; coherence = power within ±0.015 Hz of that peak / power of the rest of the
 * spectrum (0.0033-0.4 Hz). Updated every 5 s during a session. Also gives the breathing rate
 * (frequency of the highest peak in 0.05-0.5 Hz).
 *
 * The peak window is fixed in Hz around the peak's interpolated frequency, on a grid 8× finer than
 * the window's resolution (zero padding), its edge bins weighted by the share inside: a window of
 * whole bins on a 1/128 Hz grid took more or less of the same peak as it fell on or between bins,
 * so the same swing read 4.02 at 6.5 breaths a minute and 3.48 at 4.5 (now within 1 %).
 */
import FFT from 'fft.js';
import { resampleRr } from './resample';

export const COHERENCE_WINDOW_S = 64;
export const COHERENCE_FS = 2;
const N = COHERENCE_WINDOW_S * COHERENCE_FS;
/** Zero-padded to 1024 points (1/512 Hz bins): the ±0.015 Hz peak window spans about 15 bins. */
const NFFT = 8 * N;
const fft = new FFT(NFFT);
const win = Float64Array.from({ length: N }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N));
const out = fft.createComplexArray();
const buf = new Float64Array(NFFT);

export interface Coherence {
	coherence: number;
	peakHz: number;
	/** Breaths per minute from the dominant respiratory peak. */
	respirationRate: number;
}

/**
 * Coherence of the window of RR intervals (ms) that ends with the last one. Needs at least 64 s of
 * beats; returns NaNs otherwise.
 */
export function coherenceOfWindow(rrMs: ArrayLike<number>): Coherence {
	const nan = { coherence: NaN, peakHz: NaN, respirationRate: NaN };
	let span = 0;
	for (let i = 0; i < rrMs.length; i++) span += rrMs[i];
	if (rrMs.length < 8 || span < COHERENCE_WINDOW_S * 1000) return nan;
	const { values } = resampleRr(rrMs, COHERENCE_FS);
	// The newest 128 samples.
	const start = values.length - N;
	let m = 0;
	for (let i = 0; i < N; i++) m += values[start + i];
	m /= N;
	for (let i = 0; i < N; i++) buf[i] = (values[start + i] - m) * win[i];
	fft.realTransform(out, buf);
	const df = COHERENCE_FS / NFFT;
	const power = (k: number) => out[2 * k] ** 2 + out[2 * k + 1] ** 2;
	let peakK = -1;
	let respK = -1;
	for (let k = 1; k <= NFFT / 2; k++) {
		const f = k * df;
		if (f >= 0.04 && f <= 0.26 && (peakK < 0 || power(k) > power(peakK))) peakK = k;
		if (f >= 0.05 && f <= 0.5 && (respK < 0 || power(k) > power(respK))) respK = k;
	}
	// The peak's frequency between bins: a parabola through the log powers of its bin and the two
	// beside it (exact for a Gaussian-shaped lobe, within a few % of a bin for Hann's).
	const ln = (k: number) => Math.log(Math.max(power(k), 1e-300));
	const [a, b, c] = [ln(peakK - 1), ln(peakK), ln(peakK + 1)];
	const shift = a - 2 * b + c < 0 ? (0.5 * (a - c)) / (a - 2 * b + c) : 0;
	const peakHz = (peakK + Math.max(-0.5, Math.min(0.5, shift))) * df;
	let peak = 0;
	let total = 0;
	for (let k = 1; k <= NFFT / 2; k++) {
		const f = k * df;
		if (f < 0.0033 || f > 0.4) continue;
		const p = power(k);
		total += p;
		// Each bin stands for [f − df/2, f + df/2]; the share of it inside the window counts.
		const inside = Math.min(f + df / 2, peakHz + 0.015) - Math.max(f - df / 2, peakHz - 0.015);
		if (inside > 0) peak += (p * Math.min(inside, df)) / df;
	}
	const rest = total - peak;
	return {
		coherence: rest > 0 ? peak / rest : NaN,
		peakHz,
		respirationRate: 60 * respK * df
	};
}

/** Coherence every 5 s through a session (x: end of window, s since the first beat). */
export function coherenceSeries(rrMs: ArrayLike<number>, stepS = 5): { x: number; y: number }[] {
	const t: number[] = [];
	let acc = 0;
	for (let i = 0; i < rrMs.length; i++) t.push((acc += rrMs[i]));
	const series: { x: number; y: number }[] = [];
	let from = 0;
	for (let endS = COHERENCE_WINDOW_S; endS * 1000 <= acc; endS += stepS) {
		let end = from;
		while (end < t.length && t[end] <= endS * 1000) end++;
		while (from < end && t[end - 1] - t[from] > COHERENCE_WINDOW_S * 1000 + 2000) from++;
		const c = coherenceOfWindow(Array.prototype.slice.call(rrMs, Math.max(0, from - 1), end));
		if (Number.isFinite(c.coherence)) series.push({ x: endS, y: c.coherence });
	}
	return series;
}
