/**
 * Frequency-domain HRV, Kubios-style (docs/hrv-algorithms.md §5.2-5.3): 4 Hz cubic-spline
 * resampling, smoothness-priors detrending (λ = 500), Welch (Hann, 300 s window or N/2 when shorter,
 * 50 % overlap, nfft = 2·nperseg), band powers by the trapezoid rule over bins lo ≤ f < hi.
 * Lomb-Scargle on the uneven RR series is offered as an alternative.
 */
import { smoothnessPriorsDetrend } from './detrend';
import { lombScargle } from './lomb';
import { resampleRr } from './resample';
import { welch, type Spectrum } from './welch';

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
	lambda?: number;
	windowS?: number;
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
	const detrended = smoothnessPriorsDetrend(values, options.lambda ?? 500);
	let nperseg = Math.floor((options.windowS ?? 300) * fs);
	if (nperseg > values.length / 2) nperseg = Math.floor(values.length / 2);
	return { spectrum: welch(detrended, fs, nperseg), windowS: nperseg / fs };
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
