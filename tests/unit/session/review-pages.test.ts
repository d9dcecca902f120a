import { describe, expect, it } from 'vitest';
import { autoPairs } from '$lib/analysis';
import type { SessionRow } from '$lib/db';
import { applyFilter, practiceCalendar, trend } from '$lib/session/history';
import {
	compareGroups,
	comparePairs,
	dayToDayNoise,
	readingOf,
	routinesWithReadings
} from '$lib/session/comparison';

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
		summary: { meanHr: hr, hrLast: hr - 2, lnRmssd: ln, relaxationScore: 50 },
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
		// Day-to-day SD of mean HR over the last 60 days, before and after mixed: about 1.9 bpm.
		expect(noise.hr).toBeGreaterThan(1.5);
		expect(noise.hr).toBeLessThan(2.5);
		const r = comparePairs(pairs, noise);
		expect(r.kind).toBe('paired');
		expect(r.changes.hr?.mean).toBeCloseTo(-3, 10);
		// Every pair differs by exactly -3: no spread, so the interval collapses onto it.
		expect(r.changes.hr?.ciLow).toBeCloseTo(-3, 10);
		expect(r.changes.hr?.exceedsNoise).toBe(true);
		expect(r.verdict).toMatch(
			/^Across 20 before\/after pairs, heart rate fell by 3\.0 bpm, lnRMSSD rose by 0\.20/
		);
		const g = compareGroups(
			readings.filter((x) => x.phase === 'before'),
			readings.filter((x) => x.phase === 'after'),
			noise
		);
		expect(g.changes.hr?.mean).toBeCloseTo(-3, 10);
		expect(g.changes.hr!.ciHigh - g.changes.hr!.ciLow).toBeGreaterThan(1);
	});
});

describe('history page figures', () => {
	it('filters by tag and phase, and limits the trend to the period', () => {
		expect(applyFilter(rows, { routine: '', tag: 'garden', phase: 'all' })).toHaveLength(10);
		expect(applyFilter(rows, { routine: '', tag: '', phase: 'before' })).toHaveLength(20);
		const all = trend(rows, 'restingHr');
		expect(all.points).toHaveLength(40);
		const week = trend(rows, 'restingHr', now - 7 * DAY);
		expect(week.points.length).toBeLessThan(16);
		// The period's first point still has the full history behind its baseline.
		expect(week.points[0].mean).toBeDefined();
		expect(week.noise?.n).toBe(40);
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
