/**
 * The person's own day-to-day spread, from their history: one figure per day (the day's mean),
 * its standard deviation and how much a day resembles the day before (lag-1 autocorrelation over
 * consecutive days). With too little history the typical spread is used and the plan says so.
 */
import { mean, sd } from '$lib/analysis/stats';
import { dayIndex } from './days';
import { TYPICAL_DAY_SD, type Question } from './questions';
import type { NoiseModel } from './simulate';

/** Days needed before the spread is the person's own. */
export const MIN_HISTORY_DAYS = 7;
/** Consecutive-day pairs needed before the autocorrelation is the person's own. */
export const MIN_AR1_PAIRS = 10;
/** Day-to-day autocorrelation assumed without enough history (resting HRV drifts over days). */
export const TYPICAL_AR1 = 0.3;

export interface PersonalNoise extends NoiseModel {
	days: number;
	fromHistory: boolean;
}

export function noiseFromHistory(
	daily: readonly { day: string; value: number }[],
	question: Question
): PersonalNoise {
	const values = daily.filter((d) => Number.isFinite(d.value));
	if (values.length < MIN_HISTORY_DAYS)
		return {
			sd: TYPICAL_DAY_SD[question],
			ar1: TYPICAL_AR1,
			days: values.length,
			fromHistory: false
		};
	const byDay = new Map(values.map((d) => [dayIndex(d.day), d.value]));
	const m = mean(values.map((d) => d.value));
	let num = 0;
	let pairs = 0;
	for (const [i, v] of byDay) {
		const next = byDay.get(i + 1);
		if (next === undefined) continue;
		num += (v - m) * (next - m);
		pairs++;
	}
	const s = sd(values.map((d) => d.value));
	const ar1 =
		pairs >= MIN_AR1_PAIRS && s > 0
			? Math.max(0, Math.min(0.9, num / pairs / s ** 2))
			: TYPICAL_AR1;
	return { sd: s, ar1, days: values.length, fromHistory: true };
}
