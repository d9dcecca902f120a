/**
 * How large a change the plan can show, from the person's own day-to-day spread: simulate the
 * planned experiment many times (same design, same test) and count how often the randomization
 * test reaches p < 0.05. The detectable change is first estimated from the spread of the
 * difference when the routine does nothing (2.8 standard errors: 1.96 for the 5 % test plus 0.84
 * for 80 % power), then its power is simulated, so the sentence states what the simulation found.
 */
import { blockCount, type Design } from './assignment';
import { sd } from '$lib/analysis/stats';
import { seededRandom } from './random';
import { randomizationTest } from './randomization-test';
import { simulateExperiment, type NoiseModel } from './simulate';

export const ALPHA = 0.05;

export interface PowerOptions {
	sims?: number;
	seed?: number;
	missRate?: number;
	/** Monte Carlo draws per simulated test when the design is too large to enumerate. */
	draws?: number;
}

export interface PowerResult {
	power: number;
	/** Simulation standard error of the power. */
	se: number;
	sims: number;
}

export function simulatedPower(
	design: Design,
	model: NoiseModel,
	effect: number,
	options: PowerOptions = {}
): PowerResult {
	const sims = options.sims ?? 400;
	const random = seededRandom(options.seed ?? 7);
	let hits = 0;
	for (let s = 0; s < sims; s++) {
		const x = simulateExperiment(design, model, { effect, missRate: options.missRate }, random);
		const t = randomizationTest(x.values, x.arms, x.blocks, random, options.draws ?? 2000);
		if (t.p < ALPHA) hits++;
	}
	const power = hits / sims;
	return { power, se: Math.sqrt((power * (1 - power)) / sims), sims };
}

/**
 * The smallest p-value the design can give: the observed assignment and its mirror image are
 * always at least as extreme, so 2 / 2^blocks. Week blocks over a few weeks can never reach 0.05.
 */
export function smallestP(design: Design): number {
	return Math.min(1, 2 / 2 ** blockCount(design));
}

export interface PlanPower {
	/** The change (in the question's unit) the plan shows about 8 times in 10. */
	detectable: number;
	power: PowerResult;
	/** False when the design cannot reach p < 0.05 whatever the data. */
	canReach: boolean;
}

export function planPower(
	design: Design,
	model: NoiseModel,
	options: PowerOptions = {}
): PlanPower {
	const canReach = smallestP(design) < ALPHA;
	const random = seededRandom((options.seed ?? 7) + 1);
	const nullDiffs: number[] = [];
	for (let s = 0; s < (options.sims ?? 400); s++) {
		const x = simulateExperiment(design, model, { effect: 0, missRate: options.missRate }, random);
		let sr = 0;
		let nr = 0;
		let ss = 0;
		let ns = 0;
		x.values.forEach((v, i) => {
			if (v === undefined) return;
			if (x.arms[i] === 'routine') {
				sr += v;
				nr++;
			} else {
				ss += v;
				ns++;
			}
		});
		if (nr && ns) nullDiffs.push(sr / nr - ss / ns);
	}
	const detectable = 2.8 * sd(nullDiffs);
	return { detectable, power: simulatedPower(design, model, detectable, options), canReach };
}
