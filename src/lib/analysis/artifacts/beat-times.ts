import { lookaheadQuantile, type LookaheadWindow } from '../lookahead-window';

/**
 * Displaced beats: the test that tells a premature beat from a steep breathing slope.
 *
 * A sinus rhythm that follows the breath moves its beat times smoothly, however large the swing:
 * the time of beat k is the sum of the intervals before it, a smooth function of k whose slope is
 * the interval. A premature beat moves ONE beat time early and its compensatory pause puts the next
 * one back on time, so in beat times it is a single outlier, while in intervals it is a short one
 * and a long one, which a breathing swing of 30-40 bpm (successive intervals 150-300 ms apart) can
 * imitate. Each beat time is predicted from the three beats on either side (Lagrange interpolation
 * of degree 5, weights 0.05, −0.3, 0.75 | 0.75, −0.3, 0.05 when all six are there) and a beat is
 * displaced when it sits further than DISPLACED × its own interval from that prediction.
 *
 * Measured on hearts with a known truth (tests/fixtures/hearts.ts, noise 1 bpm, drift, ±6 %
 * breaths): a clean beat sits at most 8 % of its interval off the prediction at 4-6 breaths a
 * minute with a 40 bpm swing, 13-17 % at 8 breaths a minute (an in-breath of 2.5 s spans under
 * three beats); a premature beat 20-40 % early at least 16 % off.
 *
 * Two passes: the first finds the most displaced beat of each cluster (an early beat also moves
 * its neighbours' predictions by 0.75 of its shift), the second judges every beat near one of
 * them again with those left out of its neighbours.
 */

/** A beat this far off its prediction, as a share of its own interval, is displaced. */
export const DISPLACED = 0.14;
const SPREAD_WINDOW: LookaheadWindow = { span: 31, ahead: 6, first: 31 };
const SPREAD_QUANTILE = 0.9;
const SPREAD_FACTOR = 2;
/** Neighbours on each side that predict a beat time. */
const SIDE = 3;
/** How far (beats) to look for them when some are left out. */
const REACH = 5;
/** A candidate must be the most displaced within this many beats. */
const CLUSTER = 2;

/**
 * How far ahead a verdict looks: a candidate's own prediction reaches REACH ahead, each beat
 * within CLUSTER of it is compared, and the second pass predicts with neighbours up to REACH
 * further.
 */
export const DISPLACED_LOOKAHEAD = 2 * REACH + CLUSTER + SPREAD_WINDOW.ahead;

function lagrangeAtZero(xs: number[], out: number[]): void {
	for (let j = 0; j < xs.length; j++) {
		let w = 1;
		for (let m = 0; m < xs.length; m++) if (m !== j) w *= -xs[m] / (xs[j] - xs[m]);
		out[j] = w;
	}
}

/**
 * Beat time k's distance from the smooth rhythm of up to SIDE usable neighbours each side
 * (within REACH), ms; NaN with fewer than two on each side.
 */
function residualAt(t: Float64Array, k: number, usable: Uint8Array, xs: number[], w: number[]) {
	xs.length = 0;
	const idx: number[] = [];
	for (let d = 1, got = 0; d <= REACH && k - d >= 0 && got < SIDE; d++)
		if (usable[k - d]) {
			xs.push(-d);
			idx.push(k - d);
			got++;
		}
	const before = xs.length;
	for (let d = 1, got = 0; d <= REACH && k + d < t.length && got < SIDE; d++)
		if (usable[k + d]) {
			xs.push(d);
			idx.push(k + d);
			got++;
		}
	const after = xs.length - before;
	if (before < 2 || after < 2) return NaN;
	// Equal numbers on both sides keep the interpolation centred (and its error small).
	const keep = Math.min(before, after);
	const xsC = [...xs.slice(0, keep), ...xs.slice(before, before + keep)];
	const idC = [...idx.slice(0, keep), ...idx.slice(before, before + keep)];
	w.length = xsC.length;
	lagrangeAtZero(xsC, w);
	let p = 0;
	for (let j = 0; j < xsC.length; j++) p += w[j] * (t[idC[j]] - t[k]);
	return -p;
}

export interface DisplacedBeats {
	/** Per beat time (n + 1 of them: the start, then the end of each interval): ms early (<0) or late (>0). */
	residual: Float64Array;
	/** Beat times judged displaced. */
	displaced: Uint8Array;
}

/** Beat times displaced from the smooth rhythm of their neighbours. */
export function displacedBeats(rrMs: ArrayLike<number>): DisplacedBeats {
	const n = rrMs.length;
	const t = new Float64Array(n + 1);
	for (let i = 0; i < n; i++) t[i + 1] = t[i] + rrMs[i];
	const m = n + 1;
	// Beat k ends interval k − 1 and starts interval k: its own scale is their mean, which a
	// premature beat and its pause leave as it was.
	const scale = (k: number) =>
		k === 0 ? rrMs[0] : k === n ? rrMs[n - 1] : (t[k + 1] - t[k - 1]) / 2;
	const usable = new Uint8Array(m).fill(1);
	const xs: number[] = [];
	const w: number[] = [];
	const first = new Float64Array(m);
	for (let k = 0; k < m; k++)
		first[k] = usable[k] ? residualAt(t, k, usable, xs, w) / scale(k) : NaN;
	// Where the swing is steepest for the beats (a short in-breath in few beats), every beat sits
	// further off: the limit grows with the typical distance around the beat.
	const spread = lookaheadQuantile(
		Array.from(first, (v) => (Number.isFinite(v) ? Math.abs(v) : 0)),
		SPREAD_QUANTILE,
		SPREAD_WINDOW
	);
	const limit = Float64Array.from(spread, (q) => Math.max(DISPLACED, SPREAD_FACTOR * q));
	const candidate = new Uint8Array(m);
	for (let k = 0; k < m; k++) {
		const r = Math.abs(first[k]);
		if (!(r > limit[k])) continue;
		let top = true;
		for (let j = Math.max(0, k - CLUSTER); j <= Math.min(m - 1, k + CLUSTER) && top; j++)
			if (j !== k && Math.abs(first[j]) > r) top = false;
		candidate[k] = top ? 1 : 0;
	}
	const residual = new Float64Array(m);
	const displaced = new Uint8Array(m);
	const without = Uint8Array.from(usable, (u, k) => (u && !candidate[k] ? 1 : 0));
	for (let k = 0; k < m; k++) {
		if (!usable[k]) {
			residual[k] = NaN;
			continue;
		}
		let near = false;
		for (let j = Math.max(0, k - REACH); j <= Math.min(m - 1, k + REACH) && !near; j++)
			if (candidate[j]) near = true;
		const r = near ? residualAt(t, k, without, xs, w) : first[k] * scale(k);
		residual[k] = r;
		if (Math.abs(r) > limit[k] * scale(k)) displaced[k] = 1;
	}
	// A beat next to a displaced one that only its neighbour pulled off stays: the larger wins.
	for (let k = 0; k < m; k++) {
		if (!displaced[k]) continue;
		for (let j = Math.max(0, k - 1); j <= Math.min(m - 1, k + 1); j++)
			if (
				j !== k &&
				displaced[j] &&
				Math.abs(residual[j]) / scale(j) > Math.abs(residual[k]) / scale(k)
			)
				displaced[k] = 0;
	}
	return { residual, displaced };
}

/**
 * How far interval i is from the median of the two intervals on each side (share of it): a missed
 * beat doubles an interval against its neighbours and an extra beat halves it, while a breathing
 * swing moves neighbours together. (The median of a longer stretch is no measure there: with a
 * short in-breath most of a breath's beats are fast, and the slowest sit 45 % above their median.)
 */
export function offNeighbours(rrMs: ArrayLike<number>, i: number): number {
	const around: number[] = [];
	for (let j = i - 2; j <= i + 2; j++)
		if (j !== i && j >= 0 && j < rrMs.length) around.push(rrMs[j]);
	if (!around.length) return 0;
	around.sort((a, b) => a - b);
	const h = around.length >> 1;
	const med = around.length % 2 ? around[h] : (around[h - 1] + around[h]) / 2;
	return Math.abs(rrMs[i] - med) / med;
}
