/**
 * One breathing rate for every page, the live dashboard and the command line, 4-20 breaths a
 * minute and more, never a harmonic.
 * - Counted breath by breath (estimate.ts) wherever the heart follows breathing clearly enough:
 *   the median breath's length, which slow paced breathing and an uneven breath read right.
 * - Otherwise (or for records longer than MAX_COUNTED_MS) the spectral peak of the heart's rhythm
 *   in 3-24 breaths a minute, moved down to the fundamental when the spectrum holds a real peak at
 *   half or a third of it. The HF peak (0.15-0.4 Hz) it replaces is the second harmonic of a breath
 *   slower than 9 a minute: a 1:2 breath at 6 a minute read 12.1.
 */
import type { Spectrum } from '../welch';
import { estimateBreaths } from './estimate';

/** Counting breaths in a day-long recording says nothing a practice needs and costs time. */
export const MAX_COUNTED_MS = 2 * 3_600_000;
const BAND_HZ: [number, number] = [0.05, 0.4];
/** A peak at f/k with at least this share of f's density is the fundamental. */
const FUNDAMENTAL_SHARE = 0.2;

export interface BreathingRate {
	ratePerMin: number;
	source: 'breaths' | 'spectrum' | 'none';
}

function peakNear(s: Spectrum, f: number, within: number): { f: number; p: number } {
	let best = { f: NaN, p: -Infinity };
	for (let k = 0; k < s.freq.length; k++)
		if (Math.abs(s.freq[k] - f) <= within && s.psd[k] > best.p)
			best = { f: s.freq[k], p: s.psd[k] };
	return best;
}

/** The breathing rhythm's fundamental in a heart-rhythm spectrum (breaths a minute), or NaN. */
export function spectralBreathingRate(s: Spectrum): number {
	let top = { f: NaN, p: -Infinity };
	for (let k = 0; k < s.freq.length; k++) {
		const f = s.freq[k];
		if (f >= BAND_HZ[0] && f <= BAND_HZ[1] && s.psd[k] > top.p) top = { f, p: s.psd[k] };
	}
	if (!Number.isFinite(top.f)) return NaN;
	let fundamental = top.f;
	for (const k of [3, 2]) {
		const below = peakNear(s, top.f / k, (0.08 * top.f) / k);
		if (below.f >= BAND_HZ[0] && below.p >= FUNDAMENTAL_SHARE * top.p) {
			fundamental = below.f;
			break;
		}
	}
	return 60 * fundamental;
}

/**
 * The breathing rate of beats (RR ms, interval end times ms) from `fromMs` on, with the spectrum of
 * the same record (frequency.ts) for when breaths cannot be counted.
 */
export function breathingRate(
	rrMs: ArrayLike<number>,
	timeMs: ArrayLike<number>,
	spectrum: Spectrum | undefined,
	fromMs = -Infinity
): BreathingRate {
	const n = timeMs.length;
	if (n > 0 && timeMs[n - 1] - timeMs[0] <= MAX_COUNTED_MS) {
		const b = estimateBreaths(rrMs, timeMs, fromMs);
		if (b.reliable) return { ratePerMin: b.ratePerMin, source: 'breaths' };
	}
	const r = spectrum ? spectralBreathingRate(spectrum) : NaN;
	return Number.isFinite(r)
		? { ratePerMin: r, source: 'spectrum' }
		: { ratePerMin: NaN, source: 'none' };
}
