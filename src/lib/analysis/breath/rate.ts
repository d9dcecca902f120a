/**
 * One breathing rate for every page, the live dashboard and the command line, 4-20 breaths a
 * minute and more, never a harmonic.
 * - Counted breath by breath (estimate.ts) wherever the heart follows breathing clearly enough:
 *   the median breath's length, which slow paced breathing and an uneven breath read right.
 * - Otherwise (or for records longer than MAX_COUNTED_MS) the HF peak, as Kubios reports it,
 *   unless the LF peak is the breath (spectralBreathingRate): below 9 breaths a minute the HF peak
 *   is the breath's harmonic, and a 1:2 breath at 6 a minute read 12.1.
 */
import { BANDS, bandPeak } from '../frequency';
import type { Spectrum } from '../welch';
import { estimateBreaths, type BreathSummary } from './estimate';

/** Counting breaths in a day-long recording says nothing a practice needs and costs time. */
export const MAX_COUNTED_MS = 2 * 3_600_000;
/**
 * The LF peak is the breath when it towers over the HF peak: paced breathing at 4-8 a minute gave
 * 18-190 times the HF peak's density on the known-truth hearts, the nine real resting recordings
 * at most 11.6 (their LF peaks are slow blood-pressure waves, their breathing in HF)...
 */
const LF_DOMINANCE = 15;
/** ...or when the HF peak sits at 2 or 3 times it (its harmonic) and it is this much stronger. */
const LF_DOMINANCE_WITH_HARMONIC = 5;
const HARMONIC_TOLERANCE = 0.05;

export interface BreathingRate {
	ratePerMin: number;
	source: 'breaths' | 'spectrum' | 'none';
	/** The breath-by-breath estimate, when the record was short enough to count. */
	breath?: BreathSummary;
}

function densityAt(s: Spectrum, f: number): number {
	let best = NaN;
	let gap = Infinity;
	for (let k = 0; k < s.freq.length; k++) {
		const d = Math.abs(s.freq[k] - f);
		if (d < gap) [gap, best] = [d, s.psd[k]];
	}
	return best;
}

/**
 * The breathing rate in a heart-rhythm spectrum (breaths a minute): the HF peak, as Kubios reports
 * it, unless the LF peak is the breath and the HF peak only its harmonic (slow breathing, below 9
 * a minute). Like Kubios's, it is a number even where the heart does not follow breathing: no
 * test of the peak's height told noise (3-4.5 times the band's median density) from the real
 * recordings' breathing peaks (1.8-300 times).
 */
export function spectralBreathingRate(s: Spectrum): number {
	const lf = bandPeak(s, BANDS.lf[0], BANDS.lf[1]);
	const hf = bandPeak(s, BANDS.hf[0], BANDS.hf[1]);
	if (!Number.isFinite(lf) || !Number.isFinite(hf)) return NaN;
	const dominance = densityAt(s, lf) / densityAt(s, hf);
	const ratio = hf / lf;
	const harmonic = [2, 3].some((k) => Math.abs(ratio / k - 1) <= HARMONIC_TOLERANCE);
	const slow = dominance >= LF_DOMINANCE || (harmonic && dominance >= LF_DOMINANCE_WITH_HARMONIC);
	return 60 * (slow ? lf : hf);
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
	const breath =
		n > 0 && timeMs[n - 1] - timeMs[0] <= MAX_COUNTED_MS
			? estimateBreaths(rrMs, timeMs, fromMs)
			: undefined;
	if (breath?.reliable) return { ratePerMin: breath.ratePerMin, source: 'breaths', breath };
	const r = spectrum ? spectralBreathingRate(spectrum) : NaN;
	return { ratePerMin: r, source: Number.isFinite(r) ? 'spectrum' : 'none', breath };
}
