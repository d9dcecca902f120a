/**
 * From saved sessions to an experiment's days: which sessions belong (tagged to the experiment,
 * on its days), the figure of each day (the mean of its readings), and the person's daily figures
 * before it (for the power the plan promises).
 */
import type { ExperimentRow, SessionRow } from '$lib/db/schema';
import { readingOf } from '$lib/review/comparison';
import {
	addDays,
	dayCount,
	daysBetween,
	localDayKey,
	type Arm,
	type ExperimentDay,
	type Question
} from '$lib/experiment';
import { EXPERIMENT_TAG } from './tags';

export { EXPERIMENT_TAG, EXPERIMENT_TAGS, armTag } from './tags';

/** A reading that can answer the question: not a paced assessment, not a "before" reading. */
function usable(s: SessionRow): boolean {
	return s.status === 'finished' && !s.assessment && !s.deletedAt && s.phase !== 'before';
}

export function figureOf(s: SessionRow, q: Question): number | undefined {
	const v = readingOf(s)[q];
	return v !== undefined && Number.isFinite(v) ? v : undefined;
}

export interface DayReadings {
	day: string;
	index: number;
	planned: Arm;
	sessions: SessionRow[];
	value?: number;
	did?: Arm;
	note?: string;
}

/** Every planned day with its readings, in order. */
export function experimentDays(
	e: ExperimentRow,
	sessions: readonly SessionRow[],
	dayKey = localDayKey
): DayReadings[] {
	const byDay = new Map<string, SessionRow[]>();
	for (const s of sessions) {
		if (!usable(s) || !s.tags.includes(EXPERIMENT_TAG)) continue;
		const day = dayKey(s.startedAt);
		const i = daysBetween(e.startDay, day);
		if (i < 0 || i >= dayCount(e)) continue;
		byDay.set(day, [...(byDay.get(day) ?? []), s]);
	}
	return e.arms.map((planned, index) => {
		const day = addDays(e.startDay, index);
		const list = (byDay.get(day) ?? []).sort((a, b) => a.startedAt - b.startedAt);
		const values = list.map((s) => figureOf(s, e.question)).filter((v) => v !== undefined);
		const log = e.days[day];
		return {
			day,
			index,
			planned,
			sessions: list,
			value: values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined,
			did: log?.did,
			note: log?.note
		};
	});
}

export const analysisDays = (days: readonly DayReadings[]): ExperimentDay[] =>
	days.map((d) => ({ value: d.value, did: d.did }));

/**
 * Days from the start through today (today counts once it has a reading, so an interim look in
 * the morning does not count an empty today as missed); a stopped experiment ends on its stop day.
 */
export function elapsedDays(e: ExperimentRow, days: readonly DayReadings[], today: string): number {
	const end = e.stoppedAt !== undefined ? minDay(localDayKey(e.stoppedAt), today) : today;
	const throughToday = daysBetween(e.startDay, end) + 1;
	const todayIndex = daysBetween(e.startDay, end);
	const todayDone = days[todayIndex]?.value !== undefined || days[todayIndex]?.did !== undefined;
	return Math.max(0, Math.min(dayCount(e), todayDone ? throughToday : throughToday - 1));
}

const minDay = (a: string, b: string) => (a < b ? a : b);

/**
 * One figure a day from the sessions before a day (the last 90 days), for the person's own
 * day-to-day spread.
 */
export function dailyHistory(
	sessions: readonly SessionRow[],
	q: Question,
	before: string,
	dayKey = localDayKey
): { day: string; value: number }[] {
	const from = addDays(before, -90);
	const byDay = new Map<string, number[]>();
	for (const s of sessions) {
		if (!usable(s)) continue;
		const day = dayKey(s.startedAt);
		if (day >= before || day < from) continue;
		const v = figureOf(s, q);
		if (v !== undefined) byDay.set(day, [...(byDay.get(day) ?? []), v]);
	}
	return [...byDay]
		.map(([day, vs]) => ({ day, value: vs.reduce((a, b) => a + b, 0) / vs.length }))
		.sort((a, b) => (a.day < b.day ? -1 : 1));
}
