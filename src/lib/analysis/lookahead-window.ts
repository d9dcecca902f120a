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
import { SortedWindow } from './sorted-window';

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
 * whose `keep` flag is set, in each beat's window; NaN where the window keeps none. Both window ends
 * only move forward, so one SortedWindow serves the whole series.
 */
export function lookaheadQuantile(
	x: ArrayLike<number>,
	q: number,
	w: LookaheadWindow,
	keep?: ArrayLike<number | boolean>
): Float64Array {
	const n = x.length;
	const out = new Float64Array(n);
	const win = new SortedWindow(w.span);
	let added = 0;
	let removed = 0;
	for (let i = 0; i < n; i++) {
		const end = windowEnd(i, n, w);
		const start = Math.max(0, end - w.span + 1);
		for (; added <= end; added++) if (!keep || keep[added]) win.insert(x[added]);
		for (; removed < start; removed++) if (!keep || keep[removed]) win.remove(x[removed]);
		out[i] = win.quantile(q);
	}
	return out;
}
