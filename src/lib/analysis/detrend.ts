/**
 * Smoothness-priors detrending (Tarvainen, Ranta-aho & Karjalainen, IEEE TBME 49(2), 2002):
 * z_stat = z − (I + λ² D₂ᵀD₂)⁻¹ z. The matrix is symmetric pentadiagonal, so a banded Cholesky
 * (LDLᵀ) solve takes O(N) time and memory instead of the dense inverse.
 */
export function smoothnessPriorsDetrend(z: ArrayLike<number>, lambda = 500): Float64Array {
	const n = z.length;
	const out = Float64Array.from(z);
	if (n < 3) {
		const m = n ? out.reduce((a, b) => a + b, 0) / n : 0;
		return out.map((v) => v - m);
	}
	const l2 = lambda * lambda;
	// Bands of A = I + λ² D₂ᵀD₂: diagonal e0, first and second super-diagonals e1, e2.
	const e0 = new Float64Array(n);
	const e1 = new Float64Array(n);
	const e2 = new Float64Array(n);
	for (let k = 0; k < n - 2; k++) {
		// Each row of D₂ = [1 −2 1] at columns k..k+2 adds its outer product.
		e0[k] += l2;
		e0[k + 1] += 4 * l2;
		e0[k + 2] += l2;
		e1[k] += -2 * l2;
		e1[k + 1] += -2 * l2;
		e2[k] += l2;
	}
	for (let i = 0; i < n; i++) e0[i] += 1;
	// LDLᵀ with unit lower-triangular L of bandwidth 2.
	const D = new Float64Array(n);
	const L1 = new Float64Array(n);
	const L2 = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const l2i = i >= 2 ? e2[i - 2] / D[i - 2] : 0;
		const l1i = i >= 1 ? (e1[i - 1] - (i >= 2 ? l2i * D[i - 2] * L1[i - 1] : 0)) / D[i - 1] : 0;
		L2[i] = l2i;
		L1[i] = l1i;
		D[i] = e0[i] - (i >= 1 ? l1i * l1i * D[i - 1] : 0) - (i >= 2 ? l2i * l2i * D[i - 2] : 0);
	}
	// Solve L y = z, D w = y, Lᵀ trend = w.
	const y = new Float64Array(n);
	for (let i = 0; i < n; i++)
		y[i] = z[i] - (i >= 1 ? L1[i] * y[i - 1] : 0) - (i >= 2 ? L2[i] * y[i - 2] : 0);
	for (let i = 0; i < n; i++) y[i] /= D[i];
	const trend = y;
	for (let i = n - 1; i >= 0; i--) {
		trend[i] -=
			(i + 1 < n ? L1[i + 1] * trend[i + 1] : 0) + (i + 2 < n ? L2[i + 2] * trend[i + 2] : 0);
	}
	for (let i = 0; i < n; i++) out[i] = z[i] - trend[i];
	return out;
}
