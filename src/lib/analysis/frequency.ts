/**
 * Frequency-domain HRV, Kubios-style (docs/hrv-algorithms.md §5.2, §5.4): 4 Hz cubic-spline
 * resampling, smoothness-priors detrending (λ = 500), Welch (Hann, 300 s window, 50 % overlap,
 * nfft = 2 × window, segments covering the whole record — see welch.ts; a record no longer than
 * the window is one window over the whole record, as Kubios, not NeuroKit2's half-record
 * segments), band powers by the trapezoid rule over bins lo ≤ f < hi.
 * Lomb-Scargle on the uneven RR series is offered as an alternative.
 */
import { smoothnessPriorsDetrend } from './detrend';
import { lombScargle } from './lomb';
import { resampleRr } from './resample';
import { welch, type SegmentLayout, type Spectrum } from './welch';

export const BANDS = {
	ulf: [0, 0.0033],
	vlf: [0.0033, 0.04],
	lf: [0.04, 0.15],
	hf: [0.15, 0.4]
} as const;

/** Kubios reports VLF from 0 Hz; ULF only matters for 24 h records, so it is reported apart. */
const VLF_FROM_ZERO = [0, 0.04] as const;

export interface FrequencyOptions {
	method?: 'welch' | 'lomb';
	resampleHz?: number;
	/** Smoothness-priors λ (default 500); 0 turns detrending off (only the mean is removed). */
	lambda?: number;
	/** Welch window width (s), default 300 (Kubios 3.x); a shorter record is one window. */
	windowS?: number;
	/** Welch segment layout (default 'anchored'; 'scipy' only to cross-check scipy outputs). */
	segments?: SegmentLayout;
}

export interface FrequencyDomain {
	method: 'welch' | 'lomb';
	/** Absolute powers, ms². VLF spans 0-0.04 Hz (Kubios); ULF (0-0.0033 Hz) is part of it. */
	ulf: number;
	vlf: number;
	lf: number;
	hf: number;
	totalPower: number;
	lnVlf: number;
	lnLf: number;
	lnHf: number;
	/** Relative powers, % of total. */
	vlfPercent: number;
	lfPercent: number;
	hfPercent: number;
	/** Normalized units LF/(LF+HF)·100 and HF/(LF+HF)·100 (Task Force 1996). */
	lfNu: number;
	hfNu: number;
	lfhf: number;
	/** Frequency of the highest PSD bin inside the band (Hz). */
	vlfPeak: number;
	lfPeak: number;
	hfPeak: number;
	/** The Welch segment length actually used (s): windowS, or the record's length when shorter. */
	windowS: number;
	spectrum: Spectrum;
}

export function bandPower(s: Spectrum, lo: number, hi: number): number {
	let p = 0;
	let prevF = NaN;
	let prevP = NaN;
	let bins = 0;
	for (let k = 0; k < s.freq.length; k++) {
		const f = s.freq[k];
		if (f < lo || f >= hi) continue;
		if (bins > 0) p += ((s.psd[k] + prevP) / 2) * (f - prevF);
		prevF = f;
		prevP = s.psd[k];
		bins++;
	}
	return bins > 1 ? p : NaN;
}

export function bandPeak(s: Spectrum, lo: number, hi: number): number {
	let best = NaN;
	let bestP = -Infinity;
	for (let k = 0; k < s.freq.length; k++) {
		const f = s.freq[k];
		if (f >= lo && f < hi && s.psd[k] > bestP) {
			bestP = s.psd[k];
			best = f;
		}
	}
	return best;
}

/** The Kubios-style Welch spectrum of an RR series, and the window it used. */
export function rrSpectrum(
	rrMs: ArrayLike<number>,
	options: FrequencyOptions = {}
): { spectrum: Spectrum; windowS: number } {
	const fs = options.resampleHz ?? 4;
	const { values } = resampleRr(rrMs, fs);
	const lambda = options.lambda ?? 500;
	const detrended = lambda > 0 ? smoothnessPriorsDetrend(values, lambda) : values;
	const window = Math.floor((options.windowS ?? 300) * fs);
	// Kubios: a record shorter than the window is one window over the whole record. Its nfft stays
	// 2 × the window setting (zero padding), so the frequency grid does not move with the record's
	// length (a moving grid shifts bins across the band edges: dropping 1-3 beats of short prefixes
	// of ltdb_14046_1h_ectopic moved LF by up to 18 % with nfft = 2 × record, 7 % with this grid).
	const nperseg = Math.min(window, values.length);
	return {
		spectrum: welch(detrended, fs, nperseg, options.segments, 2 * window),
		windowS: nperseg / fs
	};
}

export function frequencyDomain(
	rrMs: ArrayLike<number>,
	options: FrequencyOptions = {}
): FrequencyDomain {
	const method = options.method ?? 'welch';
	const { spectrum, windowS } =
		method === 'lomb' ? { spectrum: lombScargle(rrMs), windowS: NaN } : rrSpectrum(rrMs, options);
	const ulf = bandPower(spectrum, BANDS.ulf[0], BANDS.ulf[1]);
	const vlf = bandPower(spectrum, VLF_FROM_ZERO[0], VLF_FROM_ZERO[1]);
	const lf = bandPower(spectrum, BANDS.lf[0], BANDS.lf[1]);
	const hf = bandPower(spectrum, BANDS.hf[0], BANDS.hf[1]);
	const totalPower = (Number.isFinite(vlf) ? vlf : 0) + lf + hf;
	return {
		method,
		ulf,
		vlf,
		lf,
		hf,
		totalPower,
		lnVlf: Math.log(vlf),
		lnLf: Math.log(lf),
		lnHf: Math.log(hf),
		vlfPercent: (100 * vlf) / totalPower,
		lfPercent: (100 * lf) / totalPower,
		hfPercent: (100 * hf) / totalPower,
		lfNu: (100 * lf) / (lf + hf),
		hfNu: (100 * hf) / (lf + hf),
		lfhf: lf / hf,
		vlfPeak: bandPeak(spectrum, VLF_FROM_ZERO[0], VLF_FROM_ZERO[1]),
		lfPeak: bandPeak(spectrum, BANDS.lf[0], BANDS.lf[1]),
		hfPeak: bandPeak(spectrum, BANDS.hf[0], BANDS.hf[1]),
		windowS,
		spectrum
	};
}
