/**
 * Where chance comes from. The assignment is drawn from a seed, and the seed from the device's
 * cryptographic source: the seed is stored with the plan, so anyone can re-derive the assignment
 * from it and check it was not re-drawn after the fact. Simulations use the same seeded generator,
 * so their figures are reproducible.
 */

import { mulberry32 } from '$lib/seeded-random';

/** A uniform number in [0, 1). */
export type RandomSource = () => number;

/**
 * mulberry32 (src/lib/seeded-random.ts): plenty for shuffling a few dozen blocks and for Monte
 * Carlo; the unpredictability lives in the seed, not here.
 */
export function seededRandom(seed: number): RandomSource {
	return mulberry32(seed);
}

/** A 32-bit seed from a cryptographic source (crypto.getRandomValues in the app; injected in tests). */
export function cryptoSeed(
	getRandomValues: (a: Uint32Array<ArrayBuffer>) => unknown = (a) => crypto.getRandomValues(a)
): number {
	const a = new Uint32Array(1);
	getRandomValues(a);
	return a[0] >>> 0;
}
