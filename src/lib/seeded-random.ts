/**
 * Seeded randomness, so a run can be repeated exactly: the demo strap's heart, and the
 * self-experiment's assignment and simulations (whose seed comes from the device's cryptographic
 * source). mulberry32 (public domain): a small 32-bit generator.
 */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Standard normal deviate (Box-Muller). */
export function gaussian(rand: () => number): number {
	const u = Math.max(rand(), 1e-12);
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
