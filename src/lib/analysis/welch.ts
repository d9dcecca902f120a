/**
 * Welch power spectral density, as scipy.signal.welch(window='hann', noverlap=nperseg//2,
 * nfft=2·nperseg, detrend=False, scaling='density', average='mean') after removing the mean
 * (NeuroKit2 signal_psd): one-sided, in units² / Hz.
 * nfft is generally not a power of two, so the DFT is done with Bluestein's chirp-z algorithm on
 * top of fft.js's power-of-two FFT.
 */
import FFT from 'fft.js';

export interface Spectrum {
	/** Frequencies (Hz), evenly spaced from 0. */
	freq: Float64Array;
	/** Power spectral density (ms²/Hz for RR in ms). */
	psd: Float64Array;
}

/** |DFT|² of a real signal at nfft points, for k = 0..nfft/2, via Bluestein. */
export class PowerDft {
	private readonly m: number;
	private readonly fft: FFT;
	private readonly chirpRe: Float64Array;
	private readonly chirpIm: Float64Array;
	private readonly kernelHat: number[];
	private readonly a: number[];
	private readonly aHat: number[];
	private readonly prod: number[];
	private readonly conv: number[];

	constructor(readonly nfft: number) {
		let m = 1;
		while (m < 2 * nfft - 1) m *= 2;
		this.m = m;
		this.fft = new FFT(m);
		this.chirpRe = new Float64Array(nfft);
		this.chirpIm = new Float64Array(nfft);
		for (let k = 0; k < nfft; k++) {
			// exp(-iπk²/N), with k² reduced mod 2N to keep the angle accurate for large k.
			const ang = (Math.PI * ((k * k) % (2 * nfft))) / nfft;
			this.chirpRe[k] = Math.cos(ang);
			this.chirpIm[k] = -Math.sin(ang);
		}
		const kernel = this.fft.createComplexArray();
		for (let k = 0; k < nfft; k++) {
			kernel[2 * k] = this.chirpRe[k];
			kernel[2 * k + 1] = -this.chirpIm[k];
			if (k > 0) {
				kernel[2 * (m - k)] = this.chirpRe[k];
				kernel[2 * (m - k) + 1] = -this.chirpIm[k];
			}
		}
		this.kernelHat = this.fft.createComplexArray();
		this.fft.transform(this.kernelHat, kernel);
		this.a = this.fft.createComplexArray();
		this.aHat = this.fft.createComplexArray();
		this.prod = this.fft.createComplexArray();
		this.conv = this.fft.createComplexArray();
	}

	/** Adds |X[k]|² (k = 0..nfft/2) of the zero-padded real input x (length ≤ nfft) into `acc`. */
	accumulate(x: ArrayLike<number>, acc: Float64Array): void {
		const { a, aHat, prod, conv, kernelHat, chirpRe, chirpIm, m } = this;
		a.fill(0);
		for (let j = 0; j < x.length; j++) {
			a[2 * j] = x[j] * chirpRe[j];
			a[2 * j + 1] = x[j] * chirpIm[j];
		}
		this.fft.transform(aHat, a);
		for (let j = 0; j < m; j++) {
			const ar = aHat[2 * j];
			const ai = aHat[2 * j + 1];
			const br = kernelHat[2 * j];
			const bi = kernelHat[2 * j + 1];
			prod[2 * j] = ar * br - ai * bi;
			prod[2 * j + 1] = ar * bi + ai * br;
		}
		this.fft.inverseTransform(conv, prod);
		const half = Math.floor(this.nfft / 2);
		for (let k = 0; k <= half; k++) {
			const cr = conv[2 * k];
			const ci = conv[2 * k + 1];
			const re = cr * chirpRe[k] - ci * chirpIm[k];
			const im = cr * chirpIm[k] + ci * chirpRe[k];
			acc[k] += re * re + im * im;
		}
	}
}

export function welch(signal: ArrayLike<number>, fs: number, nperseg: number): Spectrum {
	const n = signal.length;
	const nfft = 2 * nperseg;
	const half = Math.floor(nfft / 2);
	const freq = new Float64Array(half + 1);
	for (let k = 0; k <= half; k++) freq[k] = (k * fs) / nfft;
	const psd = new Float64Array(half + 1);
	if (n < nperseg || nperseg < 2) return { freq, psd: psd.fill(NaN) };
	let meanV = 0;
	for (let i = 0; i < n; i++) meanV += signal[i];
	meanV /= n;
	// scipy's 'hann' window is periodic (fftbins=True).
	const win = new Float64Array(nperseg);
	let winSq = 0;
	for (let i = 0; i < nperseg; i++) {
		win[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nperseg);
		winSq += win[i] * win[i];
	}
	const step = nperseg - Math.floor(nperseg / 2);
	const segments = Math.floor((n - nperseg) / step) + 1;
	const dft = new PowerDft(nfft);
	const seg = new Float64Array(nperseg);
	for (let s = 0; s < segments; s++) {
		const off = s * step;
		for (let i = 0; i < nperseg; i++) seg[i] = (signal[off + i] - meanV) * win[i];
		dft.accumulate(seg, psd);
	}
	const scale = 1 / (fs * winSq * segments);
	for (let k = 0; k <= half; k++) {
		// One-sided: double all but DC and (for even nfft) Nyquist.
		const twice = k > 0 && !(nfft % 2 === 0 && k === half);
		psd[k] *= scale * (twice ? 2 : 1);
	}
	return { freq, psd };
}
