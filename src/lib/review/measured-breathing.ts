/**
 * The session page's breathing, as the strap measured it: the breathing signal with each
 * in-breath's start, movement shaded, and each breath's rate beside the rate read from the heart
 * (so the two can be compared). Times on the charts are minutes from the session's start.
 */
import { analyseBreathing } from '$lib/breath-measured/analyse';
import { summariseBreaths } from '$lib/breath-measured/summary';
import type { BreathingRecord } from '$lib/db/breathing';
import type { BreathSummary as HeartBreath } from '$lib/analysis';

export interface Point {
	x: number;
	y: number;
}

export interface MeasuredBreathingDetail {
	signal: Point[];
	inStarts: Point[];
	rateMeasured: Point[];
	rateFromHeart: Point[];
	movements: { from: number; to: number; color: string; label?: string }[];
	count: number;
	ratePerMin: number;
	ratio: number;
	heartRatePerMin?: number;
	heartRatio?: number;
	/** Each breath: when it started (min), its in and out (s), its rate and ratio. */
	rows: { atMin: number; inS: number; outS: number; ratePerMin: number; ratio: number }[];
}

const MOVEMENT_COLOR = 'rgba(176,122,58,0.22)';

export function measuredBreathingDetail(
	record: BreathingRecord,
	heart?: HeartBreath
): MeasuredBreathingDetail {
	const { blocks } = record;
	// The signal is drawn from the stored blocks, analysed as at the end of the recording.
	const analysis = analyseBreathing({
		startMs: blocks.startMs,
		xyz: blocks.xyz,
		activity: blocks.activity
	});
	const signal: Point[] = [];
	for (let k = 0; k < analysis.signal.length; k++) {
		const y = analysis.signal[k];
		signal.push({ x: (blocks.startMs + (k + 0.5) * blocks.blockMs) / 60_000, y });
	}
	const valueAt = (ms: number) => {
		const k = Math.round((ms - blocks.startMs) / blocks.blockMs - 0.5);
		const v = analysis.signal[Math.max(0, Math.min(analysis.signal.length - 1, k))];
		return Number.isFinite(v) ? v : 0;
	};
	const breaths = record.breaths;
	const s = summariseBreaths(breaths);
	const heartOk = heart && heart.reliable;
	return {
		signal,
		inStarts: breaths.map((b) => ({ x: b.inStartMs / 60_000, y: valueAt(b.inStartMs) })),
		rateMeasured: breaths.map((b) => ({
			x: (b.inStartMs + b.endMs) / 2 / 60_000,
			y: 60_000 / (b.endMs - b.inStartMs)
		})),
		rateFromHeart: (heart?.breaths ?? []).map((b) => ({
			x: (b.startS + (b.inhaleS + b.exhaleS) / 2) / 60,
			y: b.ratePerMin
		})),
		movements: record.movements.map((m, i) => ({
			from: m.startMs / 60_000,
			to: m.endMs / 60_000,
			color: MOVEMENT_COLOR,
			...(i === 0 ? { label: 'moved' } : {})
		})),
		count: breaths.length,
		ratePerMin: s.ratePerMin,
		ratio: s.ratio,
		heartRatePerMin: heartOk ? heart.ratePerMin : undefined,
		heartRatio: heartOk ? heart.medianRatio : undefined,
		rows: breaths.map((b) => ({
			atMin: b.inStartMs / 60_000,
			inS: (b.outStartMs - b.inStartMs) / 1000,
			outS: (b.endMs - b.outStartMs) / 1000,
			ratePerMin: 60_000 / (b.endMs - b.inStartMs),
			ratio: (b.endMs - b.outStartMs) / (b.outStartMs - b.inStartMs)
		}))
	};
}
