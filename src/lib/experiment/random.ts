/**
 * Where chance comes from. The assignment is drawn from a seed, and the seed from the device's
 * cryptographic source: the seed is stored with the plan, so anyone can re-derive the assignment
 * from it and check it was not re-drawn after the fact. Simulations use the same seeded generator,
 * so their figures are reproducible.
 */

/** A uniform number in [0, 1). */
export type RandomSource = () => number;

/**
 * mulberry32: a small 32-bit generator, plenty for shuffling a few dozen blocks and for Monte
 * Carlo; the unpredictability lives in the seed, not here.
 */
export function seededRandom(seed: number): RandomSource {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A 32-bit seed from a cryptographic source (crypto.getRandomValues in the app; injected in tests). */
export function cryptoSeed(
	getRandomValues: (a: Uint32Array<ArrayBuffer>) => unknown = (a) => crypto.getRandomValues(a)
): number {
	const a = new Uint32Array(1);
	getRandomValues(a);
	return a[0] >>> 0;
}

/** A standard normal draw (Box-Muller). */
export function normal(random: RandomSource): number {
	let u = 0;
	while (u === 0) u = random();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
