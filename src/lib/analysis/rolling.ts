import { SortedWindow } from './sorted-window';

/**
 * Centred rolling median over a fixed odd window (edges shrink, as pandas' center=True,
 * min_periods=1). A sorted window updated by binary-search insert/remove: O(N·W) moves of a
 * typed array, which is fast for the 11-91 beat windows HRV uses.
 */
export function rollingMedian(x: ArrayLike<number>, window: number): Float64Array {
	return rollingMedianOf(x, window);
}

/**
 * The same, counting only the values whose `keep` flag is set; where a window keeps none, the
 * result is NaN.
 */
export function rollingMedianOf(
	x: ArrayLike<number>,
	window: number,
	keep?: ArrayLike<number | boolean>
): Float64Array {
	return rollingQuantileOf(x, window, 0.5, keep);
}

/** Rolling quantile q (linear interpolation between order statistics, as numpy's default). */
export function rollingQuantileOf(
	x: ArrayLike<number>,
	window: number,
	q: number,
	keep?: ArrayLike<number | boolean>
): Float64Array {
	const n = x.length;
	const half = Math.floor(window / 2);
	const out = new Float64Array(n);
	const win = new SortedWindow(window);
	let added = 0;
	for (let i = 0; i < n; i++) {
		while (added < n && added <= i + half) {
			if (!keep || keep[added]) win.insert(x[added]);
			added++;
		}
		const old = i - half - 1;
		if (old >= 0 && (!keep || keep[old])) win.remove(x[old]);
		out[i] = win.quantile(q);
	}
	return out;
}
