/**
 * What a session's summary keeps of the breathing the strap measured, so History can trend it
 * without loading each breathing row: the rate and out/in ratio (as the session page reads them,
 * summariseBreaths over every breath), how many breaths, and how long and how often the person
 * moved.
 */
import type { MeasuredBreath } from './analyse';
import { coveredMs } from '$lib/analysis/session';
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
	return {
		...(Number.isFinite(s.ratePerMin) ? { measuredBreathRate: s.ratePerMin } : {}),
		...(Number.isFinite(s.ratio) ? { measuredBreathRatio: s.ratio } : {}),
		measuredBreaths: s.count,
		movedS: coveredMs(b.movements) / 1000,
		movements: b.movements.length
	};
}
