/**
 * Per-template match counts for sample and approximate entropy: how many templates of `dim`
 * consecutive values lie within Chebyshev distance r of each template (itself included), exactly,
 * without O(N²) time or memory. RR series take few distinct values (ms or 1/1024 s resolution),
 * so the templates are swept in order of their first value while a Fenwick tree over the ranks of
 * the other coordinates counts the matches: O(N log² D) for D distinct values. Series with too
 * many distinct values (synthetic floats) use a k-d tree instead.
 */
import { TemplateTree } from './kd-count';

const MAX_GRID_CELLS = 4_000_000;

export function matchCounts(
	x: ArrayLike<number>,
	dim: 2 | 3,
	count: number,
	r: number
): Int32Array {
	const distinct = Float64Array.from(new Set(Array.from(x as ArrayLike<number>))).sort();
	const d = distinct.length;
	const cells = dim === 2 ? d : d * d;
	if (cells > MAX_GRID_CELLS) {
		const tree = new TemplateTree(x, dim, count);
		const out = new Int32Array(count);
		for (let p = 0; p < count; p++) out[p] = tree.countNear(p, r);
		return out;
	}
	const rank = new Map<number, number>();
	distinct.forEach((v, i) => rank.set(v, i));
	// For each value: the rank range of values within ±r.
	const loRank = new Int32Array(d);
	const hiRank = new Int32Array(d);
	let a = 0;
	let b = 0;
	for (let i = 0; i < d; i++) {
		while (distinct[i] - distinct[a] > r) a++;
		while (b + 1 < d && distinct[b + 1] - distinct[i] <= r) b++;
		loRank[i] = a;
		hiRank[i] = b;
	}
	const rk = new Int32Array(x.length);
	for (let i = 0; i < x.length; i++) rk[i] = rank.get(x[i]) as number;
	// Counting sort by rank: O(N + D) instead of a comparator sort.
	const start = new Int32Array(d + 1);
	for (let p = 0; p < count; p++) start[rk[p] + 1]++;
	for (let i = 0; i < d; i++) start[i + 1] += start[i];
	const order = new Int32Array(count);
	for (let p = 0; p < count; p++) order[start[rk[p]]++] = p;
	const bit = new Int32Array(dim === 2 ? d + 1 : (d + 1) * (d + 1));
	const nz = dim === 3 ? d : 1;

	// Fenwick tree over (rank of coordinate 1) × (rank of coordinate 2, when dim = 3).
	const update = (p: number, delta: number) => {
		const y0 = rk[p + 1];
		const z0 = dim === 3 ? rk[p + 2] : 0;
		for (let y = y0 + 1; y <= d; y += y & -y) {
			if (dim === 2) bit[y] += delta;
			else for (let z = z0 + 1; z <= nz; z += z & -z) bit[y * (nz + 1) + z] += delta;
		}
	};
	const prefix = (y1: number, z1: number) => {
		let s = 0;
		for (let y = y1; y > 0; y -= y & -y) {
			if (dim === 2) s += bit[y];
			else for (let z = z1; z > 0; z -= z & -z) s += bit[y * (nz + 1) + z];
		}
		return s;
	};
	const out = new Int32Array(count);
	let enter = 0;
	let leave = 0;
	for (let k = 0; k < count; k++) {
		const p = order[k];
		const xp = x[p];
		while (enter < count && x[order[enter]] - xp <= r) update(order[enter++], 1);
		while (xp - x[order[leave]] > r) update(order[leave++], -1);
		const ylo = loRank[rk[p + 1]];
		const yhi = hiRank[rk[p + 1]] + 1;
		if (dim === 2) {
			out[p] = prefix(yhi, 0) - prefix(ylo, 0);
		} else {
			const zlo = loRank[rk[p + 2]];
			const zhi = hiRank[rk[p + 2]] + 1;
			out[p] = prefix(yhi, zhi) - prefix(ylo, zhi) - prefix(yhi, zlo) + prefix(ylo, zlo);
		}
	}
	return out;
}
