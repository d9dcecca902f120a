/**
 * The answer to an experiment, so far or at its end. By plan: every day with a reading counts
 * under the arm it was assigned, whatever was done; this is the comparison the randomization
 * protects, so the test is run on it. As done: days counted under what the person recorded doing;
 * closer to "what the routine does when done", but no longer randomized (a person who skips the
 * routine on bad days makes the routine look better). Both are shown, with adherence, carry-over
 * and the drift over the weeks, so nothing that could explain the answer is hidden.
 */
import { blockOf, dayCount, type Arm, type Design } from './assignment';
import { differenceOfMeans, type Effect } from './effect';
import { seededRandom } from './random';
import {
	randomizationInterval,
	randomizationTest,
	type RandomizationResult
} from './randomization-test';

export interface ExperimentDay {
	/** The day's figure (mean of its readings), when there was a reading. */
	value?: number;
	/** What the person recorded doing; absent means not confirmed. */
	did?: Arm;
}

export interface AnalysisInput {
	design: Design;
	arms: readonly Arm[];
	/** By day from the start; may be shorter than the plan. */
	days: readonly ExperimentDay[];
	/** Days from the start through today (today counts once it has a reading). */
	elapsed: number;
	/** Seeds the Monte Carlo draws, so the same data always gives the same p-value. */
	seed?: number;
	/** Skip the test-inversion interval (simulations that need only the p-value). */
	withoutInterval?: boolean;
}

export interface Adherence {
	daysSoFar: number;
	withReading: number;
	routinePlanned: number;
	routineDone: number;
	restPlanned: number;
	restKept: number;
	/** Days with a different arm done than assigned. */
	swapped: number;
	/** Days whose arm the person did not confirm (counted as assigned in "as done"). */
	unconfirmed: number;
}

export interface WeekFigures {
	week: number;
	routine: Effect['routineMean'];
	rest: Effect['restMean'];
	nRoutine: number;
	nRest: number;
}

export interface ExperimentAnswer {
	interim: boolean;
	elapsed: number;
	planned: number;
	/** low/high: the interval from inverting the randomization test (agrees with its p). */
	byPlan: Effect & { test: RandomizationResult };
	asDone: Effect;
	adherence: Adherence;
	/** Rest days after a routine day minus rest days after a rest day (by plan), when both exist. */
	carryOver?: Effect;
	weeks: WeekFigures[];
	/** Change per week of the figure over the experiment, arms held apart. */
	driftPerWeek: number;
}

function split(values: (number | undefined)[], arms: readonly Arm[]): [number[], number[]] {
	const r: number[] = [];
	const s: number[] = [];
	values.forEach((v, i) => {
		if (v === undefined) return;
		(arms[i] === 'routine' ? r : s).push(v);
	});
	return [r, s];
}

export function analyseExperiment(input: AnalysisInput): ExperimentAnswer {
	const planned = dayCount(input.design);
	const elapsed = Math.max(0, Math.min(planned, input.elapsed));
	const arms = input.arms.slice(0, elapsed);
	const days = Array.from({ length: elapsed }, (_, i) => input.days[i] ?? {});
	const values = days.map((d) =>
		d.value !== undefined && Number.isFinite(d.value) ? d.value : undefined
	);
	const blocks = arms.map((_, i) => blockOf(i, input.design.block));
	const done = arms.map((a, i) => days[i].did ?? a);

	const testSeed = (input.seed ?? 1) ^ 0x5eed;
	const test = randomizationTest(values, arms, blocks, seededRandom(testSeed));
	// By plan, the interval comes from inverting the randomization test, so it agrees with p.
	const byPlan = {
		...differenceOfMeans(...split(values, arms)),
		...(input.withoutInterval ? {} : randomizationInterval(values, arms, blocks, testSeed)),
		test
	};
	const asDone = differenceOfMeans(...split(values, done));

	const adherence: Adherence = {
		daysSoFar: elapsed,
		withReading: values.filter((v) => v !== undefined).length,
		routinePlanned: arms.filter((a) => a === 'routine').length,
		routineDone: arms.filter((a, i) => a === 'routine' && days[i].did === 'routine').length,
		restPlanned: arms.filter((a) => a === 'rest').length,
		restKept: arms.filter((a, i) => a === 'rest' && days[i].did === 'rest').length,
		swapped: arms.filter((a, i) => days[i].did !== undefined && days[i].did !== a).length,
		unconfirmed: days.filter((d) => d.did === undefined).length
	};

	return {
		interim: elapsed < planned,
		elapsed,
		planned,
		byPlan,
		asDone,
		adherence,
		carryOver: carryOver(values, arms),
		weeks: weekFigures(values, arms),
		driftPerWeek: drift(values, arms)
	};
}

/**
 * A routine whose effect lasts into the next day makes the rest days after it look like routine
 * days, shrinking the difference; with day pairs that is the design's weak point, so it is shown.
 */
function carryOver(values: (number | undefined)[], arms: readonly Arm[]): Effect | undefined {
	const afterRoutine: number[] = [];
	const afterRest: number[] = [];
	for (let i = 1; i < values.length; i++) {
		const v = values[i];
		if (v === undefined || arms[i] !== 'rest') continue;
		(arms[i - 1] === 'routine' ? afterRoutine : afterRest).push(v);
	}
	if (afterRoutine.length < 2 || afterRest.length < 2) return undefined;
	return differenceOfMeans(afterRoutine, afterRest);
}

function weekFigures(values: (number | undefined)[], arms: readonly Arm[]): WeekFigures[] {
	const weeks: WeekFigures[] = [];
	for (let w = 0; w * 7 < values.length; w++) {
		const [r, s] = split(values.slice(w * 7, w * 7 + 7), arms.slice(w * 7, w * 7 + 7));
		const e = differenceOfMeans(r, s);
		weeks.push({
			week: w + 1,
			routine: e.routineMean,
			rest: e.restMean,
			nRoutine: r.length,
			nRest: s.length
		});
	}
	return weeks;
}

/** Least-squares slope (per week) of the figures after each arm's mean is taken out. */
function drift(values: (number | undefined)[], arms: readonly Arm[]): number {
	const [r, s] = split(values, arms);
	const mr = r.reduce((a, b) => a + b, 0) / r.length;
	const ms = s.reduce((a, b) => a + b, 0) / s.length;
	const pts: [number, number][] = [];
	values.forEach((v, i) => {
		if (v === undefined) return;
		const m = arms[i] === 'routine' ? mr : ms;
		if (Number.isFinite(m)) pts.push([i / 7, v - m]);
	});
	if (pts.length < 3) return NaN;
	const mt = pts.reduce((a, [t]) => a + t, 0) / pts.length;
	const my = pts.reduce((a, [, y]) => a + y, 0) / pts.length;
	let sxy = 0;
	let sxx = 0;
	for (const [t, y] of pts) {
		sxy += (t - mt) * (y - my);
		sxx += (t - mt) ** 2;
	}
	return sxx > 0 ? sxy / sxx : NaN;
}
