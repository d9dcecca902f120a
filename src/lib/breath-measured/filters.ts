/**
 * Zero-phase Butterworth filtering (a second-order section run forwards then backwards, as
 * scipy's filtfilt does): no delay, so the times of a breath's turning points are not shifted.
 * Biquad coefficients from the RBJ Audio EQ Cookbook (Q = 1/√2).
 */

interface Biquad {
	b0: number;
	b1: number;
	b2: number;
	a1: number;
	a2: number;
}

function design(kind: 'low' | 'high', cutoffHz: number, rateHz: number): Biquad {
	const w = (2 * Math.PI * cutoffHz) / rateHz;
	const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
	const cos = Math.cos(w);
	const a0 = 1 + alpha;
	const k = kind === 'low' ? (1 - cos) / 2 : (1 + cos) / 2;
	const b1 = kind === 'low' ? 1 - cos : -(1 + cos);
	return { b0: k / a0, b1: b1 / a0, b2: k / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** One pass, started in the steady state of the first value (no step at the start). */
function pass(f: Biquad, x: Float64Array, reverse: boolean): Float64Array {
	const n = x.length;
	const y = new Float64Array(n);
	if (n === 0) return y;
	const at = (i: number) => (reverse ? n - 1 - i : i);
	const x0 = x[at(0)];
	const dc = (f.b0 + f.b1 + f.b2) / (1 + f.a1 + f.a2);
	let x1 = x0,
		x2 = x0,
		y1 = x0 * dc,
		y2 = x0 * dc;
	for (let i = 0; i < n; i++) {
		const xi = x[at(i)];
		const yi = f.b0 * xi + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
		y[at(i)] = yi;
		x2 = x1;
		x1 = xi;
		y2 = y1;
		y1 = yi;
	}
	return y;
}

export function filtfilt(
	kind: 'low' | 'high',
	x: Float64Array,
	cutoffHz: number,
	rateHz: number
): Float64Array {
	const f = design(kind, cutoffHz, rateHz);
	return pass(f, pass(f, x, false), true);
}

/** Band-pass: high then low, both zero-phase. */
export function bandPass(
	x: Float64Array,
	lowHz: number,
	highHz: number,
	rateHz: number
): Float64Array {
	return filtfilt('low', filtfilt('high', x, lowHz, rateHz), highHz, rateHz);
}
