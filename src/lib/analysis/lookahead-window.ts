/**
 * Rolling statistics over windows that look only a few beats ahead, so that a beat's result does
 * not depend on how long the record goes on after it. A centred window (rolling.ts) reaches half
 * its width ahead and shrinks at the end of the record, so adding or dropping one final beat
 * changes the results up to half a window back; here the window for beat i is the `span` beats
 * ending `ahead` beats after it, and it never reaches further.
 *
 * Near the start, where fewer beats precede, the window is the first `first` beats (or more, as it
 * grows towards `span`) rather than a handful: the start of a record does not move when the
 * record gets longer, so those results are as stable as any once the record holds `first` beats.
 */
export interface LookaheadWindow {
	/** Window length (beats). */
	span: number;
	/** Beats after i that the window reaches. */
	ahead: number;
	/** Minimum window length at the start of the record (at most span). */
	first: number;
}

/** Last index (inclusive) of beat i's window in a series of n. */
export function windowEnd(i: number, n: number, w: LookaheadWindow): number {
	return Math.min(n - 1, Math.max(i + w.ahead, Math.min(w.first, w.span) - 1));
}

/**
 * Quantile q (linear interpolation between order statistics, as numpy's default) of the values
 * whose `keep` flag is set, in each beat's window; NaN where the window keeps none. A sorted window
 * updated by binary-search insert/remove, as rolling.ts: both window ends only move forward.
 */
export function lookaheadQuantile(
	x: ArrayLike<number>,
	q: number,
	w: LookaheadWindow,
	keep?: ArrayLike<number | boolean>
): Float64Array {
	const n = x.length;
	const out = new Float64Array(n);
	const sorted = new Float64Array(w.span + 1);
	let size = 0;
	const find = (v: number) => {
		let lo = 0;
		let hi = size;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (sorted[mid] < v) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	};
	let added = 0;
	let removed = 0;
	for (let i = 0; i < n; i++) {
		const end = windowEnd(i, n, w);
		const start = Math.max(0, end - w.span + 1);
		for (; added <= end; added++) {
			if (keep && !keep[added]) continue;
			const at = find(x[added]);
			sorted.copyWithin(at + 1, at, size);
			sorted[at] = x[added];
			size++;
		}
		for (; removed < start; removed++) {
			if (keep && !keep[removed]) continue;
			const at = find(x[removed]);
			sorted.copyWithin(at, at + 1, size);
			size--;
		}
		if (size === 0) {
			out[i] = NaN;
			continue;
		}
		const pos = q * (size - 1);
		const lo = Math.floor(pos);
		const frac = pos - lo;
		out[i] = frac > 0 ? sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
	}
	return out;
}
