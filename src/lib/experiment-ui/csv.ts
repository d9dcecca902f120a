/**
 * The experiment as files someone else can check: the days as CSV (one row a day, as planned and
 * as done, with the day's figure), and the plan (dates, rule, seed, assignment, method, answer).
 */
import type { ExperimentRow } from '$lib/db/schema';
import { blockOf, questionMeta, type ExperimentAnswer } from '$lib/experiment';
import { lastDay } from '$lib/db/experiments';
import type { DayReadings } from './readings';

const cell = (v: string | number | undefined) => {
	if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
	const s = String(v);
	return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function experimentCsv(e: ExperimentRow, days: readonly DayReadings[]): string {
	const digits = questionMeta(e.question).digits + 2;
	const rows = [
		`day,date,block,planned,done,${e.question},readings,session_ids,note`,
		...days.map((d) =>
			[
				d.index + 1,
				d.day,
				blockOf(d.index, e.block) + 1,
				d.planned,
				d.did ?? '',
				d.value === undefined ? '' : d.value.toFixed(digits),
				d.sessions.length,
				d.sessions.map((s) => s.id).join(' '),
				d.note
			]
				.map(cell)
				.join(',')
		)
	];
	return rows.join('\n') + '\n';
}

export function experimentPlan(
	e: ExperimentRow,
	answer: ExperimentAnswer,
	verdict: string
): Record<string, unknown> {
	const t = answer.byPlan.test;
	return {
		what: 'Settle N-of-1 self-experiment: routine days against rest days, randomized in balanced blocks',
		routine: e.routine,
		question: {
			key: e.question,
			name: questionMeta(e.question).name,
			unit: questionMeta(e.question).unit
		},
		firstDay: e.startDay,
		lastDay: lastDay(e),
		weeks: e.weeks,
		rule:
			e.block === 'days'
				? 'Each pair of days is a block with one routine day and one rest day, in random order.'
				: 'Each pair of weeks is a block with one routine week and one rest week, in random order.',
		randomSource:
			'A 32-bit seed from crypto.getRandomValues, drawn once when the plan was made; for each block in turn, mulberry32(seed) < 0.5 puts the routine half first.',
		seed: e.seed,
		assignment: e.arms,
		createdAt: new Date(e.createdAt).toISOString(),
		stoppedAt: e.stoppedAt ? new Date(e.stoppedAt).toISOString() : undefined,
		dailyFigure:
			'Mean of the day’s readings tagged “experiment” (readings marked “before” left out).',
		analysis: {
			interim: answer.interim,
			daysCounted: answer.elapsed,
			byPlan: {
				routineMinusRest: answer.byPlan.diff,
				interval95: [answer.byPlan.low, answer.byPlan.high],
				intervalMethod: 'inversion of the randomization test',
				p: t.p,
				test: t.exact
					? `exact over all ${t.assignments} possible assignments`
					: `Monte Carlo, ${t.draws} of ${t.assignments} possible assignments, standard error ${t.se?.toFixed(4)}`
			},
			asDone: {
				routineMinusRest: answer.asDone.diff,
				interval95: [answer.asDone.low, answer.asDone.high],
				intervalMethod: 'Welch'
			},
			adherence: answer.adherence,
			carryOver: answer.carryOver
				? {
						restAfterRoutineMinusRestAfterRest: answer.carryOver.diff,
						interval95: [answer.carryOver.low, answer.carryOver.high]
					}
				: null,
			driftPerWeek: answer.driftPerWeek,
			verdict
		}
	};
}

export function experimentFileName(e: ExperimentRow, ext: string): string {
	return `settle-experiment-${e.startDay}.${ext}`;
}
