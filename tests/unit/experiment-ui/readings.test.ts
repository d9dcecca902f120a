import { describe, expect, it } from 'vitest';
import type { ExperimentRow, SessionRow } from '$lib/db/schema';
import { drawAssignment } from '$lib/experiment';
import { experimentResult } from '$lib/experiment-ui/answer';
import { experimentCsv, experimentPlan } from '$lib/experiment-ui/csv';
import { dailyHistory, elapsedDays, experimentDays } from '$lib/experiment-ui/readings';
import { todayIn } from '$lib/experiment-ui/today';

const design = { weeks: 2, block: 'days' } as const;
const exp: ExperimentRow = {
	id: 'e1',
	createdAt: 0,
	updatedAt: 0,
	routine: 'Stability routine',
	question: 'settledHr',
	...design,
	startDay: '2026-03-02',
	seed: 5,
	arms: drawAssignment(design, 5),
	days: { '2026-03-03': { did: 'rest', note: 'busy, "late"', updatedAt: 1 } }
};

const at = (day: string, hour = 8) =>
	new Date(`${day}T${String(hour).padStart(2, '0')}:00:00`).getTime();

function session(day: string, settledHr: number, extra: Partial<SessionRow> = {}): SessionRow {
	return {
		id: `${day}-${settledHr}`,
		startedAt: at(day),
		status: 'finished',
		source: 'demo',
		strapName: 'Demo',
		routine: 'Constructive rest',
		phase: 'none',
		tags: ['experiment'],
		beatCount: 100,
		durationMs: 600_000,
		updatedAt: 0,
		summary: { meanHr: settledHr + 3, settledHr },
		...extra
	};
}

describe('an experiment’s days from saved sessions', () => {
	const sessions = [
		session('2026-03-02', 60),
		session('2026-03-02', 62, { id: 'second' }),
		session('2026-03-03', 58),
		session('2026-03-04', 99, { tags: [] }),
		session('2026-03-05', 99, { phase: 'before' }),
		session('2026-03-06', 99, { assessment: { stepMinutes: 2, steps: [] } }),
		session('2026-03-20', 99)
	];

	it('takes tagged readings on its days, one figure a day (their mean), never before-readings or assessments', () => {
		const days = experimentDays(exp, sessions);
		expect(days).toHaveLength(14);
		expect(days[0]).toMatchObject({ day: '2026-03-02', value: 61, planned: exp.arms[0] });
		expect(days[0].sessions).toHaveLength(2);
		expect(days[1]).toMatchObject({ value: 58, did: 'rest', note: 'busy, "late"' });
		expect(days.slice(2).every((d) => d.value === undefined)).toBe(true);
	});

	it('counts today only once it has a reading, and stops on a stop day', () => {
		const days = experimentDays(exp, sessions);
		expect(elapsedDays(exp, days, '2026-03-03')).toBe(2);
		expect(elapsedDays(exp, days, '2026-03-04')).toBe(2);
		expect(elapsedDays(exp, days, '2026-03-05')).toBe(3);
		expect(elapsedDays(exp, days, '2026-04-30')).toBe(14);
		expect(elapsedDays({ ...exp, stoppedAt: at('2026-03-05', 12) }, days, '2026-04-30')).toBe(3);
	});

	it('exports the days as CSV and the plan with its seed and assignment', () => {
		const r = experimentResult(exp, sessions, '2026-03-16');
		const csv = experimentCsv(exp, r.days);
		const lines = csv.trim().split('\n');
		expect(lines[0]).toBe('day,date,block,planned,done,settledHr,readings,session_ids,note');
		expect(lines).toHaveLength(15);
		expect(lines[1]).toBe(`1,2026-03-02,1,${exp.arms[0]},,61.000,2,2026-03-02-60 second,`);
		expect(lines[2]).toBe(
			`2,2026-03-03,1,${exp.arms[1]},rest,58.000,1,2026-03-03-58,"busy, ""late"""`
		);
		const plan = experimentPlan(exp, r.answer, r.verdict);
		expect(plan).toMatchObject({
			seed: 5,
			assignment: exp.arms,
			firstDay: '2026-03-02',
			lastDay: '2026-03-15'
		});
		expect(r.verdict).toMatch(/^The experiment is over \(14 days\)\. Not enough days yet/);
	});

	it('reads the daily history before the start for the power sentence', () => {
		const h = dailyHistory(
			[
				session('2026-02-01', 60, { tags: [] }),
				session('2026-02-01', 64),
				session('2026-03-02', 1)
			],
			'settledHr',
			'2026-03-02'
		);
		expect(h).toEqual([{ day: '2026-02-01', value: 62 }]);
	});
});

describe('today on the Practise page', () => {
	it('says what today is, in words, with the tags for the session', () => {
		const i = exp.arms.indexOf('routine');
		const day = `2026-03-0${2 + i}`;
		expect(todayIn(exp, day)).toMatchObject({
			dayNumber: i + 1,
			days: 14,
			arm: 'routine',
			instruction: 'Routine day: do the stability routine before your session.',
			tags: ['experiment', 'routine day']
		});
		const j = exp.arms.indexOf('rest');
		expect(todayIn(exp, `2026-03-0${2 + j}`)!.instruction).toBe(
			'Rest day: no stability routine today; record your session as usual.'
		);
		expect(todayIn(exp, '2026-03-01')).toBeUndefined();
		expect(todayIn(exp, '2026-03-16')).toBeUndefined();
		expect(todayIn({ ...exp, stoppedAt: 1 }, '2026-03-03')).toBeUndefined();
	});
});
