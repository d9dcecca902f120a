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

/**
 * One reading's figures. The before/after question is answered on where a reading ended (its
 * settled level) and how fast it calmed (τ); how far it moved (settling) is shown but not judged,
 * because an "after" reading that starts calm has little left to settle.
 */
export interface Reading {
	id: string;
	startedAt: number;
	phase: Phase;
	routine: string;
	settledHr?: number;
	settledLnRmssd?: number;
	tauS?: number;
	hrDrop?: number;
	lnRmssdRise?: number;
	/** Felt tension (0-10) at the end of the reading, from the self-report. */
	feltAfter?: number;
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

export type MetricKey =
	'settledHr' | 'settledLnRmssd' | 'tauS' | 'feltAfter' | 'hrDrop' | 'lnRmssdRise';

export interface MetricMeta {
	label: string;
	name: string;
	unit: string;
	better: 'lower' | 'higher';
	digits: number;
	/** Settled level and τ answer the question; settling is context. */
	judged: boolean;
	group: 'settled' | 'settling' | 'felt';
}

export const COMPARED_METRICS: Record<MetricKey, MetricMeta> = {
	settledHr: {
		label: 'Settled heart rate',
		name: 'settled heart rate',
		unit: 'bpm',
		better: 'lower',
		digits: 1,
		judged: true,
		group: 'settled'
	},
	settledLnRmssd: {
		label: 'Settled lnRMSSD',
		name: 'settled lnRMSSD',
		unit: '',
		better: 'higher',
		digits: 2,
		judged: true,
		group: 'settled'
	},
	tauS: {
		label: 'Calm-down time constant',
		name: 'calm-down time constant',
		unit: 's',
		better: 'lower',
		digits: 0,
		judged: true,
		group: 'settling'
	},
	feltAfter: {
		label: 'Felt tension at the end',
		name: 'felt tension',
		unit: '/10',
		better: 'lower',
		digits: 1,
		judged: true,
		group: 'felt'
	},
	hrDrop: {
		label: 'Heart-rate drop in the session',
		name: 'heart-rate drop in the session',
		unit: 'bpm',
		better: 'higher',
		digits: 1,
		judged: false,
		group: 'settling'
	},
	lnRmssdRise: {
		label: 'lnRMSSD rise in the session',
		name: 'lnRMSSD rise in the session',
		unit: '',
		better: 'higher',
		digits: 2,
		judged: false,
		group: 'settling'
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
 * Whether "beyond day-to-day noise?" has an answer: the person's noise is known and the change has
 * an interval. Without them the answer is "can't tell yet", never a no.
 */
export const noiseJudgeable = (c: Change): boolean =>
	c.swc !== undefined && Number.isFinite(c.ciLow) && Number.isFinite(c.ciHigh);

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
	// A change that rounds to nothing is no change: "rose by 0.0 bpm" contradicted itself.
	if (Number(amount) === 0) return `${meta.name} did not change`;
	const dir = c.mean < 0 ? 'fell' : 'rose';
	const unit = meta.unit === '/10' ? ' (of 10)' : meta.unit ? ` ${meta.unit}` : '';
	return `${meta.name} ${dir} by ${amount}${unit}`;
}

type Entry = [MetricKey, Change];

const list = (xs: Entry[]) => joinAnd(xs.map(([k, c]) => describeChange(k, c)));
const names = (xs: Entry[]) => joinAnd(xs.map(([k]) => COMPARED_METRICS[k].name));

function joinAnd(parts: string[]): string {
	if (parts.length <= 1) return parts.join('');
	return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/**
 * "Less settled" only when the settled level points that way as a whole: never when heart rate
 * ended lower and lnRMSSD higher, whatever their intervals say.
 */
function endedLessSettled(changes: Partial<Record<MetricKey, Change>>): boolean {
	const hr = changes.settledHr?.mean;
	const ln = changes.settledLnRmssd?.mean;
	const hrWorse = hr !== undefined && hr > 0;
	const lnWorse = ln !== undefined && ln < 0;
	const hrBetter = hr !== undefined && hr < 0;
	const lnBetter = ln !== undefined && ln > 0;
	return (hrWorse || lnWorse) && !hrBetter && !lnBetter;
}

/** Context for a reader who sees the after readings "settle less": they started calmer. */
function settlingNote(changes: Partial<Record<MetricKey, Change>>): string {
	const drop = changes.hrDrop;
	if (!drop || !(drop.mean < 0) || endedLessSettled(changes)) return '';
	return ` The after readings settled less within the session (heart-rate drop ${Math.abs(drop.mean).toFixed(1)} bpm smaller): they started calmer, so there was less to settle. That is why the answer rests on where you ended, not how far you came.`;
}

/**
 * When feeling and heart tell different stories, say so: a felt change beyond noise with no clear
 * heart change, or the other way round.
 */
function feelingVersusHeart(changes: Partial<Record<MetricKey, Change>>): string {
	const felt = changes.feltAfter;
	if (!felt || !Number.isFinite(felt.mean)) return '';
	const heart: Entry[] = [];
	for (const k of ['settledHr', 'settledLnRmssd'] as const) {
		const c = changes[k];
		if (c && Number.isFinite(c.mean)) heart.push([k, c]);
	}
	if (heart.length === 0) return '';
	const heartBetter = heart.some(([k, c]) => c.exceedsNoise && improved(k, c));
	const heartWorse = heart.some(([k, c]) => c.exceedsNoise && !improved(k, c));
	const feltBetter = felt.exceedsNoise && felt.mean < 0;
	const feltWorse = felt.exceedsNoise && felt.mean > 0;
	if (feltBetter && !heartBetter)
		return ' You felt looser; your heart figures did not change clearly. Feeling counts too, and the heart may follow with practice.';
	if (heartBetter && !feltBetter && !feltWorse)
		return ' Your heart settled further, though you did not feel a clear difference.';
	if (heartBetter && feltWorse)
		return ' Your heart settled further, yet you felt more tense: worth noticing what the routine stirs up.';
	if (feltWorse && !heartWorse)
		return ' You felt more tense afterwards, though your heart did not show it.';
	return '';
}

/** A plain-language reading of the changes that never claims more than the intervals allow. */
export function comparisonVerdict(changes: Partial<Record<MetricKey, Change>>): string {
	const entries = (Object.entries(changes) as Entry[]).filter(
		([k, c]) => Number.isFinite(c.mean) && COMPARED_METRICS[k].judged
	);
	if (entries.length === 0) return 'There is not enough data to compare yet.';
	const n = Math.max(...entries.map(([, c]) => c.n));
	const kind = entries[0][1].kind;
	if (kind !== 'single' && n < 3)
		return `With only ${n} ${kind === 'paired' ? 'pairs' : 'readings in a group'}, the intervals are too wide to say anything yet. Keep recording before and after readings.`;
	return `${judgedVerdict(changes, entries, n, kind)}${feelingVersusHeart(changes)}`;
}

/** The verdict on the judged figures (there are some, and enough readings to have intervals). */
function judgedVerdict(
	changes: Partial<Record<MetricKey, Change>>,
	entries: Entry[],
	n: number,
	kind: Change['kind']
): string {
	const better = entries.filter(([k, c]) => c.exceedsNoise && improved(k, c));
	const worse = entries.filter(([k, c]) => c.exceedsNoise && !improved(k, c));
	const smallClear = entries.filter(([, c]) => c.clear && !c.exceedsNoise);
	const note = settlingNote(changes);

	if (kind === 'single') {
		const beyond = entries.filter(([, c]) => c.clear);
		const head = `In this pair, ${list(entries)}.`;
		if (entries.every(([, c]) => c.swc === undefined))
			return `${head} Settle does not know your day-to-day variation yet (it needs at least five readings), so it cannot tell whether that is more than noise. One pair cannot show that the routine helps.`;
		if (beyond.length === 0)
			return `${head} That is within how much your readings vary from day to day, so this pair alone says nothing either way.`;
		const up = beyond.filter(([k, c]) => improved(k, c));
		const down = beyond.filter(([k, c]) => !improved(k, c));
		const which =
			up.length && down.length
				? `The change in ${names(up)} is a better result and the change in ${names(down)} a worse one, each larger than your readings usually vary from day to day: a mixed morning.`
				: `The change in ${names(beyond)} is larger than your readings usually vary from day to day${up.length ? '. Encouraging, but' : ', in the wrong direction; but'} it is one morning.`;
		return `${head} ${which} Only repeated pairs can show whether the routine helps.`;
	}
	const what = kind === 'paired' ? `${n} before/after pairs` : `your before and after readings`;
	if (better.length > 0 && worse.length > 0)
		return `A mixed answer across ${what}: after the routine, ${list(better)}, which is better, but ${list(worse)}, which is worse; both beyond your day-to-day noise. Watch how these develop before drawing a conclusion.${note}`;
	if (worse.length > 0) {
		const tail = endedLessSettled(changes)
			? 'the readings after it end less settled. Worth checking how and when you do it.'
			: 'yet you ended no less settled. The routine does not look like it hurts, but this figure did not improve.';
		return `Across ${what}, ${list(worse)} after the routine, beyond your day-to-day noise: ${tail}${note}`;
	}
	if (better.length > 0) {
		const rest = entries.length - better.length;
		return `Across ${what}, ${list(better)} after the routine, more than your day-to-day noise${rest > 0 ? '; the other figures show no clear change' : ''}. That fits the routine helping you settle, though it cannot prove it: time of day, or simply lying still, may explain part of it.${note}`;
	}
	if (smallClear.length > 0)
		return `Across ${what}, ${list(smallClear)} after the routine: a consistent change, but smaller than what counts as worthwhile for you. Nothing else changed clearly.${note}`;
	return `Across ${what}, no clear change: each interval includes no change at all. More pairs will narrow them.${note}`;
}
