/** What an experiment can ask: one of the figures Compare judges, read once per day. */
import { COMPARED_METRICS, type MetricMeta } from '$lib/analysis/compare';

export const QUESTIONS = ['settledHr', 'settledLnRmssd', 'tauS', 'feltAfter'] as const;
export type Question = (typeof QUESTIONS)[number];

export function questionMeta(q: Question): MetricMeta {
	return COMPARED_METRICS[q];
}

/**
 * A day-to-day spread to plan with before the person has history: typical figures for resting
 * morning readings (lnRMSSD's day-to-day SD is about 0.2-0.3 in athletes and healthy adults,
 * Plews et al. 2012; resting heart rate about 2-4 bpm; felt tension is a 0-10 self-rating).
 */
export const TYPICAL_DAY_SD: Record<Question, number> = {
	settledHr: 3,
	settledLnRmssd: 0.25,
	tauS: 40,
	feltAfter: 1.5
};

/** "0.12 in lnRMSSD", "2.0 bpm", "30 s", "1.0 point of 10": an amount in the question's own unit. */
export function amountText(q: Question, x: number): string {
	const meta = questionMeta(q);
	const v = Math.abs(x).toFixed(meta.digits);
	if (q === 'settledLnRmssd') return `${v} in lnRMSSD`;
	if (q === 'feltAfter') return `${v} ${v === '1.0' ? 'point' : 'points'} of 10`;
	return `${v} ${meta.unit}`;
}
