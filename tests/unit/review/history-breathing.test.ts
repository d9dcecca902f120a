/**
 * History's breathing trends from session rows alone: the rate prefers what the strap measured to
 * the heart's estimate, and says which sessions were measured; the out/in ratio comes from measured
 * sessions only.
 */
import { describe, expect, it } from 'vitest';
import type { SessionRow, SessionSummary } from '$lib/db';
import { breathMeasured, measuredShareText, trend, trendDotGroups } from '$lib/review/history';

const DAY = 86_400_000;
const now = new Date(2026, 10, 25, 9, 0).getTime();

function row(i: number, summary: Partial<SessionSummary>): SessionRow {
	const startedAt = now - (20 - i) * DAY;
	return {
		id: `s${i}`,
		startedAt,
		status: 'finished',
		source: 'bluetooth',
		strapName: 'Polar H10',
		routine: 'Constructive rest',
		phase: 'none',
		tags: [],
		beatCount: 600,
		durationMs: 600_000,
		updatedAt: startedAt,
		summary: { meanHr: 62, analysisVersion: 5, ...summary }
	};
}

// Days 0-9: the heart's estimate only (an older strap); days 10-19: measured too, where the
// heart's estimate is off by 2 a minute (slow breathing read as its harmonic).
const rows: SessionRow[] = [
	...Array.from({ length: 10 }, (_, i) => row(i, { respirationRate: 9 + (i % 3) / 10 })),
	...Array.from({ length: 10 }, (_, i) =>
		row(10 + i, {
			respirationRate: 8 + i / 10,
			measuredBreathRate: 6 + i / 10,
			measuredBreathRatio: 1.2 + i / 50
		})
	),
	// A session where the strap measured movement but no breath (no rate): the heart's estimate.
	row(20, { respirationRate: 7, measuredBreaths: 0, movedS: 40, movements: 2 })
];

describe("History's breathing trends", () => {
	it('takes the measured rate where there is one, else the heart’s, and says which', () => {
		const t = trend(rows, 'breathRate');
		expect(t.points).toHaveLength(21);
		const byId = new Map(t.points.map((p) => [p.id, p.v]));
		expect(byId.get('s3')).toBeCloseTo(9, 9);
		expect(byId.get('s12')).toBeCloseTo(6.2, 9);
		expect(byId.get('s20')).toBe(7);
		expect([...t.measured!].sort()).toEqual(
			rows
				.slice(10, 20)
				.map((r) => r.id)
				.sort()
		);
		expect(rows.filter(breathMeasured)).toHaveLength(10);
		// The heart's estimate in the measured sessions, beside them, for comparison.
		expect(t.heartEstimate?.map((h) => [h.id, h.v])).toEqual(
			rows.slice(10, 20).map((r) => [r.id, r.summary!.respirationRate])
		);
		// Within the period only.
		const week = trend(rows, 'breathRate', now - 7 * DAY);
		expect(week.heartEstimate?.length).toBe(
			week.points.filter((p) => t.measured!.has(p.id!)).length
		);
	});

	it('trends the out/in ratio from measured sessions only, with their normal range', () => {
		const t = trend(rows, 'breathRatio');
		expect(t.points.map((p) => p.id)).toEqual(rows.slice(10, 20).map((r) => r.id));
		expect(t.points.at(-1)?.v).toBeCloseTo(1.38, 9);
		expect(t.noise?.n).toBe(10);
		expect(t.latest?.position).toBe('above');
		expect(t.measured).toBeUndefined();
	});

	it('has no ratio trend, and an unmarked rate trend, when nothing was measured', () => {
		const older = rows.slice(0, 10);
		expect(trend(older, 'breathRatio').points).toHaveLength(0);
		expect(trend(older, 'breathRate').measured?.size).toBe(0);
	});

	it('draws measured and estimated sessions as their own dots, and says how many of each', () => {
		const t = trend(rows, 'breathRate');
		const groups = trendDotGroups(t);
		expect(groups.map((g) => [g.kind, g.items.length])).toEqual([
			['estimated', 11],
			['measured', 10],
			['heart', 10]
		]);
		expect(groups[1].items.map((q) => q.id)).toEqual(rows.slice(10, 20).map((r) => r.id));
		expect(measuredShareText(t)).toBe(
			'10 of them measured by the strap, 11 estimated from the heart (the normal range and 7-day average take both).'
		);
		const older = trend(rows.slice(0, 10), 'breathRate');
		expect(trendDotGroups(older).map((g) => [g.kind, g.items.length])).toEqual([['sessions', 10]]);
		expect(measuredShareText(older)).toBeUndefined();
		const allMeasured = trend(rows.slice(10, 20), 'breathRate');
		expect(measuredShareText(allMeasured)).toBe(
			'All measured by the strap, none estimated from the heart.'
		);
	});
});
