declare module 'fft.js' {
	/** Radix-4 FFT of a power-of-two size (fft.js by Fedor Indutny). Complex arrays interleave re, im. */
	export default class FFT {
		constructor(size: number);
		readonly size: number;
		createComplexArray(): number[];
		toComplexArray(input: ArrayLike<number>, storage?: number[]): number[];
		fromComplexArray(complex: ArrayLike<number>, storage?: number[]): number[];
		completeSpectrum(spectrum: number[]): void;
		transform(out: number[], data: ArrayLike<number>): void;
		realTransform(out: number[], data: ArrayLike<number>): void;
		inverseTransform(out: number[], data: ArrayLike<number>): void;
	}
}
