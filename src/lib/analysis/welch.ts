/**
 * Welch power spectral density: mean removed, periodic Hann window, nfft = 2·nperseg unless given
 * (zero padding), one-sided,
 * in units² / Hz (scipy.signal.welch's scaling='density', detrend=False; the mean over segments is
 * weighted, see below).
 * Segment layout for a record of L samples and segments of W (docs/hrv-algorithms.md §5.4), with
 * step h = W − ⌊W/2⌋ (50 % overlap):
 * - 'scipy' (scipy, MATLAB pwelch, presumably Kubios): segments at 0, h, 2h, … while they fit,
 *   equal weights. The last t = (L − W) mod h samples lie outside every segment, so the spectrum
 *   jumps when the record gains or loses a beat (LF by up to 57 % on the shared files).
 * - 'anchored' (default): the same segments plus one more ending at the record's end (offset
 *   L − W), weighted t / h. Every sample lies in a segment, overlaps stay ≥ 50 %, and the spectrum
 *   is continuous in L: the extra segment enters with weight 0 when t = 0 (where the layout is
 *   exactly scipy's) and reaches weight 1 just as it becomes the next regular segment. Spreading K
 *   equal-weight segments evenly instead still jumps when K changes (LF up to 19 %).
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

	/** Bluestein's middle step: conv = IFFT(FFT(a) · FFT(kernel)), on the chirped input in `a`. */
	private convolveChirp(): void {
		const { a, aHat, prod, conv, kernelHat, m } = this;
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
	}

	/** Adds |X[k]|² (k = 0..nfft/2) of the zero-padded real input x (length ≤ nfft) into `acc`. */
	accumulate(x: ArrayLike<number>, acc: Float64Array): void {
		const { a, conv, chirpRe, chirpIm } = this;
		a.fill(0);
		for (let j = 0; j < x.length; j++) {
			a[2 * j] = x[j] * chirpRe[j];
			a[2 * j + 1] = x[j] * chirpIm[j];
		}
		this.convolveChirp();
		const half = Math.floor(this.nfft / 2);
		for (let k = 0; k <= half; k++) {
			const cr = conv[2 * k];
			const ci = conv[2 * k + 1];
			const re = cr * chirpRe[k] - ci * chirpIm[k];
			const im = cr * chirpIm[k] + ci * chirpRe[k];
			acc[k] += re * re + im * im;
		}
	}

	/**
	 * accumulate() for two real inputs at the cost of one complex DFT: with z = x + i·y,
	 * X[k] = (Z[k] + Z*[N−k])/2 and Y[k] = (Z[k] − Z*[N−k])/2i.
	 */
	accumulatePair(x: ArrayLike<number>, y: ArrayLike<number>, acc: Float64Array): void {
		const { a, conv, chirpRe, chirpIm, nfft } = this;
		a.fill(0);
		for (let j = 0; j < x.length; j++) {
			a[2 * j] = x[j] * chirpRe[j] - y[j] * chirpIm[j];
			a[2 * j + 1] = x[j] * chirpIm[j] + y[j] * chirpRe[j];
		}
		this.convolveChirp();
		const zr = (k: number) => conv[2 * k] * chirpRe[k] - conv[2 * k + 1] * chirpIm[k];
		const zi = (k: number) => conv[2 * k] * chirpIm[k] + conv[2 * k + 1] * chirpRe[k];
		const half = Math.floor(nfft / 2);
		for (let k = 0; k <= half; k++) {
			const k2 = k === 0 ? 0 : nfft - k;
			const pr = zr(k);
			const pi = zi(k);
			const qr = zr(k2);
			const qi = -zi(k2);
			const xr = (pr + qr) / 2;
			const xi = (pi + qi) / 2;
			const yr = (pi - qi) / 2;
			const yi = -(pr - qr) / 2;
			acc[k] += xr * xr + xi * xi + yr * yr + yi * yi;
		}
	}
}

export type SegmentLayout = 'anchored' | 'scipy';

export interface Segment {
	/** First sample of the segment. */
	offset: number;
	/** Weight of its periodogram in the average. */
	weight: number;
}

/**
 * Welch segments of `nperseg` samples over a record of n ≥ nperseg samples, each with the weight of
 * its periodogram in the (weighted) mean.
 */
export function welchSegments(
	n: number,
	nperseg: number,
	layout: SegmentLayout = 'anchored'
): Segment[] {
	if (n < nperseg || nperseg < 1) return [];
	const span = n - nperseg;
	const step = nperseg - Math.floor(nperseg / 2);
	const count = Math.floor(span / step) + 1;
	const segments = Array.from({ length: count }, (_, s) => ({ offset: s * step, weight: 1 }));
	const tail = span - (count - 1) * step;
	if (layout === 'anchored' && tail > 0) segments.push({ offset: span, weight: tail / step });
	return segments;
}

export function welch(
	signal: ArrayLike<number>,
	fs: number,
	nperseg: number,
	layout: SegmentLayout = 'anchored',
	nfft = 2 * nperseg
): Spectrum {
	const n = signal.length;
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
	const segments = welchSegments(n, nperseg, layout);
	let totalWeight = 0;
	const dft = new PowerDft(nfft);
	const seg = new Float64Array(nperseg);
	const seg2 = new Float64Array(nperseg);
	// Two segments per complex DFT; |DFT(√w·x)|² = w·|DFT(x)|²: each weight goes into its samples.
	for (let s = 0; s < segments.length; s += 2) {
		const { offset, weight } = segments[s];
		const g = Math.sqrt(weight);
		for (let i = 0; i < nperseg; i++) seg[i] = (signal[offset + i] - meanV) * win[i] * g;
		totalWeight += weight;
		if (s + 1 < segments.length) {
			const o2 = segments[s + 1];
			const g2 = Math.sqrt(o2.weight);
			for (let i = 0; i < nperseg; i++) seg2[i] = (signal[o2.offset + i] - meanV) * win[i] * g2;
			totalWeight += o2.weight;
			dft.accumulatePair(seg, seg2, psd);
		} else dft.accumulate(seg, psd);
	}
	const scale = 1 / (fs * winSq * totalWeight);
	for (let k = 0; k <= half; k++) {
		// One-sided: double all but DC and (for even nfft) Nyquist.
		const twice = k > 0 && !(nfft % 2 === 0 && k === half);
		psd[k] *= scale * (twice ? 2 : 1);
	}
	return { freq, psd };
}
