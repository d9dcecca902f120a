import { describe, expect, it } from 'vitest';
import { autoPairs } from '$lib/analysis';
import type { SessionRow } from '$lib/db';
import { applyFilter, practiceCalendar, trend } from '$lib/review/history';
import {
	compareGroups,
	comparePairs,
	dayToDayNoise,
	readingOf,
	routinesWithReadings,
	sameDayPairs
} from '$lib/review/comparison';

const DAY = 86_400_000;
const now = new Date(2026, 10, 25, 9, 0).getTime();

function row(
	i: number,
	phase: SessionRow['phase'],
	hr: number,
	ln: number,
	extra: Partial<SessionRow> = {}
): SessionRow {
	const startedAt = now - (20 - i) * DAY + (phase === 'after' ? 3_600_000 : 0);
	return {
		id: `${i}-${phase}`,
		startedAt,
		status: 'finished',
		source: 'demo',
		strapName: 'Demo',
		routine: 'Constructive rest',
		phase,
		tags: [],
		beatCount: 600,
		durationMs: 600_000,
		updatedAt: startedAt,
		summary: {
			meanHr: hr + 2,
			settledHr: hr,
			lnRmssd: ln - 0.1,
			settledLnRmssd: ln,
			analysisVersion: 2
		},
		...extra
	};
}

// Twenty days: a before and an after each day; after is 3 bpm lower and 0.2 higher in lnRMSSD.
const rows: SessionRow[] = [];
for (let i = 0; i < 20; i++) {
	const wobble = (i % 5) - 2;
	rows.push(row(i, 'before', 66 + wobble, 3.5 - wobble * 0.05));
	rows.push(row(i, 'after', 63 + wobble, 3.7 - wobble * 0.05, i % 2 ? { tags: ['garden'] } : {}));
}

describe('comparison page figures', () => {
	it('finds the pairs and a clear, worthwhile change across them', () => {
		const readings = rows.map(readingOf);
		expect(routinesWithReadings(readings)).toEqual(['Constructive rest']);
		const pairs = autoPairs(readings);
		expect(pairs).toHaveLength(20);
		const noise = dayToDayNoise(readings);
		// Day-to-day SD of settled HR over the last 60 days, before and after mixed: about 1.9 bpm.
		expect(noise.settledHr).toBeGreaterThan(1.5);
		expect(noise.settledHr).toBeLessThan(2.5);
		const r = comparePairs(pairs, noise);
		expect(r.kind).toBe('paired');
		expect(r.changes.settledHr?.mean).toBeCloseTo(-3, 10);
		// Every pair differs by exactly -3: no spread, so the interval collapses onto it.
		expect(r.changes.settledHr?.ciLow).toBeCloseTo(-3, 10);
		expect(r.changes.settledHr?.exceedsNoise).toBe(true);
		expect(r.verdict).toMatch(
			/^Across 20 before\/after pairs, settled heart rate fell by 3\.0 bpm and settled lnRMSSD rose by 0\.20/
		);
		const g = compareGroups(
			readings.filter((x) => x.phase === 'before'),
			readings.filter((x) => x.phase === 'after'),
			noise
		);
		expect(g.changes.settledHr?.mean).toBeCloseTo(-3, 10);
		expect(g.changes.settledHr!.ciHigh - g.changes.settledHr!.ciLow).toBeGreaterThan(1);
	});
});

describe('same-day pairs', () => {
	it('pairs exactly as autoPairs does, also with plain sessions, two routines and extra befores', () => {
		const mixed: SessionRow[] = [];
		for (let i = 0; i < 60; i++) {
			const at = (h: number) => ({ startedAt: now - (60 - i) * DAY + h * 3_600_000 });
			if (i % 3 === 0) mixed.push(row(i, 'none', 64, 3.4, { id: `${i}-n`, ...at(-1) }));
			if (i % 4 !== 1) mixed.push(row(i, 'before', 66, 3.5, { id: `${i}-b1`, ...at(-2) }));
			if (i % 5 === 0) mixed.push(row(i, 'before', 65, 3.5, { id: `${i}-b2`, ...at(-0.5) }));
			if (i % 7 !== 3)
				mixed.push(
					row(i, 'after', 63, 3.7, {
						id: `${i}-a`,
						routine: i % 2 ? 'Constructive rest' : 'Yoga',
						...at(1)
					})
				);
		}
		const readings = mixed.map(readingOf);
		const expected = autoPairs(readings);
		expect(expected.length).toBeGreaterThan(10);
		expect(sameDayPairs(readings)).toEqual(expected);
	});
});

describe('older summaries', () => {
	it('read their last-two-minute figures as the settled level until re-analysed', () => {
		const old = row(0, 'before', 70, 3.5, {
			summary: {
				meanHr: 72,
				hrFirst: 78,
				hrLast: 69,
				lnRmssdFirst: 3.2,
				lnRmssdLast: 3.6,
				relaxationScore: 40
			}
		});
		const r = readingOf(old);
		expect(r.settledHr).toBe(69);
		expect(r.settledLnRmssd).toBe(3.6);
		expect(r.hrDrop).toBe(9);
		expect(r.lnRmssdRise).toBeCloseTo(0.4, 12);
	});
});

describe('history page figures', () => {
	it('filters by tag and phase, and limits the trend to the period', () => {
		expect(applyFilter(rows, { routine: '', tag: 'garden', phase: 'all' })).toHaveLength(10);
		expect(applyFilter(rows, { routine: '', tag: '', phase: 'before' })).toHaveLength(20);
		const all = trend(rows, 'settledHr');
		expect(all.points).toHaveLength(40);
		const week = trend(rows, 'settledHr', now - 7 * DAY);
		expect(week.points.length).toBeLessThan(16);
		// The period's first point still has the full history behind its baseline.
		expect(week.points[0].mean).toBeDefined();
		expect(week.noise?.n).toBe(40);
	});

	it("trends the breathing rate each session's page shows, and skips sessions without one", () => {
		const withRate = rows.slice(0, 5).map((r, i) => ({
			...r,
			summary: { ...r.summary!, respirationRate: 5 + i / 10 }
		}));
		const t = trend([...withRate, ...rows.slice(5)], 'breathRate');
		expect(t.points.map((p) => p.v).sort()).toEqual([5, 5.1, 5.2, 5.3, 5.4]);
	});

	it('draws a calendar ending this week with the streak', () => {
		const { weeks, streak } = practiceCalendar(rows, now, 4);
		expect(weeks).toHaveLength(4);
		expect(weeks.every((w) => w.length === 7)).toBe(true);
		expect(weeks.flat().filter((d) => d.sessions === 2)).toHaveLength(20);
		// The last reading was yesterday: the streak still stands.
		expect(streak.current).toBe(20);
	});
});
