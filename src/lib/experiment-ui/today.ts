/** What today is in a running experiment: the line the Practise page shows, and the tags. */
import type { ExperimentRow } from '$lib/db/schema';
import { dayCount, type Arm } from '$lib/experiment/assignment';
import { daysBetween } from '$lib/experiment/days';
import { armTag, EXPERIMENT_TAG } from './tags';

export interface TodayInExperiment {
	experimentId: string;
	day: string;
	/** 1-based. */
	dayNumber: number;
	days: number;
	arm: Arm;
	/** "Routine day: do the stability routine before your session." */
	instruction: string;
	tags: string[];
	did?: Arm;
	note?: string;
}

/** "Stability routine" → "stability routine"; names like "McKenzie" keep their capitals. */
export function routineInSentence(routine: string): string {
	return /^[A-Z][a-z]/.test(routine) ? routine[0].toLowerCase() + routine.slice(1) : routine;
}

export function todayIn(e: ExperimentRow, today: string): TodayInExperiment | undefined {
	const i = daysBetween(e.startDay, today);
	if (e.deletedAt || e.stoppedAt || i < 0 || i >= dayCount(e)) return undefined;
	const arm = e.arms[i];
	const routine = routineInSentence(e.routine);
	return {
		experimentId: e.id,
		day: today,
		dayNumber: i + 1,
		days: dayCount(e),
		arm,
		instruction:
			arm === 'routine'
				? `Routine day: do the ${routine} before your session.`
				: `Rest day: no ${routine} today; record your session as usual.`,
		tags: [EXPERIMENT_TAG, armTag(arm)],
		did: e.days[today]?.did,
		note: e.days[today]?.note
	};
}
