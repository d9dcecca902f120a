import { describe, expect, it } from 'vitest';
import {
	addDays,
	analyseExperiment,
	chanceText,
	drawAssignment,
	experimentVerdict,
	noiseFromHistory,
	powerSentence,
	seededRandom,
	shortAnswer,
	simulateNoise,
	smallestP,
	type Arm,
	type ExperimentDay
} from '$lib/experiment';

const design = { weeks: 4, block: 'days' } as const;
const arms = drawAssignment(design, 2024);

/** Rest days at 60 bpm, routine days `effect` off, plus noise from a seeded source. */
function days(effect: number, noise = 1, seed = 1): ExperimentDay[] {
	const random = seededRandom(seed);
	return arms.map((a) => ({
		value: 60 + (a === 'routine' ? effect : 0) + noise * (random() - 0.5),
		did: a
	}));
}

describe('the answer', () => {
	it('finds a clear 2 bpm drop and says so in plain words', () => {
		const a = analyseExperiment({ design, arms, days: days(-2), elapsed: 28 });
		expect(a.interim).toBe(false);
		expect(a.byPlan.diff).toBeCloseTo(-2, 0);
		expect(a.byPlan.test.exact).toBe(true);
		expect(a.byPlan.test.assignments).toBe(2 ** 14);
		expect(a.byPlan.test.p).toBeLessThan(0.001);
		expect(a.byPlan.high).toBeLessThan(0);
		const v = experimentVerdict('settledHr', a);
		expect(v).toMatch(
			/^The experiment is over \(28 days\)\. Your settled heart rate was about 2\.\d bpm lower on routine days than on rest days \(95 % interval \d\.\d to \d\.\d lower\); a difference this large would come up by chance about 1 time in \d+/
		);
		expect(v).toContain('better result');
	});

	it('says "no clear difference" without claiming the routine does nothing', () => {
		const a = analyseExperiment({ design, arms, days: days(0, 4, 3), elapsed: 28 });
		const v = experimentVerdict('settledHr', a);
		expect(v).toContain('No clear difference');
		expect(v).toContain('does not show the routine does nothing');
		expect(v).toMatch(/interval from \d\.\d lower to \d\.\d higher/);
	});

	it('calls a worse result worse', () => {
		const a = analyseExperiment({ design, arms, days: days(3), elapsed: 28 });
		expect(experimentVerdict('settledHr', a)).toContain('worse result');
	});

	it('marks an interim look as interim and refuses to answer on too few days', () => {
		const early = analyseExperiment({ design, arms, days: days(-2), elapsed: 3 });
		expect(early.interim).toBe(true);
		expect(experimentVerdict('settledHr', early)).toMatch(
			/^Interim look after 3 of 28 days\. Not enough days yet/
		);
		const mid = analyseExperiment({ design, arms, days: days(-2), elapsed: 14 });
		const v = experimentVerdict('settledHr', mid);
		expect(v).toMatch(/^Interim look after 14 of 28 days\./);
		expect(v).toContain('not for stopping when it looks good');
		expect(mid.byPlan.test.assignments).toBe(2 ** 7);
	});

	it('records missed readings and swapped days, and answers as done apart from by plan', () => {
		const d = days(-2);
		d[0] = { did: arms[0] };
		d[5] = {};
		// Day 2 and day 3: done the other way round; the effect follows what was done.
		for (const i of [2, 3]) {
			const did: Arm = arms[i] === 'routine' ? 'rest' : 'routine';
			d[i] = { did, value: 60 + (did === 'routine' ? -2 : 0) };
		}
		const a = analyseExperiment({ design, arms, days: d, elapsed: 28 });
		expect(a.adherence).toMatchObject({
			daysSoFar: 28,
			withReading: 26,
			swapped: 2,
			unconfirmed: 1
		});
		expect(a.byPlan.nRoutine + a.byPlan.nRest).toBe(26);
		// By plan, the swapped days pull the difference towards zero; as done, they do not.
		expect(Math.abs(a.asDone.diff)).toBeGreaterThan(Math.abs(a.byPlan.diff));
		const v = experimentVerdict('settledHr', a);
		expect(v).toContain('2 of 28 days have no reading');
		expect(v).toContain('On 2 days you did the other thing than planned');
	});

	it('shows carry-over when rest days after a routine day are calmer', () => {
		// Rest after rest happens only where a routine-rest pair meets a rest-routine pair: take an
		// assignment with a few of them.
		const restAfterRest = (x: Arm[]) =>
			x.filter((v, i) => i > 0 && v === 'rest' && x[i - 1] === 'rest').length;
		let seed = 1;
		while (restAfterRest(drawAssignment(design, seed)) < 4) seed++;
		const arms = drawAssignment(design, seed);
		const random = seededRandom(8);
		const d = arms.map((a, i) => ({
			value:
				60 + (a === 'routine' ? -3 : i > 0 && arms[i - 1] === 'routine' ? -2 : 0) + random() * 0.5
		}));
		const a = analyseExperiment({ design, arms, days: d, elapsed: 28 });
		expect(a.carryOver!.diff).toBeCloseTo(-2, 0);
		expect(experimentVerdict('settledHr', a)).toContain('may carry over into the next day');
	});

	it('shows each week and the drift across weeks', () => {
		const d = arms.map((a, i) => ({ value: 60 + i * (1 / 7) + (a === 'routine' ? -1 : 0) }));
		const a = analyseExperiment({ design, arms, days: d, elapsed: 28 });
		expect(a.weeks).toHaveLength(4);
		expect(a.weeks[0].nRoutine + a.weeks[0].nRest).toBe(7);
		expect(a.driftPerWeek).toBeCloseTo(1, 1);
		// Balanced blocks keep the drift off the difference.
		expect(a.byPlan.diff).toBeCloseTo(-1, 0);
	});
});

describe('words', () => {
	it('says chance as "1 time in N"', () => {
		expect(chanceText(0.02)).toBe('about 1 time in 50');
		expect(chanceText(0.00305)).toBe('about 1 time in 330');
		expect(chanceText(0.4)).toBe('about 1 time in 2 or 3');
		expect(chanceText(0.8)).toBe('more often than not');
	});

	it('says a change that rounds to nothing is no difference', () => {
		const d = arms.map((a) => ({ value: 60 + (a === 'routine' ? 0.01 : 0) }));
		const v = experimentVerdict(
			'settledHr',
			analyseExperiment({ design, arms, days: d, elapsed: 28 })
		);
		expect(v).toContain('no different on routine days than on rest days');
	});

	it("writes the power sentence from the person's spread, and says when the design cannot answer", () => {
		expect(powerSentence('settledLnRmssd', 4, 0.1234, 0.79, true, true)).toBe(
			'With your day-to-day spread, 4 weeks can show a change of 0.12 in lnRMSSD about 8 times in 10.'
		);
		expect(powerSentence('settledHr', 4, 2, 0.8, false, true)).toContain(
			'typical day-to-day spread'
		);
		expect(smallestP({ weeks: 8, block: 'weeks' })).toBe(2 / 16);
		expect(powerSentence('settledHr', 8, 2, 0, true, false)).toContain(
			'too few possible assignments'
		);
	});
});

describe("the person's own spread", () => {
	it('reads the day-to-day SD and autocorrelation from consecutive days', () => {
		const random = seededRandom(4);
		const noise = simulateNoise(400, { sd: 0.3, ar1: 0.5 }, random);
		const daily = noise.map((v, i) => ({ day: addDays('2026-01-01', i), value: 4 + v }));
		const n = noiseFromHistory(daily, 'settledLnRmssd');
		expect(n.fromHistory).toBe(true);
		expect(n.sd).toBeGreaterThan(0.25);
		expect(n.sd).toBeLessThan(0.35);
		expect(n.ar1).toBeGreaterThan(0.4);
		expect(n.ar1).toBeLessThan(0.6);
	});

	it('falls back to a typical spread with less than a week of history', () => {
		const n = noiseFromHistory([{ day: '2026-01-01', value: 60 }], 'settledHr');
		expect(n).toMatchObject({ sd: 3, fromHistory: false, days: 1 });
	});
});

describe('the one-line answer for the list', () => {
	it('says the difference and p, or no clear difference, and marks interim', () => {
		const clear = analyseExperiment({ design, arms, days: days(-2), elapsed: 28 });
		expect(shortAnswer('settledHr', clear)).toMatch(
			/^2\.\d bpm lower on routine days \(p = < 0\.001\)$/
		);
		const unclear = analyseExperiment({ design, arms, days: days(0, 4, 3), elapsed: 28 });
		expect(shortAnswer('settledHr', unclear)).toMatch(/^no clear difference \(p = 0\.\d{3}\)$/);
		const early = analyseExperiment({ design, arms, days: days(-2), elapsed: 2 });
		expect(shortAnswer('settledHr', early)).toBe('interim: not enough days yet');
	});
});
