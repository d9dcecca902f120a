import { describe, expect, it } from 'vitest';
import type { SessionRow } from '$lib/db';
import { assessmentsOf, movementSincePrevious } from '$lib/review/resonance';
import { applyFilter, NO_FILTER } from '$lib/review/history';

function row(id: string, startedAt: number, resonanceBpm?: number, assessment = true): SessionRow {
	return {
		id,
		startedAt,
		status: 'finished',
		source: 'demo',
		strapName: 'Demo',
		routine: assessment ? 'Resonance assessment' : 'Constructive rest',
		phase: 'none',
		tags: [],
		beatCount: 700,
		durationMs: 800_000,
		updatedAt: startedAt,
		summary: { meanHr: 62, ...(resonanceBpm !== undefined ? { resonanceBpm } : {}) },
		...(assessment
			? {
					assessment: {
						stepMinutes: 2,
						steps: [{ rateBpm: 6.5, inhaleS: 3.7, exhaleS: 5.5, startMs: 0, endMs: 120_000 }]
					}
				}
			: {})
	};
}

describe('kept assessments', () => {
	const rows = [row('a', 1000, 5.5), row('s', 1500, undefined, false), row('b', 2000, 5)];

	it('lists assessments only, newest first, and says whether the rate moved', () => {
		const items = assessmentsOf(rows);
		expect(items.map((i) => i.id)).toEqual(['b', 'a']);
		expect(movementSincePrevious(items)).toBe(
			'Slower than your previous assessment: 5.5 → 5.0 breaths a minute.'
		);
		expect(movementSincePrevious(assessmentsOf([row('a', 1, 5.5), row('b', 2, 5.5)]))).toMatch(
			/^The same rate/
		);
		expect(movementSincePrevious(assessmentsOf([row('a', 1, 5.5)]))).toBeUndefined();
	});

	it('keeps assessments out of the trends (they are paced on purpose)', () => {
		expect(applyFilter(rows, NO_FILTER).map((r) => r.id)).toEqual(['s']);
	});
});

describe('assessments with the breath the strap measured', () => {
	it('keeps the rate withheld and the steps not followed; older rows read as before', () => {
		const measured = row('m', 3000);
		measured.summary = { meanHr: 62, resonanceWithheldBpm: 5.5, resonanceNotFollowed: 1 };
		const [m, old] = assessmentsOf([measured, row('o', 1000, 6)]);
		expect(m).toMatchObject({ id: 'm', withheldBpm: 5.5, notFollowed: 1 });
		expect(m.resonanceBpm).toBeUndefined();
		expect(old).toMatchObject({ id: 'o', resonanceBpm: 6 });
		expect(old.withheldBpm).toBeUndefined();
		expect(old.notFollowed).toBeUndefined();
	});
});
