/**
 * The proof the issue asks for: a simulated person (day-to-day noise, a day that resembles the day
 * before, a weekly rhythm, missed and swapped days), 1,000 experiments with no effect and 1,000
 * with a realistic one, each run through the whole analysis and verdict as the app runs them.
 */
import { describe, expect, it } from 'vitest';
import {
	analyseExperiment,
	experimentVerdict,
	planPower,
	seededRandom,
	simulateExperiment,
	type Design,
	type NoiseModel
} from '$lib/experiment';

// lnRMSSD of a morning reading: SD 0.25 from day to day, yesterday's deviation half-remembered,
// calmer weekends (see CONVENTIONS.md, "Self-experiments", for where these come from).
const PERSON: NoiseModel = { sd: 0.25, ar1: 0.4, weekly: 0.08 };
const FOUR_WEEKS: Design = { weeks: 4, block: 'days' };
const SIMS = 1000;

function run(effect: number, seed: number, missRate = 0, swapRate = 0, withInterval = false) {
	const random = seededRandom(seed);
	const ps: number[] = [];
	let claims = 0;
	let covered = 0;
	for (let s = 0; s < SIMS; s++) {
		const x = simulateExperiment(FOUR_WEEKS, PERSON, { effect, missRate, swapRate }, random);
		const answer = analyseExperiment({
			design: FOUR_WEEKS,
			arms: x.arms,
			days: x.values.map((value, i) => ({ value, did: x.did[i] })),
			elapsed: 28,
			seed: s,
			withoutInterval: !withInterval
		});
		ps.push(answer.byPlan.test.p);
		if (answer.byPlan.low <= effect && effect <= answer.byPlan.high) covered++;
		if (!experimentVerdict('settledLnRmssd', answer).includes('No clear difference')) claims++;
	}
	return { ps, claims: claims / SIMS, coverage: covered / SIMS };
}

// Each run analyses 1,000 experiments exactly as the app does (16,384 assignments each).
describe('a simulated person over 1,000 four-week experiments', { timeout: 120_000 }, () => {
	it('with no effect, claims one at most 5 % of the time and the p-values are uniform', () => {
		const { ps, claims } = run(0, 11);
		// Binomial SE of 5 % over 1,000 runs is 0.7 points; the exact test cannot exceed 5 % in
		// expectation, so allow two SEs of sampling above it.
		expect(claims).toBeLessThanOrEqual(0.064);
		expect(claims).toBeGreaterThan(0.02);
		// Deciles of the p-values each hold about a tenth.
		for (let d = 0; d < 10; d++) {
			const share = ps.filter((p) => p > d / 10 && p <= (d + 1) / 10).length / SIMS;
			expect(Math.abs(share - 0.1)).toBeLessThan(0.035);
		}
	});

	it('with no effect and missed or swapped days, still claims one at most 5 % of the time', () => {
		expect(run(0, 12, 0.2, 0.1).claims).toBeLessThanOrEqual(0.064);
	});

	it('finds a realistic effect at the power the plan promised', () => {
		const promise = planPower(FOUR_WEEKS, PERSON);
		// A realistic change for this person: the plan says it shows about 8 times in 10.
		expect(promise.detectable).toBeGreaterThan(0.1);
		expect(promise.detectable).toBeLessThan(0.35);
		expect(promise.power.power).toBeGreaterThan(0.7);
		expect(promise.power.power).toBeLessThan(0.9);
		const { claims: found, coverage } = run(promise.detectable, 13, 0, 0, true);
		expect(Math.abs(found - promise.power.power)).toBeLessThan(0.06);
		// The 95 % interval holds the true effect about 95 times in 100.
		expect(Math.abs(coverage - 0.95)).toBeLessThan(0.025);
	});

	it('loses power, not honesty, when a fifth of the days are missed', () => {
		const promise = planPower(FOUR_WEEKS, PERSON);
		const missed = run(promise.detectable, 14, 0.2).claims;
		expect(missed).toBeLessThan(promise.power.power);
		expect(missed).toBeGreaterThan(0.4);
	});
});
