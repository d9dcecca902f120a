/**
 * The comparison page's figures: readings from session rows, the person's day-to-day noise per
 * metric, the three kinds of comparison (pairs, groups, one pair) with their verdict, and the mean
 * calm-down curve of each side for the overlay.
 */
import {
	autoPairs,
	COMPARED_METRICS,
	comparisonVerdict,
	currentNoise,
	groupChange,
	localDayKey,
	pairedChange,
	singlePairChange,
	type Change,
	type MetricKey,
	type Pair,
	type Reading
} from '$lib/analysis';
import type { SessionRow } from '$lib/db';
import { loadCalmDownCurve } from './summary';
import { settleFigures } from './settle-figures';

export const METRIC_KEYS = Object.keys(COMPARED_METRICS) as MetricKey[];

export function readingOf(s: SessionRow): Reading {
	return {
		id: s.id,
		startedAt: s.startedAt,
		phase: s.phase,
		routine: s.routine,
		...settleFigures(s.summary),
		feltAfter: s.tensionAfter
	};
}

/**
 * autoPairs, fast with years of readings. It scans every earlier reading for each "after", which
 * grows with the square of the history; pairs only ever form within one day, so each day's
 * readings are paired on their own here (days in order, so the pairs keep autoPairs' order).
 * Readings that are neither before nor after are never paired and are left out. Same pairs.
 */
export function sameDayPairs(readings: readonly Reading[]): Pair[] {
	const byDay = new Map<string, Reading[]>();
	for (const r of readings) {
		if (r.phase === 'none') continue;
		const day = localDayKey(r.startedAt);
		const of = byDay.get(day);
		if (of) of.push(r);
		else byDay.set(day, [r]);
	}
	const days = [...byDay.keys()].sort();
	return days.flatMap((day) => {
		const of = byDay.get(day)!;
		return of.some((r) => r.phase === 'after') ? autoPairs(of, () => day) : [];
	});
}

/** Routines that have before or after readings, the most used first. */
export function routinesWithReadings(readings: readonly Reading[]): string[] {
	const count = new Map<string, number>();
	for (const r of readings)
		if (r.phase !== 'none') count.set(r.routine, (count.get(r.routine) ?? 0) + 1);
	return [...count.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
}

export type NoiseByMetric = Record<MetricKey, number | undefined>;

/** Day-to-day SD of each metric over the last 60 days of all sessions. */
export function dayToDayNoise(readings: readonly Reading[]): NoiseByMetric {
	const out = {} as NoiseByMetric;
	for (const key of METRIC_KEYS) {
		const points = readings
			.filter((r) => r[key] !== undefined && Number.isFinite(r[key]))
			.map((r) => ({ t: r.startedAt, v: r[key] as number }));
		out[key] = currentNoise(points)?.sd;
	}
	return out;
}

export interface Comparison {
	kind: 'paired' | 'groups' | 'single';
	changes: Partial<Record<MetricKey, Change>>;
	/** Mean of each side, per metric. */
	before: Partial<Record<MetricKey, number>>;
	after: Partial<Record<MetricKey, number>>;
	verdict: string;
	beforeIds: string[];
	afterIds: string[];
}

const values = (rs: readonly Reading[], key: MetricKey) =>
	rs.map((r) => r[key]).filter((v): v is number => v !== undefined && Number.isFinite(v));
const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);

function sides(before: readonly Reading[], after: readonly Reading[]) {
	const b: Comparison['before'] = {};
	const a: Comparison['after'] = {};
	for (const key of METRIC_KEYS) {
		b[key] = avg(values(before, key));
		a[key] = avg(values(after, key));
	}
	return { before: b, after: a };
}

export function comparePairs(pairs: readonly Pair[], noise: NoiseByMetric): Comparison {
	const changes: Comparison['changes'] = {};
	for (const key of METRIC_KEYS) {
		const diffs = pairs
			.map((p) => (p.after[key] ?? NaN) - (p.before[key] ?? NaN))
			.filter((d) => Number.isFinite(d));
		if (diffs.length) changes[key] = pairedChange(diffs, noise[key]);
	}
	const before = pairs.map((p) => p.before);
	const after = pairs.map((p) => p.after);
	return {
		kind: pairs.length === 1 ? 'single' : 'paired',
		changes,
		...sides(before, after),
		verdict: comparisonVerdict(changes),
		beforeIds: before.map((r) => r.id),
		afterIds: after.map((r) => r.id)
	};
}

export function compareOne(pair: Pair, noise: NoiseByMetric): Comparison {
	const changes: Comparison['changes'] = {};
	for (const key of METRIC_KEYS) {
		const d = (pair.after[key] ?? NaN) - (pair.before[key] ?? NaN);
		if (Number.isFinite(d)) changes[key] = singlePairChange(d, noise[key]);
	}
	return {
		kind: 'single',
		changes,
		...sides([pair.before], [pair.after]),
		verdict: comparisonVerdict(changes),
		beforeIds: [pair.before.id],
		afterIds: [pair.after.id]
	};
}

export function compareGroups(
	before: readonly Reading[],
	after: readonly Reading[],
	noise: NoiseByMetric
): Comparison {
	const changes: Comparison['changes'] = {};
	for (const key of METRIC_KEYS) {
		const b = values(before, key);
		const a = values(after, key);
		if (b.length && a.length) changes[key] = groupChange(b, a, noise[key]);
	}
	return {
		kind: 'groups',
		changes,
		...sides(before, after),
		verdict: comparisonVerdict(changes),
		beforeIds: before.map((r) => r.id),
		afterIds: after.map((r) => r.id)
	};
}

/** At most this many sessions per side are loaded for the mean curve (the latest ones). */
export const CURVE_SESSIONS = 20;
const CURVES_AT_ONCE = 4;

/**
 * The mean heart-rate curve of some sessions, aligned at their start (10 s bins, minutes on x).
 * Each bin averages the sessions that reached it.
 */
export async function meanCurve(ids: readonly string[]): Promise<{ x: number; y: number }[]> {
	const curves = [];
	// A few sessions at a time: starting all twenty reads (and their transactions) at once was a
	// task of about 10 ms as Compare opened, and their curves were then fitted back to back.
	const chosen = ids.slice(-CURVE_SESSIONS);
	for (let i = 0; i < chosen.length; i += CURVES_AT_ONCE)
		curves.push(...(await Promise.all(chosen.slice(i, i + CURVES_AT_ONCE).map(loadCalmDownCurve))));
	const bins = new Map<number, { sum: number; n: number }>();
	for (const c of curves) {
		for (const p of c.hr) {
			const k = Math.round(p.x * 600);
			const b = bins.get(k) ?? { sum: 0, n: 0 };
			b.sum += p.y;
			b.n++;
			bins.set(k, b);
		}
	}
	return [...bins.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([k, b]) => ({ x: k / 600, y: b.sum / b.n }));
}
