/**
 * The effect: routine-day mean minus rest-day mean, with Welch's 95 % interval (the arms may
 * differ in size and spread once days are missed).
 */
import { mean, sd } from '$lib/analysis/stats';
import { studentTQuantile } from '$lib/analysis/student-t';

export interface Effect {
	/** Routine minus rest. */
	diff: number;
	low: number;
	high: number;
	routineMean: number;
	restMean: number;
	nRoutine: number;
	nRest: number;
}

export function differenceOfMeans(routine: readonly number[], rest: readonly number[]): Effect {
	const nr = routine.length;
	const ns = rest.length;
	const routineMean = mean(routine);
	const restMean = mean(rest);
	const diff = routineMean - restMean;
	let half = NaN;
	if (nr >= 2 && ns >= 2) {
		const vr = sd(routine) ** 2 / nr;
		const vs = sd(rest) ** 2 / ns;
		const se2 = vr + vs;
		const df = se2 === 0 ? nr + ns - 2 : se2 ** 2 / (vr ** 2 / (nr - 1) + vs ** 2 / (ns - 1));
		half = studentTQuantile(0.975, df) * Math.sqrt(se2);
	}
	return {
		diff,
		low: diff - half,
		high: diff + half,
		routineMean,
		restMean,
		nRoutine: nr,
		nRest: ns
	};
}

/** The interval excludes no difference. */
export const intervalClear = (e: Effect) => e.low > 0 || e.high < 0;
