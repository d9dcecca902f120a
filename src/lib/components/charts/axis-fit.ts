/**
 * What a chart's axes must cover, read from its data (see LineChart.svelte).
 *
 * Chart.js trusts data given unparsed (`parsing: false`) to be sorted by x: it then reads the x
 * axis's range from the first and last points only, and finds points by binary search. A scatter
 * (felt against heart, Poincaré) is not sorted by x, so only sorted data may be given unparsed.
 */

export interface XY {
	x: number;
	y: number;
}

/** Every point's x is at least the one before it. */
export function sortedByX(points: readonly XY[]): boolean {
	for (let i = 1; i < points.length; i++) if (points[i].x < points[i - 1].x) return false;
	return true;
}

/** The smallest and largest finite value of `axis` over the points, or undefined for none. */
export function extent(
	sets: readonly (readonly XY[])[],
	axis: 'x' | 'y'
): { min: number; max: number } | undefined {
	let min = Infinity;
	let max = -Infinity;
	for (const points of sets)
		for (const p of points) {
			const v = p[axis];
			if (!Number.isFinite(v)) continue;
			if (v < min) min = v;
			if (v > max) max = v;
		}
	return min <= max ? { min, max } : undefined;
}

/**
 * A bound set by the chart's owner, moved out as far as the points that must be shown: a bound may
 * window a line (the live charts' last two minutes), but never leaves a dot out.
 */
export function covering(
	bound: number | undefined,
	reach: { min: number; max: number } | undefined,
	side: 'min' | 'max'
): number | undefined {
	if (bound === undefined || !reach) return bound;
	return side === 'min' ? Math.min(bound, reach.min) : Math.max(bound, reach.max);
}

/**
 * The left end of a period's date axis (in days before now, so negative), or undefined for Chart.js
 * to fit the axis to the data: its ticks then fall on whole steps, where a bound of ours would add
 * a tick of its own whose date can overlap the next one's.
 *
 * `firstX` is the first reading inside the period. One in the period's first week means the
 * history reaches back to the period's start (a period holds only its own readings): the axis is
 * the period. A later one means the history is shorter than the period: the axis is fitted to it,
 * and is `minDays` at the least, so a new user's one day is a week with its dates, not hours that
 * all read as the same date. `days` 0 is all time.
 */
export function periodStart(
	days: number,
	firstX: number | undefined,
	minDays = 6
): number | undefined {
	if (firstX === undefined || !Number.isFinite(firstX)) return days > 0 ? -days : undefined;
	if (days > 0 && firstX < -days + 7) return -days;
	return firstX > -minDays ? -minDays : undefined;
}

/**
 * One range for both axes of a scatter of a quantity against itself (a Poincaré plot: each RR
 * interval against the next), bounded on whole steps of 1, 2 or 5 × 10ⁿ, about `ticks` of them,
 * with room for a dot's radius at each end: with equal axes on a square plot, the cloud's width
 * and length (SD1, SD2) look as they measure.
 */
export function sharedRange(
	sets: readonly (readonly XY[])[],
	ticks = 5
): { min: number; max: number; step: number } | undefined {
	const x = extent(sets, 'x');
	const y = extent(sets, 'y');
	if (!x || !y) return undefined;
	const lo = Math.min(x.min, y.min);
	const hi = Math.max(x.max, y.max);
	const raw = (hi - lo || Math.abs(hi) || 1) / ticks;
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
	let min = Math.floor(lo / step) * step;
	let max = Math.ceil(hi / step) * step;
	if (max <= min) max = min + step;
	// A dot on a bound would be drawn half outside: such a bound moves out a step.
	const room = 0.02 * (max - min);
	if (lo - min < room) min -= step;
	if (max - hi < room) max += step;
	return { min, max, step };
}
