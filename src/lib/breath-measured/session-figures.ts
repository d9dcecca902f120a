/**
 * What a session's summary keeps of the breathing the strap measured, so History can trend it
 * without loading each breathing row: the rate and out/in ratio (as the session page reads them,
 * summariseBreaths over every breath), how many breaths, and how long and how often the person
 * moved.
 */
import type { MeasuredBreath } from './analyse';
import { summariseBreaths } from './summary';

export interface MeasuredSessionFigures {
	/** Breaths a minute over every measured breath; absent when none could be read. */
	measuredBreathRate?: number;
	/** Total out-breath over total in-breath time. */
	measuredBreathRatio?: number;
	measuredBreaths: number;
	/** Seconds marked as movement (overlapping marks counted once), and how many marks. */
	movedS: number;
	movements: number;
}

interface Breathing {
	breaths: readonly MeasuredBreath[];
	movements: readonly { startMs: number; endMs: number }[];
}

export function measuredSessionFigures(b: Breathing): MeasuredSessionFigures {
	const s = summariseBreaths(b.breaths);
	const spans = [...b.movements].sort((x, y) => x.startMs - y.startMs);
	let movedMs = 0;
	let reached = -Infinity;
	for (const m of spans) {
		const from = Math.max(m.startMs, reached);
		if (m.endMs > from) movedMs += m.endMs - from;
		reached = Math.max(reached, m.endMs);
	}
	return {
		...(Number.isFinite(s.ratePerMin) ? { measuredBreathRate: s.ratePerMin } : {}),
		...(Number.isFinite(s.ratio) ? { measuredBreathRatio: s.ratio } : {}),
		measuredBreaths: s.count,
		movedS: movedMs / 1000,
		movements: spans.length
	};
}
