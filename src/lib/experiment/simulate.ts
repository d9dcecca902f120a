/**
 * A simulated person: a daily figure with day-to-day noise that remembers yesterday (AR(1)), a
 * weekly rhythm, missed readings, and an optional true effect of the routine. Used for the power
 * the plan promises and by the tests that check the promise.
 */
import { blockOf, drawAssignment, type Arm, type Design } from './assignment';
import { gaussian as normal } from '$lib/seeded-random';
import type { RandomSource } from './random';

export interface NoiseModel {
	/** Day-to-day standard deviation of the figure. */
	sd: number;
	/** Lag-1 autocorrelation of the daily figure (0 = independent days). */
	ar1: number;
	/** Amplitude of a weekly rhythm (e.g. calmer weekends), in the figure's unit. */
	weekly?: number;
}

export interface SimulatedExperiment {
	arms: Arm[];
	blocks: number[];
	values: (number | undefined)[];
}

/** Stationary AR(1) noise of the model's SD, plus the weekly rhythm. */
export function simulateNoise(n: number, model: NoiseModel, random: RandomSource): number[] {
	const phi = Math.max(0, Math.min(0.95, model.ar1));
	const innovation = model.sd * Math.sqrt(1 - phi * phi);
	const phase = random() * 7;
	const out: number[] = [];
	let e = model.sd * normal(random);
	for (let t = 0; t < n; t++) {
		if (t > 0) e = phi * e + innovation * normal(random);
		out.push(e + (model.weekly ?? 0) * Math.sin((2 * Math.PI * (t + phase)) / 7));
	}
	return out;
}

export interface SimulationOptions {
	/** True routine-minus-rest difference on the days the routine is done. */
	effect: number;
	/** Chance a day has no reading. */
	missRate?: number;
	/** Chance a day is done the other way than assigned (the effect follows what was done). */
	swapRate?: number;
}

export function simulateExperiment(
	design: Design,
	model: NoiseModel,
	options: SimulationOptions,
	random: RandomSource
): SimulatedExperiment & { did: Arm[] } {
	const arms = drawAssignment(design, Math.floor(random() * 2 ** 32));
	const noise = simulateNoise(arms.length, model, random);
	const did = arms.map((a) =>
		random() < (options.swapRate ?? 0) ? (a === 'routine' ? 'rest' : 'routine') : a
	);
	const values = noise.map((v, i) =>
		random() < (options.missRate ?? 0) ? undefined : v + (did[i] === 'routine' ? options.effect : 0)
	);
	return { arms, did, values, blocks: arms.map((_, i) => blockOf(i, design.block)) };
}
