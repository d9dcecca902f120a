/** Small numeric helpers over plain or typed arrays; degenerate input gives NaN, never throws. */

export function mean(x: ArrayLike<number>): number {
	if (x.length === 0) return NaN;
	let s = 0;
	for (let i = 0; i < x.length; i++) s += x[i];
	return s / x.length;
}

/** Sample standard deviation (ddof = 1), two-pass for accuracy. */
export function sd(x: ArrayLike<number>): number {
	const n = x.length;
	if (n < 2) return NaN;
	const m = mean(x);
	let ss = 0;
	for (let i = 0; i < n; i++) ss += (x[i] - m) ** 2;
	return Math.sqrt(ss / (n - 1));
}

export function successiveDifferences(x: ArrayLike<number>): Float64Array {
	const n = Math.max(0, x.length - 1);
	const d = new Float64Array(n);
	for (let i = 0; i < n; i++) d[i] = x[i + 1] - x[i];
	return d;
}

export function min(x: ArrayLike<number>): number {
	let m = Infinity;
	for (let i = 0; i < x.length; i++) if (x[i] < m) m = x[i];
	return x.length ? m : NaN;
}

export function max(x: ArrayLike<number>): number {
	let m = -Infinity;
	for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
	return x.length ? m : NaN;
}

export function toFloat64(x: ArrayLike<number>): Float64Array {
	return x instanceof Float64Array ? x : Float64Array.from(x as ArrayLike<number>);
}
