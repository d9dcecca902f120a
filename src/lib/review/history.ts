/**
 * The history page's figures from session rows alone (summaries, never beats, so 2,000 sessions
 * stay fast): filters, the practice calendar and streak, and the three trends with the person's
 * normal range, 7-day average and smallest worthwhile change.
 */
import {
	feltChange,
	noiseOf,
	localDayKey,
	personalBaseline,
	practiceStreak,
	type BaselinePoint,
	type Noise,
	type PracticeStreak
} from '$lib/analysis';
import type { ReadingPhase, SessionRow } from '$lib/db';
import { settleFigures } from './settle-figures';

export interface HistoryFilter {
	routine: string;
	tag: string;
	phase: ReadingPhase | 'all';
}

export const NO_FILTER: HistoryFilter = { routine: '', tag: '', phase: 'all' };

/** Resonance assessments are paced at five rates on purpose: never part of trends or Compare. */
export function applyFilter(rows: readonly SessionRow[], f: HistoryFilter): SessionRow[] {
	return rows.filter(
		(s) =>
			!s.assessment &&
			(!f.routine || s.routine === f.routine) &&
			(!f.tag || s.tags.includes(f.tag)) &&
			(f.phase === 'all' || s.phase === f.phase)
	);
}

export function filterChoices(rows: readonly SessionRow[]): { routines: string[]; tags: string[] } {
	const routines = new Set<string>();
	const tags = new Set<string>();
	for (const s of rows) {
		routines.add(s.routine);
		for (const t of s.tags) tags.add(t);
	}
	return { routines: [...routines].sort(), tags: [...tags].sort() };
}

export type TrendKey =
	| 'settledHr'
	| 'settledLnRmssd'
	| 'hrDrop'
	| 'breathRate'
	| 'breathRatio'
	| 'tensionBefore'
	| 'tensionAfter'
	| 'tensionChange';

/** What the heart shows, then what the person felt. */
export const TREND_KEYS: readonly TrendKey[] = ['settledHr', 'settledLnRmssd', 'hrDrop'];
export const FELT_TREND_KEYS: readonly TrendKey[] = [
	'tensionBefore',
	'tensionAfter',
	'tensionChange'
];

export const TRENDS: Record<
	TrendKey,
	{
		title: string;
		unit: string;
		digits: number;
		better: 'lower' | 'higher';
		explain: string;
		/** Values the figure cannot go below (the axis and normal range stop there). */
		floor?: number;
	}
> = {
	settledHr: {
		title: 'Settled heart rate',
		unit: 'bpm',
		digits: 0,
		better: 'lower',
		explain: 'Settled level: mean heart rate over the last two minutes of each session.',
		floor: 0
	},
	settledLnRmssd: {
		title: 'Settled lnRMSSD',
		unit: '',
		digits: 2,
		better: 'higher',
		explain:
			'Settled level: beat-to-beat variability (log of RMSSD) over the last two minutes; higher means more at rest.',
		floor: 0
	},
	hrDrop: {
		title: 'Settling: heart-rate drop',
		unit: 'bpm',
		digits: 1,
		better: 'higher',
		explain:
			'How far heart rate fell from the first two minutes to the last two. A session that starts calm has less to drop.'
	},
	breathRate: {
		title: 'Breathing rate',
		unit: '/min',
		digits: 1,
		better: 'lower',
		explain:
			'Breaths a minute in each session, the figure its page shows: measured by the strap from your chest’s movement where it could, else estimated from the heart (counted breath by breath where the heart follows breathing, else read from the spectrum).',
		floor: 0
	},
	breathRatio: {
		title: 'Out-breath / in-breath, measured',
		unit: '×',
		digits: 2,
		better: 'higher',
		explain:
			'How much longer each out-breath was than the in-breath (total out over total in), measured by the strap; constructive rest aims for about 1.5×. Only sessions the strap measured.',
		floor: 0
	},
	tensionBefore: {
		title: 'Felt tension before',
		unit: '/10',
		digits: 1,
		better: 'lower',
		explain: 'How tense or sore you said you felt before each session (0 to 10).',
		floor: 0
	},
	tensionAfter: {
		title: 'Felt tension after',
		unit: '/10',
		digits: 1,
		better: 'lower',
		explain: 'How tense or sore you said you felt after each session (0 to 10).',
		floor: 0
	},
	tensionChange: {
		title: 'Felt change in the session',
		unit: '/10',
		digits: 1,
		better: 'lower',
		explain: 'Tension after minus before: below zero when you came up looser than you lay down.'
	}
};

export function trendValue(s: SessionRow, key: TrendKey): number | undefined {
	if (key === 'tensionBefore') return s.tensionBefore;
	if (key === 'tensionAfter') return s.tensionAfter;
	if (key === 'tensionChange') return feltChange(s.tensionBefore, s.tensionAfter);
	// The measurement, where the strap made one, before the heart's estimate.
	if (key === 'breathRate') return s.summary?.measuredBreathRate ?? s.summary?.respirationRate;
	if (key === 'breathRatio') return s.summary?.measuredBreathRatio;
	return settleFigures(s.summary)[key];
}

/** The breathing rate was measured by the strap, not estimated from the heart. */
export const breathMeasured = (s: SessionRow): boolean =>
	s.summary?.measuredBreathRate !== undefined && Number.isFinite(s.summary.measuredBreathRate);

export interface Trend {
	key: TrendKey;
	/** The readings shown (inside the chosen period), each with its baseline from all earlier data. */
	points: BaselinePoint[];
	noise?: Noise;
	/** Where the latest reading sits against the normal range. */
	latest?: { value: number; position: 'below' | 'within' | 'above' };
	/**
	 * Breathing rate only: the sessions (ids) whose point the strap measured; the others were
	 * estimated from the heart.
	 */
	measured?: ReadonlySet<string>;
	/**
	 * Breathing rate only: the heart's estimate in the measured sessions of the period, so the two
	 * can be compared session by session (not part of the trend's range or average).
	 */
	heartEstimate?: { t: number; v: number; id: string }[];
}

/**
 * A trend over the chosen period (`sinceMs`; 0 for all time). The baselines use every reading,
 * so the first points of a short period still have 60 days behind them.
 */
export function trend(rows: readonly SessionRow[], key: TrendKey, sinceMs = 0): Trend {
	const raw = rows
		.map((s) => ({ t: s.startedAt, v: trendValue(s, key), id: s.id }))
		.filter(
			(p): p is { t: number; v: number; id: string } => p.v !== undefined && Number.isFinite(p.v)
		);
	const full = personalBaseline(raw);
	const points = full.filter((p) => p.t >= sinceMs);
	const noise = noiseOf(full);
	const last = points.at(-1);
	let latest: Trend['latest'];
	if (last && last.mean !== undefined && last.sd !== undefined) {
		const position =
			last.v < last.mean - last.sd ? 'below' : last.v > last.mean + last.sd ? 'above' : 'within';
		latest = { value: last.v, position };
	}
	if (key !== 'breathRate') return { key, points, noise, latest };
	const measuredRows = rows.filter(breathMeasured);
	const heartEstimate = measuredRows
		.map((s) => ({ t: s.startedAt, v: s.summary?.respirationRate, id: s.id }))
		.filter(
			(p): p is { t: number; v: number; id: string } =>
				p.t >= sinceMs && p.v !== undefined && Number.isFinite(p.v)
		)
		.sort((a, b) => a.t - b.t);
	return {
		key,
		points,
		noise,
		latest,
		measured: new Set(measuredRows.map((s) => s.id)),
		heartEstimate
	};
}

/** Whether a trend's point was measured by the strap (breathing rate), not estimated. */
export const measuredPoint = (trend: Trend, p: { id?: string }): boolean =>
	p.id !== undefined && trend.measured?.has(p.id) === true;

/**
 * A trend's sessions as dots, in the groups a chart draws: one group of sessions; or, for a
 * breathing rate with measured sessions, those estimated from the heart, those the strap measured,
 * and the heart's estimate in the measured ones (to compare). Empty groups are left out.
 */
export function trendDotGroups(trend: Trend): {
	kind: 'sessions' | 'estimated' | 'measured' | 'heart';
	items: { t: number; v: number; id?: string }[];
}[] {
	if (!trend.measured?.size) return [{ kind: 'sessions', items: trend.points }];
	return [
		{ kind: 'estimated' as const, items: trend.points.filter((q) => !measuredPoint(trend, q)) },
		{ kind: 'measured' as const, items: trend.points.filter((q) => measuredPoint(trend, q)) },
		{ kind: 'heart' as const, items: trend.heartEstimate ?? [] }
	].filter((g) => g.items.length > 0);
}

/** For a breathing rate with measured sessions: how many of the period's points were measured. */
export function measuredShareText(trend: Trend): string | undefined {
	if (!trend.measured?.size) return undefined;
	const n = trend.points.length;
	const m = trend.points.filter((q) => measuredPoint(trend, q)).length;
	return `${m === n ? 'All' : `${m} of them`} measured by the strap, ${m === n ? 'none' : `${n - m}`} estimated from the heart${m > 0 && m < n ? ' (the normal range and 7-day average take both)' : ''}.`;
}

export interface CalendarDay {
	key: string;
	sessions: number;
	/** Before today's date range starts or after today: drawn empty. */
	outside: boolean;
}

/** The last `weeks` weeks as columns of Monday..Sunday, ending with the current week. */
export function practiceCalendar(
	rows: readonly SessionRow[],
	now: number,
	weeks = 12
): { weeks: CalendarDay[][]; streak: PracticeStreak } {
	const counts = new Map<string, number>();
	for (const s of rows) {
		const k = localDayKey(s.startedAt);
		counts.set(k, (counts.get(k) ?? 0) + 1);
	}
	const today = new Date(now);
	const todayKey = localDayKey(now);
	const mondayOffset = (today.getDay() + 6) % 7;
	const start = new Date(
		today.getFullYear(),
		today.getMonth(),
		today.getDate() - mondayOffset - 7 * (weeks - 1),
		12
	);
	const columns: CalendarDay[][] = [];
	for (let w = 0; w < weeks; w++) {
		const col: CalendarDay[] = [];
		for (let d = 0; d < 7; d++) {
			const date = new Date(start.getFullYear(), start.getMonth(), start.getDate() + w * 7 + d, 12);
			const key = localDayKey(date.getTime());
			col.push({ key, sessions: counts.get(key) ?? 0, outside: key > todayKey });
		}
		columns.push(col);
	}
	return { weeks: columns, streak: practiceStreak(counts.keys(), todayKey) };
}
