/**
 * The direction in which the three axes move most together: the first principal component of
 * their covariance (power iteration on the 3×3 matrix). Lying still, that is the breath's tilt;
 * which sensor axis it falls on depends on how the strap sits, so it is found, not assumed.
 */
export function principalAxis(
	channels: [Float64Array, Float64Array, Float64Array],
	from = 0,
	to = channels[0].length
): [number, number, number] {
	const c = [
		[0, 0, 0],
		[0, 0, 0],
		[0, 0, 0]
	];
	const mean = [0, 0, 0];
	const n = Math.max(1, to - from);
	for (let a = 0; a < 3; a++) {
		for (let i = from; i < to; i++) mean[a] += channels[a][i];
		mean[a] /= n;
	}
	for (let i = from; i < to; i++) {
		for (let a = 0; a < 3; a++) {
			const da = channels[a][i] - mean[a];
			for (let b = a; b < 3; b++) c[a][b] += da * (channels[b][i] - mean[b]);
		}
	}
	c[1][0] = c[0][1];
	c[2][0] = c[0][2];
	c[2][1] = c[1][2];
	let v = [1, 1, 1].map((x) => x / Math.sqrt(3));
	for (let k = 0; k < 60; k++) {
		const w = [0, 1, 2].map((r) => c[r][0] * v[0] + c[r][1] * v[1] + c[r][2] * v[2]);
		const norm = Math.hypot(w[0], w[1], w[2]);
		if (norm === 0) break;
		v = w.map((x) => x / norm);
	}
	// Either sign is the same axis; the one whose largest component is positive is returned, so
	// two analyses of the same breathing project it the same way up.
	const largest = v.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
	const sign = largest < 0 ? -1 : 1;
	return [sign * v[0], sign * v[1], sign * v[2]];
}
