/**
 * The clean beats of a stretch of a recording, for the rhythm analyses (resonance assessment,
 * breath-by-breath estimate), with the time the beats really took:
 * - beats whose interval ends inside (fromMs, toMs];
 * - a beat is dropped when its RR is outside 300-2000 ms or the artifact detector flags it
 *   (artifacts/: ectopic, missed or extra, told apart from slow breathing's 20-40 % swings; a 20 %
 *   distance from the median of the eleven beats around it, used before, dropped 3.8 % of the
 *   beats of clean slow breathing, up to 23 % in one recording, and kept half the premature
 *   beats placed in its swings). Corrected beats
 *   (analyzeRr's artifact correction) pass through unchanged;
 * - stretches no kept interval covers (dropped beats, or beats the strap never sent: beat times are
 *   the running RR sum, which jumps over a gap) are filled with evenly split intervals, so the
 *   filled series' running sum is the beats' real time and the engine's RR-based tools (Welch
 *   spectrum, coherence, 4 Hz resampling) see each rhythm at its real frequency.
 */
import { detectArtifacts } from './artifacts';

export const MIN_PLAUSIBLE_RR_MS = 300;
export const MAX_PLAUSIBLE_RR_MS = 2000;
/** Beats read either side of a stretch, so its first and last beats are judged in context. */
const CONTEXT_BEATS = 40;
/** Uncovered time shorter than this is timing jitter, not a gap. */
const JITTER_MS = 50;

export interface Gap {
	startMs: number;
	endMs: number;
}

export interface CleanBeats {
	/** Kept beats: interval end (ms), its middle (ms), RR (ms) and heart rate 60000/RR (bpm). */
	endMs: Float64Array;
	midMs: Float64Array;
	rrMs: Float64Array;
	hrBpm: Float64Array;
	/** Beats in the stretch before cleaning. */
	inWindow: number;
	/** RR series with the gaps filled: its running sum, from `startMs`, gives real times. */
	filledRrMs: Float64Array;
	/** Start of the first kept interval (ms): time 0 of `filledRrMs`. */
	startMs: number;
	/** Stretches no kept interval covers, longer than the timing jitter. */
	gaps: Gap[];
	/** Total time the kept intervals cover (ms). */
	coveredMs: number;
}

function empty(inWindow: number): CleanBeats {
	const none = new Float64Array(0);
	return {
		endMs: none,
		midMs: none,
		rrMs: none,
		hrBpm: none,
		inWindow,
		filledRrMs: none,
		startMs: NaN,
		gaps: [],
		coveredMs: 0
	};
}

export function cleanBeats(
	rrMs: ArrayLike<number>,
	timeMs: ArrayLike<number>,
	fromMs = -Infinity,
	toMs = Infinity
): CleanBeats {
	const n = Math.min(rrMs.length, timeMs.length);
	// Beat times only grow: the stretch's first beat by bisection (live callers slide a window).
	let lo = 0;
	let top = n;
	while (lo < top) {
		const mid = (lo + top) >> 1;
		if (timeMs[mid] > fromMs) top = mid;
		else lo = mid + 1;
	}
	let hi = lo;
	while (hi < n && timeMs[hi] <= toMs) hi++;
	const m = hi - lo;
	if (m === 0) return empty(0);
	const plausible = (i: number) =>
		Number.isFinite(rrMs[i]) &&
		Number.isFinite(timeMs[i]) &&
		rrMs[i] >= MIN_PLAUSIBLE_RR_MS &&
		rrMs[i] <= MAX_PLAUSIBLE_RR_MS;
	// The artifact detector's verdicts on the plausible beats: it knows premature beats from the
	// 20-40 % swings of slow breathing, which a distance from the neighbours' median does not. It
	// reads the beats around the stretch too: a compensatory pause that ends a stretch is known only
	// from the beat after it (one such pause at the end of a resonance step tripled the spread of
	// that step's swing and made a clear resonance "too close to call").
	const context: number[] = [];
	for (let i = Math.max(0, lo - CONTEXT_BEATS); i < Math.min(n, hi + CONTEXT_BEATS); i++)
		if (plausible(i)) context.push(i);
	const flagged = new Set(
		detectArtifacts(context.map((i) => rrMs[i])).indices.map((k) => context[k])
	);
	const keep: number[] = [];
	for (let i = lo; i < hi; i++) if (plausible(i) && !flagged.has(i)) keep.push(i);
	if (keep.length === 0) return empty(m);
	const k = keep.length;
	const endMs = new Float64Array(k);
	const midMs = new Float64Array(k);
	const keptRr = new Float64Array(k);
	const hrBpm = new Float64Array(k);
	for (let j = 0; j < k; j++) {
		const i = keep[j];
		endMs[j] = timeMs[i];
		keptRr[j] = rrMs[i];
		midMs[j] = timeMs[i] - rrMs[i] / 2;
		hrBpm[j] = 60000 / rrMs[i];
	}
	const filled: number[] = [keptRr[0]];
	const gaps: Gap[] = [];
	let coveredMs = keptRr[0];
	for (let j = 1; j < k; j++) {
		const start = endMs[j] - keptRr[j];
		const uncovered = start - endMs[j - 1];
		if (uncovered > JITTER_MS) {
			gaps.push({ startMs: endMs[j - 1], endMs: start });
			// Split the gap into intervals near the neighbours' length.
			const ref = (keptRr[j - 1] + keptRr[j]) / 2;
			const parts = Math.max(1, Math.round(uncovered / ref));
			for (let p = 0; p < parts; p++) filled.push(uncovered / parts);
		}
		// Overlapping or jittered times: the interval as recorded (the sum drifts by < 50 ms).
		filled.push(keptRr[j]);
		coveredMs += keptRr[j];
	}
	return {
		endMs,
		midMs,
		rrMs: keptRr,
		hrBpm,
		inWindow: m,
		filledRrMs: Float64Array.from(filled),
		startMs: endMs[0] - keptRr[0],
		gaps,
		coveredMs
	};
}

/** Longest gap (ms) overlapping [fromMs, toMs]; 0 when none. */
export function longestGapWithin(gaps: readonly Gap[], fromMs: number, toMs: number): number {
	let longest = 0;
	for (const g of gaps) {
		const a = Math.max(g.startMs, fromMs);
		const b = Math.min(g.endMs, toMs);
		if (b > a) longest = Math.max(longest, g.endMs - g.startMs);
	}
	return longest;
}

export function median(values: ArrayLike<number>): number {
	const v = Array.from(values).filter(Number.isFinite);
	if (v.length === 0) return NaN;
	v.sort((a, b) => a - b);
	const h = v.length >> 1;
	return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}
