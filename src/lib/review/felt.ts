/**
 * Felt and measured together, for History: how closely this person's felt calming (tension before
 * minus after) follows their measured calming (heart-rate drop), and how a routine's first weeks
 * went, week by week since its first session.
 */
import { correlation, describeAgreement, feltChange, localDayKey } from '$lib/analysis';
import type { SessionRow } from '$lib/db';
import { settleFigures } from './settle-figures';

export interface Agreement {
	n: number;
	text: string;
	/** The pairs behind it, for a scatter: x = heart-rate drop (bpm), y = felt calming (points). */
	points: { x: number; y: number; id: string }[];
}

export function feltVersusHeart(rows: readonly SessionRow[]): Agreement {
	const points: Agreement['points'] = [];
	for (const s of rows) {
		const felt = feltChange(s.tensionBefore, s.tensionAfter);
		const drop = settleFigures(s.summary).hrDrop;
		if (felt !== undefined && drop !== undefined && Number.isFinite(drop))
			points.push({ x: drop, y: -felt, id: s.id });
	}
	const c = correlation(
		points.map((p) => p.x),
		points.map((p) => p.y)
	);
	return { n: points.length, text: describeAgreement(c, points.length), points };
}

export interface RoutineWeek {
	week: number;
	sessions: number;
	tensionBefore?: number;
	tensionAfter?: number;
	settledHr?: number;
	settledLnRmssd?: number;
}

export interface RoutineProgress {
	routine: string;
	startedAt: number;
	days: number;
	weeks: RoutineWeek[];
}

const DAY = 86_400_000;
const mean = (xs: (number | undefined)[]) => {
	const v = xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
	return v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
};

/** The routine's weeks since its first session (week 1 = its first seven days), oldest first. */
export function routineProgress(
	rows: readonly SessionRow[],
	routine: string,
	now: number
): RoutineProgress | undefined {
	const of = rows.filter((s) => s.routine === routine).sort((a, b) => a.startedAt - b.startedAt);
	if (of.length === 0) return undefined;
	const first = of[0].startedAt;
	const firstDay = new Date(localDayKey(first) + 'T00:00:00').getTime();
	const byWeek = new Map<number, SessionRow[]>();
	for (const s of of) {
		const w = Math.floor((s.startedAt - firstDay) / (7 * DAY)) + 1;
		byWeek.set(w, [...(byWeek.get(w) ?? []), s]);
	}
	const weeks = [...byWeek.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([week, ss]) => ({
			week,
			sessions: ss.length,
			tensionBefore: mean(ss.map((s) => s.tensionBefore)),
			tensionAfter: mean(ss.map((s) => s.tensionAfter)),
			settledHr: mean(ss.map((s) => settleFigures(s.summary).settledHr)),
			settledLnRmssd: mean(ss.map((s) => settleFigures(s.summary).settledLnRmssd))
		}));
	return { routine, startedAt: first, days: Math.floor((now - firstDay) / DAY) + 1, weeks };
}

/** The routine to show when none is chosen: the one most recently taken up (not the default). */
export function newestRoutine(rows: readonly SessionRow[]): string | undefined {
	const firstOf = new Map<string, number>();
	for (const s of rows)
		firstOf.set(s.routine, Math.min(firstOf.get(s.routine) ?? Infinity, s.startedAt));
	return [...firstOf.entries()]
		.filter(([r]) => r !== 'Imported recording')
		.sort((a, b) => b[1] - a[1])[0]?.[0];
}
