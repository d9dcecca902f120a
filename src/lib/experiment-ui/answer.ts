/** An experiment's answer from its row and the saved sessions: the figures and the verdict. */
import type { ExperimentRow, SessionRow } from '$lib/db/schema';
import { analyseExperiment, experimentVerdict, type ExperimentAnswer } from '$lib/experiment';
import { analysisDays, elapsedDays, experimentDays, type DayReadings } from './readings';

export interface ExperimentResult {
	days: DayReadings[];
	answer: ExperimentAnswer;
	verdict: string;
}

export function experimentResult(
	e: ExperimentRow,
	sessions: readonly SessionRow[],
	today: string
): ExperimentResult {
	const days = experimentDays(e, sessions);
	const answer = analyseExperiment({
		design: e,
		arms: e.arms,
		days: analysisDays(days),
		elapsed: elapsedDays(e, days, today),
		seed: e.seed
	});
	return { days, answer, verdict: experimentVerdict(e.question, answer) };
}
