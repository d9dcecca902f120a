/**
 * A recording's beat times put right when it is saved (see beat-timeline.ts): each stretch of beats
 * moves by its smallest lag. Its own module, loaded when a recording stops: the pages that record
 * need none of it before then.
 */
import type { Beat, BeatTimeline } from './beat-timeline';

/**
 * One stretch's correction: add `shiftMs` to the times of its beats, from beat `firstBeat` (an
 * index into the beats the timeline has given, in order) to the next stretch's first; the gap
 * before it ends at `fromMs + shiftMs`.
 */
export interface StretchCorrection {
	firstBeat: number;
	fromMs: number;
	shiftMs: number;
}

type Timeline = Pick<BeatTimeline, 'stretches' | 'resumedAfterMs'>;

/**
 * Per stretch, the shift (ms) that makes its beat times right on average: its smallest lag, never
 * so far back that its first beat would start before the beat before its gap ended (no beat is
 * reordered; in a resumed session that beat is a saved one, which stays where it is). The first
 * stretch of a new session may come out before 0: some of the first packet's beats ended before
 * the session started (see `sessionCorrection`).
 */
export function corrections(timeline: Timeline): StretchCorrection[] {
	let before = timeline.resumedAfterMs === undefined ? undefined : 0;
	return timeline.stretches.map((s) => {
		let shiftMs = s.minLagMs;
		if (before !== undefined && s.afterMs !== undefined) {
			shiftMs = Math.max(shiftMs, s.afterMs + before - s.fromMs);
		}
		before = shiftMs;
		return { firstBeat: s.firstBeat, fromMs: s.fromMs, shiftMs };
	});
}

/**
 * The shift for a placed time (a gap's start, a pause, a contact loss): that of the stretch it
 * falls in; a time in a gap goes with the stretch before it, a gap's end (`gapEnd`) with the one
 * after. Before the first stretch: 0 in a resumed session (the saved beats), else the first's.
 */
export function shiftAt(
	timeline: Timeline,
	placedMs: number,
	gapEnd = false,
	all = corrections(timeline)
): number {
	let shift = timeline.resumedAfterMs !== undefined ? 0 : (all[0]?.shiftMs ?? 0);
	for (const c of all) if (gapEnd ? c.fromMs <= placedMs : c.fromMs < placedMs) shift = c.shiftMs;
	return shift;
}

/** Corrected times of `beats`: all the timeline has given, in order, from its first. */
export function correctedTimes(
	beats: readonly Pick<Beat, 'timeMs'>[],
	all: readonly StretchCorrection[]
): Float64Array {
	const out = new Float64Array(beats.length);
	let k = -1;
	for (let i = 0; i < beats.length; i++) {
		while (k + 1 < all.length && all[k + 1].firstBeat <= i) k++;
		out[i] = beats[i].timeMs + (k >= 0 ? all[k].shiftMs : 0);
	}
	return out;
}

/**
 * What saving a recording changes: the corrected times of the timeline's `beats`, and where a
 * placed time (an event's) goes. Beats that ended before the session started would get negative
 * times, which readers do not expect (minutes, bins and charts count from 0): the session's start
 * moves `originShiftMs` earlier instead, and every time on its clock that much later.
 */
export function sessionCorrection(
	timeline: Timeline,
	beats: readonly Pick<Beat, 'timeMs'>[]
): {
	timesMs: Float64Array;
	originShiftMs: number;
	at: (placedMs: number, gapEnd?: boolean) => number;
} {
	const all = corrections(timeline);
	const timesMs = correctedTimes(beats, all);
	const originShiftMs = timesMs.length > 0 && timesMs[0] < 0 ? Math.ceil(-timesMs[0]) : 0;
	for (let i = 0; i < timesMs.length; i++) timesMs[i] += originShiftMs;
	return {
		timesMs,
		originShiftMs,
		at: (placedMs, gapEnd = false) =>
			placedMs + shiftAt(timeline, placedMs, gapEnd, all) + originShiftMs
	};
}
