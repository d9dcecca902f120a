import { describe, expect, it } from 'vitest';
import type { SessionRow } from '$lib/db';
import { feltVersusHeart, newestRoutine, routineProgress } from '$lib/review/felt';
import { journalEntries } from '$lib/review/journal';
import { NO_FILTER, trend } from '$lib/review/history';

const DAY = 86_400_000;
const start = new Date(2026, 9, 1, 8, 0).getTime();

function row(i: number, extra: Partial<SessionRow> = {}): SessionRow {
	const startedAt = start + i * DAY;
	return {
		id: `s${i}`,
		startedAt,
		status: 'finished',
		source: 'demo',
		strapName: 'Demo',
		routine: 'Stability routine',
		phase: 'none',
		tags: [],
		beatCount: 600,
		durationMs: 600_000,
		updatedAt: startedAt,
		summary: { meanHr: 64, settledHr: 62 - i * 0.1, hrDrop: 4 + (i % 4), analysisVersion: 2 },
		...extra
	};
}

// Felt calming = 0.5 × heart-rate drop exactly: a perfect link.
const rows = Array.from({ length: 12 }, (_, i) =>
	row(i, { tensionBefore: 6, tensionAfter: 6 - 0.5 * (4 + (i % 4)) })
);

describe('felt and measured, for History', () => {
	it('finds a perfect link on constructed sessions, and says too few below eight', () => {
		const a = feltVersusHeart(rows);
		expect(a.n).toBe(12);
		expect(a.points[0]).toEqual({ x: 4, y: 2, id: 's0' });
		expect(a.text).toMatch(/go together closely \(r = 1\.00/);
		expect(feltVersusHeart(rows.slice(0, 7)).text).toMatch(/Too few sessions to tell yet: 7 of 8/);
	});

	it('trends felt tension before, after and the change, with a normal range from five', () => {
		const after = trend(rows, 'tensionAfter');
		expect(after.points).toHaveLength(12);
		expect(after.points[4].mean).toBeDefined();
		expect(after.points[3].mean).toBeUndefined();
		const change = trend(rows, 'tensionChange');
		expect(change.points.map((p) => p.v).slice(0, 4)).toEqual([-2, -2.5, -3, -3.5]);
	});

	it("shows a routine's weeks since its first session", () => {
		const p = routineProgress(rows, 'Stability routine', start + 11 * DAY + 3_600_000)!;
		expect(p.days).toBe(12);
		expect(p.weeks.map((w) => w.sessions)).toEqual([7, 5]);
		expect(p.weeks[0].tensionBefore).toBe(6);
		expect(p.weeks[0].tensionAfter).toBeCloseTo(6 - 0.5 * ((4 + 5 + 6 + 7 + 4 + 5 + 6) / 7), 12);
		expect(newestRoutine([...rows, row(20, { routine: 'Hip openers' })])).toBe('Hip openers');
	});

	it('the journal lists notes newest first, searchable, filtered', () => {
		const withNotes = [
			row(1, { note: 'Hips let go after a few minutes.', tags: ['garden'] }),
			row(2, { note: 'Restless; thinking about work.' }),
			row(3, { note: '   ' }),
			row(4, { note: 'Hips stiff, back easy.', phase: 'after' })
		];
		expect(journalEntries(withNotes, NO_FILTER).map((e) => e.id)).toEqual(['s4', 's2', 's1']);
		expect(journalEntries(withNotes, NO_FILTER, 'HIPS').map((e) => e.id)).toEqual(['s4', 's1']);
		expect(journalEntries(withNotes, NO_FILTER, 'hips garden').map((e) => e.id)).toEqual(['s1']);
		expect(journalEntries(withNotes, { ...NO_FILTER, phase: 'after' }).map((e) => e.id)).toEqual([
			's4'
		]);
	});
});
