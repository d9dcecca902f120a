/**
 * How a session calmed down, as two separate answers:
 * - settling: how far heart rate and lnRMSSD moved from the first two minutes to the last two, and
 *   the time constant of the heart-rate decay (how fast it calmed);
 * - settled level: heart rate and lnRMSSD over the last two minutes after the settle-in.
 * They are kept apart because a reading that starts already calm (after a routine, say) has little
 * left to settle while ending more settled: one score mixing them would call it worse.
 * Beat times are ms since the start (the end of each interval); without them the running RR sum is
 * the time axis.
 *
 * Where the person moved (marked by the strap's accelerometer), heart rate jumps and then comes
 * back over tens of seconds: those beats, and the recovery after them, are left out of every
 * window and of the decay fit, so shifting on the mat is not read as being less settled.
 */

export interface WindowFigures {
	hr: number;
	rmssd: number;
	lnRmssd: number;
	beats: number;
}

export interface DecayFit {
	/** Time constant τ (s); NaN when heart rate did not decay. */
	tauS: number;
	/** Asymptote A (bpm): where heart rate was settling. */
	asymptoteBpm: number;
	/** Starting level B (bpm). */
	startBpm: number;
	/** R² of the fit against the 5 s heart-rate bins. */
	r2: number;
	decays: boolean;
}

export interface Settling {
	/** First window's heart rate minus the last window's (bpm): positive when it fell. */
	hrDropBpm: number;
	/** Last window's lnRMSSD minus the first window's: positive when variability rose. */
	lnRmssdRise: number;
	/**
	 * Time constant of the heart-rate decay (s); NaN when heart rate did not decay, or was still
	 * falling steadily at the end (a fitted τ longer than the session).
	 */
	tauS: number;
}

export interface SettledLevel extends WindowFigures {
	/** The window, s since the start. */
	fromS: number;
	toS: number;
	/** Seconds of the window left out because the person moved there (and recovered after). */
	leftOutS: number;
}

/** A span where the person moved, ms since the start (as beat times). */
export interface MovedSpan {
	startMs: number;
	endMs: number;
}

export interface CalmDown {
	first: WindowFigures;
	last: WindowFigures;
	settling: Settling;
	/** NaN figures when the session is shorter than MIN_SETTLED_SESSION_S. */
	settled: SettledLevel;
	/** Window length actually used (s): 120, or half the session when it is shorter than 4 min. */
	windowS: number;
	shortSession: boolean;
	fit: DecayFit;
	/** Slope of rolling 60 s lnRMSSD, per minute. */
	lnRmssdSlopePerMin: number;
	/** Rolling 60 s lnRMSSD every 10 s (x in s). */
	lnRmssdSeries: { x: number; y: number }[];
	/** Heart rate in 5 s bins (x: bin centre, s). */
	hrBins: { x: number; y: number }[];
}

export const CALM_WINDOW_S = 120;
/** The practice's settle-in: never part of the settled level. */
export const SETTLE_IN_S = 30;
/** The settled level is the last two minutes, or all after the settle-in when less is left. */
export const SETTLED_WINDOW_S = 120;
/** Below this there is no settled level: 30 s of settle-in and 30 s of beats is the least. */
export const MIN_SETTLED_SESSION_S = 60;
/**
 * After moving, heart rate is raised and takes about half a minute to come back (an orthostatic
 * or postural change recovers in 20-40 s at rest): those beats are left out with the movement.
 */
export const AFTER_MOVING_S = 30;

function beatTimes(rrMs: ArrayLike<number>, timeMs?: ArrayLike<number>): Float64Array {
	if (timeMs) return Float64Array.from(timeMs);
	const t = new Float64Array(rrMs.length);
	let acc = 0;
	for (let i = 0; i < rrMs.length; i++) t[i] = acc += rrMs[i];
	return t;
}

/**
 * `keep`: beats to use (1) and leave out (0), all when absent. A successive difference is taken only
 * between two kept neighbours, never across a left-out stretch.
 */
function windowFigures(
	rr: ArrayLike<number>,
	t: Float64Array,
	fromMs: number,
	toMs: number,
	keep?: Uint8Array
): WindowFigures {
	// Beat times only grow: find the window by bisection, so the rolling series stays O(N log N).
	// Only the mean and RMSSD are needed (as timeDomain defines them), not its histogram figures:
	// a day-long recording has thousands of windows.
	const from = firstAfter(t, fromMs);
	let beats = 0;
	let diffs = 0;
	let sum = 0;
	let sq = 0;
	for (let i = from; i < rr.length && t[i] <= toMs; i++) {
		if (keep && !keep[i]) continue;
		sum += rr[i];
		beats++;
		if (i > from && (!keep || keep[i - 1])) {
			sq += (rr[i] - rr[i - 1]) ** 2;
			diffs++;
		}
	}
	if (beats < 3 || diffs < 1) return { hr: NaN, rmssd: NaN, lnRmssd: NaN, beats };
	const rmssd = Math.sqrt(sq / diffs);
	return { hr: 60000 / (sum / beats), rmssd, lnRmssd: Math.log(rmssd), beats };
}

/** Whether the beat ending at `t` (its interval `rr` long) overlaps the span, widened by `afterMs`. */
export function beatInSpan(t: number, rr: number, m: MovedSpan, afterMs = 0): boolean {
	return t > m.startMs && t - rr < m.endMs + afterMs;
}

/**
 * Which beats are kept (1): none whose interval overlaps a movement or the recovery after it.
 * Undefined when nobody moved, so the usual path stays as it was.
 */
export function stillBeats(
	rr: ArrayLike<number>,
	t: ArrayLike<number>,
	moved: readonly MovedSpan[]
): Uint8Array | undefined {
	if (moved.length === 0) return undefined;
	const keep = new Uint8Array(rr.length).fill(1);
	for (const m of moved)
		for (let i = 0; i < rr.length; i++)
			if (beatInSpan(t[i], rr[i], m, AFTER_MOVING_S * 1000)) keep[i] = 0;
	return keep;
}

/**
 * Milliseconds of [fromMs, toMs] the spans cover, each widened by `afterMs`, overlaps counted once
 * (the whole of them without bounds).
 */
export function coveredMs(
	spans: readonly MovedSpan[],
	afterMs = 0,
	fromMs = -Infinity,
	toMs = Infinity
): number {
	const parts = spans
		.map((m) => [Math.max(fromMs, m.startMs), Math.min(toMs, m.endMs + afterMs)])
		.filter(([a, b]) => b > a)
		.sort((a, b) => a[0] - b[0]);
	let total = 0;
	let reached = -Infinity;
	for (const [a, b] of parts) {
		const from = Math.max(a, reached);
		if (b > from) total += b - from;
		reached = Math.max(reached, b);
	}
	return total;
}

/** Index of the first time strictly after x in ascending times (times.length when none). */
function firstAfter(times: Float64Array, x: number): number {
	let lo = 0;
	let hi = times.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (times[mid] > x) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/** Mean heart rate in fixed bins (bpm), empty bins left out. */
export function heartRateBins(
	rr: ArrayLike<number>,
	t: ArrayLike<number>,
	binS = 5,
	keep?: Uint8Array
) {
	const sums = new Map<number, [number, number]>();
	for (let i = 0; i < rr.length; i++) {
		if (keep && !keep[i]) continue;
		const k = Math.floor(t[i] / 1000 / binS);
		const s = sums.get(k) ?? [0, 0];
		s[0] += rr[i];
		s[1]++;
		sums.set(k, s);
	}
	return [...sums.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([k, [sum, n]]) => ({ x: (k + 0.5) * binS, y: 60000 / (sum / n) }));
}

/** A day-long recording has 17,000 five-second bins; a decay of at most an hour needs far fewer. */
const MAX_FIT_POINTS = 1000;

/** Means of consecutive groups, at most `max` of them (the points unchanged when fewer). */
function coarsened(points: { x: number; y: number }[], max: number) {
	if (points.length <= max) return points;
	const out: { x: number; y: number }[] = [];
	const size = points.length / max;
	for (let g = 0; g < max; g++) {
		const from = Math.floor(g * size);
		const to = Math.floor((g + 1) * size);
		let sx = 0;
		let sy = 0;
		for (let i = from; i < to; i++) {
			sx += points[i].x;
			sy += points[i].y;
		}
		out.push({ x: sx / (to - from), y: sy / (to - from) });
	}
	return out;
}

/**
 * HR(t) = A + (B − A)·e^(−t/τ), least squares: for each τ on a log grid (10 s to 1 h) A and
 * C = B − A are linear, solved in closed form; the τ with the smallest residual wins.
 */
export function fitDecay(all: { x: number; y: number }[]): DecayFit {
	const none: DecayFit = { tauS: NaN, asymptoteBpm: NaN, startBpm: NaN, r2: NaN, decays: false };
	const points = coarsened(all, MAX_FIT_POINTS);
	const n = points.length;
	if (n < 6) return none;
	const ybar = points.reduce((s, p) => s + p.y, 0) / n;
	const sst = points.reduce((s, p) => s + (p.y - ybar) ** 2, 0);
	let best = { sse: Infinity, tau: NaN, a: NaN, c: NaN };
	for (let k = 0; k <= 120; k++) {
		const tau = 10 * Math.pow(360, k / 120);
		let se = 0;
		let see = 0;
		let sy = 0;
		let sey = 0;
		for (const p of points) {
			const e = Math.exp(-p.x / tau);
			se += e;
			see += e * e;
			sy += p.y;
			sey += e * p.y;
		}
		const det = n * see - se * se;
		if (Math.abs(det) < 1e-12) continue;
		const c = (n * sey - se * sy) / det;
		const a = (sy - c * se) / n;
		let sse = 0;
		for (const p of points) sse += (p.y - a - c * Math.exp(-p.x / tau)) ** 2;
		if (sse < best.sse) best = { sse, tau, a, c };
	}
	const r2 = sst > 0 ? 1 - best.sse / sst : 0;
	// A decay means heart rate fell (C > 0) and the curve explains something.
	const decays = best.c > 0 && r2 > 0.05;
	return {
		tauS: decays ? best.tau : NaN,
		asymptoteBpm: best.a,
		startBpm: best.a + best.c,
		r2,
		decays
	};
}

function slopePerMinute(series: { x: number; y: number }[]): number {
	const n = series.length;
	if (n < 3) return NaN;
	const mx = series.reduce((s, p) => s + p.x, 0) / n;
	const my = series.reduce((s, p) => s + p.y, 0) / n;
	let sxy = 0;
	let sxx = 0;
	for (const p of series) {
		sxy += (p.x - mx) * (p.y - my);
		sxx += (p.x - mx) ** 2;
	}
	return (sxy / sxx) * 60;
}

function settledLevel(
	rr: ArrayLike<number>,
	t: Float64Array,
	start: number,
	end: number,
	moved: readonly MovedSpan[],
	keep?: Uint8Array
): SettledLevel {
	const durationS = (end - start) / 1000;
	const fromMs = Math.max(start + SETTLE_IN_S * 1000, end - SETTLED_WINDOW_S * 1000);
	const figures =
		durationS >= MIN_SETTLED_SESSION_S
			? windowFigures(rr, t, fromMs, end, keep)
			: { hr: NaN, rmssd: NaN, lnRmssd: NaN, beats: 0 };
	return {
		...figures,
		fromS: (fromMs - start) / 1000,
		toS: (end - start) / 1000,
		leftOutS: coveredMs(moved, AFTER_MOVING_S * 1000, fromMs, end) / 1000
	};
}

/** `moved`: where the person moved (ms, as beat times); those beats and the recovery are left out. */
export function calmDown(
	rrMs: ArrayLike<number>,
	timeMs?: ArrayLike<number>,
	moved: readonly MovedSpan[] = []
): CalmDown {
	const t = beatTimes(rrMs, timeMs);
	const keep = stillBeats(rrMs, t, moved);
	const end = t.length ? t[t.length - 1] : 0;
	const start = t.length ? t[0] - rrMs[0] : 0;
	const durationS = (end - start) / 1000;
	const shortSession = durationS < 2 * CALM_WINDOW_S;
	const windowS = shortSession ? durationS / 2 : CALM_WINDOW_S;
	const first = windowFigures(rrMs, t, start, start + windowS * 1000, keep);
	const last = windowFigures(rrMs, t, end - windowS * 1000, end, keep);
	const hrBins = heartRateBins(rrMs, t, 5, keep);
	const lnRmssdSeries: { x: number; y: number }[] = [];
	for (let w = start + 60000; w <= end; w += 10000) {
		const f = windowFigures(rrMs, t, w - 60000, w, keep);
		if (Number.isFinite(f.lnRmssd)) lnRmssdSeries.push({ x: w / 1000, y: f.lnRmssd });
	}
	const fit = fitDecay(hrBins);
	// Under a minute there is no settle-in behind the beats: how far they moved says nothing.
	const enough = durationS >= MIN_SETTLED_SESSION_S;
	return {
		first,
		last,
		settling: {
			hrDropBpm: enough ? first.hr - last.hr : NaN,
			lnRmssdRise: enough ? last.lnRmssd - first.lnRmssd : NaN,
			// A time constant longer than the session is a line still falling, not a settling time.
			tauS: enough && fit.tauS <= durationS ? fit.tauS : NaN
		},
		settled: settledLevel(rrMs, t, start, end, moved, keep),
		windowS,
		shortSession,
		fit,
		lnRmssdSlopePerMin: slopePerMinute(lnRmssdSeries),
		lnRmssdSeries,
		hrBins
	};
}
