/**
 * Evenly resampled RR series for spectral analysis: each RR placed at the time of its ending beat
 * (t = cumsum(RR)), a not-a-knot cubic spline through those points (as scipy's interp1d 'cubic',
 * which NeuroKit2 uses), sampled at fs from t[0] with constant values past the last beat.
 */

/** Second derivatives of the not-a-knot cubic spline through (x, y); O(n) tridiagonal solve. */
function splineSecondDerivatives(x: Float64Array, y: ArrayLike<number>): Float64Array {
	const n = x.length;
	const M = new Float64Array(n);
	const h = new Float64Array(n - 1);
	const d = new Float64Array(n - 1);
	for (let i = 0; i < n - 1; i++) {
		h[i] = x[i + 1] - x[i];
		d[i] = (y[i + 1] - y[i]) / h[i];
	}
	// Unknowns M1..M(n-2); not-a-knot conditions fold M0 and M(n-1) into the first and last rows.
	const m = n - 2;
	const a = new Float64Array(m);
	const b = new Float64Array(m);
	const c = new Float64Array(m);
	const r = new Float64Array(m);
	for (let k = 0; k < m; k++) {
		const i = k + 1;
		a[k] = h[i - 1];
		b[k] = 2 * (h[i - 1] + h[i]);
		c[k] = h[i];
		r[k] = 6 * (d[i] - d[i - 1]);
	}
	const h0 = h[0];
	const h1 = h[1];
	b[0] += h0 + (h0 * h0) / h1;
	c[0] -= (h0 * h0) / h1;
	const hl = h[n - 2];
	const hp = h[n - 3];
	b[m - 1] += hl + (hl * hl) / hp;
	a[m - 1] -= (hl * hl) / hp;
	if (m === 1) {
		// n = 3: one parabola through three points.
		M[1] = r[0] / (b[0] + c[0] + a[0]);
	} else {
		for (let k = 1; k < m; k++) {
			const w = a[k] / b[k - 1];
			b[k] -= w * c[k - 1];
			r[k] -= w * r[k - 1];
		}
		M[m] = r[m - 1] / b[m - 1];
		for (let k = m - 2; k >= 0; k--) M[k + 1] = (r[k] - c[k] * M[k + 2]) / b[k];
	}
	M[0] = M[1] * (1 + h0 / h1) - (h0 / h1) * M[2 % n];
	M[n - 1] = M[n - 2] * (1 + hl / hp) - (hl / hp) * M[n - 3];
	return M;
}

/**
 * The not-a-knot cubic spline through (x, y) at ascending query points `at` (constant past either
 * end). Fewer than 4 points: straight lines.
 */
export function splineAt(
	x: Float64Array,
	y: ArrayLike<number>,
	at: ArrayLike<number>
): Float64Array {
	const n = x.length;
	const out = new Float64Array(at.length);
	const M = n >= 4 ? splineSecondDerivatives(x, y) : undefined;
	let seg = 0;
	for (let k = 0; k < at.length; k++) {
		const xv = at[k];
		if (n === 1 || xv <= x[0] || xv >= x[n - 1]) {
			out[k] = xv <= x[0] ? y[0] : y[n - 1];
			continue;
		}
		while (seg < n - 2 && xv > x[seg + 1]) seg++;
		out[k] = splineValue(x, y, M, seg, xv);
	}
	return out;
}

function splineValue(
	x: Float64Array,
	y: ArrayLike<number>,
	M: Float64Array | undefined,
	seg: number,
	xv: number
): number {
	const x0 = x[seg];
	const x1 = x[seg + 1];
	const hh = x1 - x0;
	const y0 = y[seg];
	const y1 = y[seg + 1];
	if (!M) return y0 + ((y1 - y0) * (xv - x0)) / hh;
	const A = x1 - xv;
	const B = xv - x0;
	return (
		(M[seg] * A * A * A + M[seg + 1] * B * B * B) / (6 * hh) +
		(y0 / hh - (M[seg] * hh) / 6) * A +
		(y1 / hh - (M[seg + 1] * hh) / 6) * B
	);
}

export interface Resampled {
	/** Sample values (ms). */
	values: Float64Array;
	/** Time of the first sample (s). */
	t0: number;
	fs: number;
}

/** Resamples RR intervals (ms) at fs Hz. Fewer than 4 beats: linear interpolation. */
export function resampleRr(rrMs: ArrayLike<number>, fs = 4): Resampled {
	const n = rrMs.length;
	const t = new Float64Array(n);
	let acc = 0;
	for (let i = 0; i < n; i++) {
		acc += rrMs[i];
		t[i] = acc / 1000;
	}
	if (n < 2) return { values: Float64Array.from(rrMs), t0: t[0] ?? 0, fs };
	const step = 1 / fs;
	// numpy.arange(t0, tLast + step, step)
	const count = Math.ceil((t[n - 1] + step - t[0]) / step);
	const out = new Float64Array(count);
	const M = n >= 4 ? splineSecondDerivatives(t, rrMs) : undefined;
	let seg = 0;
	for (let k = 0; k < count; k++) {
		const xv = t[0] + k * step;
		if (xv > t[n - 1]) {
			out[k] = rrMs[n - 1];
			continue;
		}
		while (seg < n - 2 && xv > t[seg + 1]) seg++;
		out[k] = splineValue(t, rrMs, M, seg, xv);
	}
	return { values: out, t0: t[0], fs };
}
