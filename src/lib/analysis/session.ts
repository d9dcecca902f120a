/**
 * How a session calmed down: the first two minutes against the last two (heart rate, RMSSD,
 * lnRMSSD), an exponential fit of the heart-rate decay, the trend of rolling lnRMSSD, and one
 * relaxation score. Beat times are ms since the start (the end of each interval); without them
 * the running RR sum is the time axis.
 */
import { timeDomain } from './time-domain';

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

export interface CalmDown {
	first: WindowFigures;
	last: WindowFigures;
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
	relaxationScore: number;
}

export const CALM_WINDOW_S = 120;

function beatTimes(rrMs: ArrayLike<number>, timeMs?: ArrayLike<number>): Float64Array {
	if (timeMs) return Float64Array.from(timeMs);
	const t = new Float64Array(rrMs.length);
	let acc = 0;
	for (let i = 0; i < rrMs.length; i++) t[i] = acc += rrMs[i];
	return t;
}

function windowFigures(
	rr: ArrayLike<number>,
	t: Float64Array,
	fromMs: number,
	toMs: number
): WindowFigures {
	// Beat times only grow: find the window by bisection, so the rolling series stays O(N log N).
	const sel: number[] = [];
	for (let i = firstAfter(t, fromMs); i < rr.length && t[i] <= toMs; i++) sel.push(rr[i]);
	if (sel.length < 3) return { hr: NaN, rmssd: NaN, lnRmssd: NaN, beats: sel.length };
	const td = timeDomain(sel);
	return { hr: 60000 / td.meanNN, rmssd: td.rmssd, lnRmssd: td.lnRmssd, beats: sel.length };
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
export function heartRateBins(rr: ArrayLike<number>, t: ArrayLike<number>, binS = 5) {
	const sums = new Map<number, [number, number]>();
	for (let i = 0; i < rr.length; i++) {
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

/**
 * HR(t) = A + (B − A)·e^(−t/τ), least squares: for each τ on a log grid (10 s to 1 h) A and
 * C = B − A are linear, solved in closed form; the τ with the smallest residual wins.
 */
export function fitDecay(points: { x: number; y: number }[]): DecayFit {
	const none: DecayFit = { tauS: NaN, asymptoteBpm: NaN, startBpm: NaN, r2: NaN, decays: false };
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

const clamp01 = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/**
 * Relaxation score, 0-100:
 *   40 % heart-rate drop, first → last window: 0 % drop scores 0, a 10 % drop or more scores full;
 *   30 % lnRMSSD rise, first → last window: 0 scores 0, +0.5 (RMSSD × 1.65) or more scores full;
 *   30 % lnRMSSD level in the last window: 3.0 (RMSSD 20 ms) scores 0, 4.5 (90 ms) scores full.
 * The first two reward settling during the session; the third, being settled at its end.
 */
export function relaxationScore(first: WindowFigures, last: WindowFigures): number {
	const drop = clamp01((first.hr - last.hr) / first.hr / 0.1);
	const rise = clamp01((last.lnRmssd - first.lnRmssd) / 0.5);
	const level = clamp01((last.lnRmssd - 3) / 1.5);
	return 100 * (0.4 * drop + 0.3 * rise + 0.3 * level);
}

export function calmDown(rrMs: ArrayLike<number>, timeMs?: ArrayLike<number>): CalmDown {
	const t = beatTimes(rrMs, timeMs);
	const end = t.length ? t[t.length - 1] : 0;
	const start = t.length ? t[0] - rrMs[0] : 0;
	const durationS = (end - start) / 1000;
	const shortSession = durationS < 2 * CALM_WINDOW_S;
	const windowS = shortSession ? durationS / 2 : CALM_WINDOW_S;
	const first = windowFigures(rrMs, t, start, start + windowS * 1000);
	const last = windowFigures(rrMs, t, end - windowS * 1000, end);
	const hrBins = heartRateBins(rrMs, t);
	const lnRmssdSeries: { x: number; y: number }[] = [];
	for (let w = start + 60000; w <= end; w += 10000) {
		const f = windowFigures(rrMs, t, w - 60000, w);
		if (Number.isFinite(f.lnRmssd)) lnRmssdSeries.push({ x: w / 1000, y: f.lnRmssd });
	}
	return {
		first,
		last,
		windowS,
		shortSession,
		fit: fitDecay(hrBins),
		lnRmssdSlopePerMin: slopePerMinute(lnRmssdSeries),
		lnRmssdSeries,
		hrBins,
		relaxationScore: relaxationScore(first, last)
	};
}
