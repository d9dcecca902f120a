/**
 * Did the routine help, beyond day-to-day noise? Before/after readings are paired (a "before" and an
 * "after" around the routine on the same day), or compared as two groups; each change gets a 95 %
 * confidence interval (Student's t: a few pairs are not a normal sample) and is set against the
 * person's smallest worthwhile change. The verdict says no more than the interval allows.
 */
import { mean, sd } from './stats';
import { studentTQuantile } from './student-t';
import { localDayKey } from './trends';

export type Phase = 'before' | 'after' | 'none';

export interface Reading {
	id: string;
	startedAt: number;
	phase: Phase;
	routine: string;
	hr?: number;
	lnRmssd?: number;
	relaxation?: number;
}

export interface Pair {
	before: Reading;
	after: Reading;
}

/**
 * Same day, same routine: each "after" takes the latest unused "before" that precedes it.
 * Readings arrive in any order; pairs come out oldest first.
 */
export function autoPairs(readings: readonly Reading[], dayKey = localDayKey): Pair[] {
	const sorted = [...readings].sort((a, b) => a.startedAt - b.startedAt);
	const used = new Set<string>();
	const pairs: Pair[] = [];
	for (const after of sorted) {
		if (after.phase !== 'after') continue;
		const day = dayKey(after.startedAt);
		let best: Reading | undefined;
		for (const r of sorted) {
			if (r.startedAt >= after.startedAt) break;
			if (
				r.phase === 'before' &&
				r.routine === after.routine &&
				!used.has(r.id) &&
				dayKey(r.startedAt) === day
			)
				best = r;
		}
		if (best) {
			used.add(best.id);
			pairs.push({ before: best, after });
		}
	}
	return pairs;
}

export type MetricKey = 'hr' | 'lnRmssd' | 'relaxation';

export const COMPARED_METRICS: Record<
	MetricKey,
	{ label: string; name: string; unit: string; better: 'lower' | 'higher'; digits: number }
> = {
	hr: { label: 'Heart rate', name: 'heart rate', unit: 'bpm', better: 'lower', digits: 1 },
	lnRmssd: { label: 'lnRMSSD', name: 'lnRMSSD', unit: '', better: 'higher', digits: 2 },
	relaxation: {
		label: 'Relaxation score',
		name: 'relaxation score',
		unit: 'points',
		better: 'higher',
		digits: 0
	}
};

export interface Change {
	kind: 'single' | 'paired' | 'groups';
	/** Pairs, or the smaller group's size. */
	n: number;
	/** After minus before. */
	mean: number;
	ciLow: number;
	ciHigh: number;
	/** The smallest worthwhile change for this person (0.5 × day-to-day SD), when known. */
	swc?: number;
	/** The interval excludes no change. */
	clear: boolean;
	/** Clear, and larger than the smallest worthwhile change. */
	exceedsNoise: boolean;
}

function finish(
	kind: Change['kind'],
	n: number,
	m: number,
	half: number,
	noiseSd: number | undefined
): Change {
	const ciLow = m - half;
	const ciHigh = m + half;
	const clear = Number.isFinite(half) && (ciLow > 0 || ciHigh < 0);
	const swc = noiseSd !== undefined ? 0.5 * noiseSd : undefined;
	return {
		kind,
		n,
		mean: m,
		ciLow,
		ciHigh,
		swc,
		clear,
		exceedsNoise: clear && swc !== undefined && Math.abs(m) >= swc
	};
}

/**
 * One pair has no spread of its own: its interval is what day-to-day noise alone would give the
 * difference of two readings, ± 1.96 · √2 · SD.
 */
export function singlePairChange(diff: number, noiseSd: number | undefined): Change {
	const half = noiseSd !== undefined ? 1.96 * Math.SQRT2 * noiseSd : Infinity;
	return finish('single', 1, diff, half, noiseSd);
}

export function pairedChange(diffs: readonly number[], noiseSd?: number): Change {
	const n = diffs.length;
	if (n === 1) return singlePairChange(diffs[0], noiseSd);
	const m = mean(diffs);
	const half = n >= 2 ? (studentTQuantile(0.975, n - 1) * sd(diffs)) / Math.sqrt(n) : NaN;
	return finish('paired', n, m, half, noiseSd);
}

/** Welch's t interval: the groups may differ in size and spread. */
export function groupChange(
	before: readonly number[],
	after: readonly number[],
	noiseSd?: number
): Change {
	const na = before.length;
	const nb = after.length;
	const m = mean(after) - mean(before);
	if (na < 2 || nb < 2) return finish('groups', Math.min(na, nb), m, NaN, noiseSd);
	const va = sd(before) ** 2 / na;
	const vb = sd(after) ** 2 / nb;
	const df = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1));
	const half = studentTQuantile(0.975, df) * Math.sqrt(va + vb);
	return finish('groups', Math.min(na, nb), m, half, noiseSd);
}

function improved(key: MetricKey, c: Change): boolean {
	return COMPARED_METRICS[key].better === 'lower' ? c.mean < 0 : c.mean > 0;
}

function describeChange(key: MetricKey, c: Change): string {
	const meta = COMPARED_METRICS[key];
	const amount = Math.abs(c.mean).toFixed(meta.digits);
	const dir = c.mean < 0 ? 'fell' : 'rose';
	return `${meta.name} ${dir} by ${amount}${meta.unit ? ` ${meta.unit}` : ''}`;
}

/** A plain-language reading of the changes that never claims more than the intervals allow. */
export function comparisonVerdict(changes: Partial<Record<MetricKey, Change>>): string {
	const entries = (Object.entries(changes) as [MetricKey, Change][]).filter(([, c]) =>
		Number.isFinite(c.mean)
	);
	if (entries.length === 0) return 'There is not enough data to compare yet.';
	const n = Math.max(...entries.map(([, c]) => c.n));
	const kind = entries[0][1].kind;
	const better = entries.filter(([k, c]) => c.exceedsNoise && improved(k, c));
	const worse = entries.filter(([k, c]) => c.exceedsNoise && !improved(k, c));
	const smallClear = entries.filter(([, c]) => c.clear && !c.exceedsNoise);
	const list = (xs: [MetricKey, Change][]) => xs.map(([k, c]) => describeChange(k, c)).join(', ');

	if (kind === 'single') {
		const beyond = entries.filter(([, c]) => c.clear);
		const head = `In this pair, ${list(entries)}.`;
		if (entries.every(([, c]) => c.swc === undefined))
			return `${head} Settle does not know your day-to-day variation yet (it needs at least five readings), so it cannot tell whether that is more than noise. One pair cannot show that the routine helps.`;
		return beyond.length > 0
			? `${head} The change in ${beyond.map(([k]) => COMPARED_METRICS[k].name).join(' and ')} is larger than your readings usually vary from day to day. Encouraging, but it is one morning: only repeated pairs can show the routine helps.`
			: `${head} That is within how much your readings vary from day to day, so this pair alone says nothing either way.`;
	}
	const what = kind === 'paired' ? `${n} before/after pairs` : `your before and after readings`;
	if (n < 3)
		return `With only ${n} ${kind === 'paired' ? 'pairs' : 'readings in a group'}, the intervals are too wide to say anything yet. Keep recording before and after readings.`;
	if (worse.length > 0)
		return `Across ${what}, ${list(worse)} after the routine, beyond your day-to-day noise: the readings after it look less settled. Worth checking how and when you do it.`;
	if (better.length > 0) {
		const rest = entries.length - better.length;
		return `Across ${what}, ${list(better)} after the routine, more than your day-to-day noise${rest > 0 ? '; the other figures show no clear change' : ''}. That fits the routine helping you settle, though it cannot prove it: time of day, or simply lying still, may explain part of it.`;
	}
	if (smallClear.length > 0)
		return `Across ${what}, ${list(smallClear)} after the routine: a consistent change, but smaller than what counts as worthwhile for you. Nothing else changed clearly.`;
	return `Across ${what}, no clear change: each interval includes no change at all. More pairs will narrow them.`;
}
