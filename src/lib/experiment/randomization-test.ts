/**
 * The randomization test: how often would a difference at least this large (either way) come up
 * if the routine did nothing, over the assignments the block design could have drawn? Under "the
 * routine makes no difference" each day's figure is what it is whatever the arm, so re-labelling
 * the days by every possible assignment gives the statistic's whole distribution. It needs no
 * assumption about normality or independence of days: the random assignment alone makes it valid
 * (Edgington & Onghena, Randomization Tests, 2007).
 *
 * Exact when the possible assignments are few enough to enumerate (2^blocks ≤ 65,536), otherwise
 * Monte Carlo with its standard error.
 */
import type { Arm } from './assignment';
import { seededRandom, type RandomSource } from './random';

export const MAX_EXACT_BLOCKS = 16;
export const MONTE_CARLO_DRAWS = 20_000;

export interface RandomizationResult {
	/** Routine mean minus rest mean, as assigned. */
	observed: number;
	/** Two-sided p-value. */
	p: number;
	exact: boolean;
	/** Possible assignments under the design (2 to the number of blocks with data). */
	assignments: number;
	/** Monte Carlo only: how many were drawn, and the p-value's standard error. */
	draws?: number;
	se?: number;
}

interface BlockSums {
	/** Sum and count of the block's figures on its routine half and rest half, as assigned. */
	sr: number;
	nr: number;
	ss: number;
	ns: number;
}

function blockSums(
	values: readonly (number | undefined)[],
	arms: readonly Arm[],
	blocks: readonly number[]
): BlockSums[] {
	const byBlock = new Map<number, BlockSums>();
	values.forEach((v, i) => {
		if (v === undefined || !Number.isFinite(v)) return;
		const b = byBlock.get(blocks[i]) ?? { sr: 0, nr: 0, ss: 0, ns: 0 };
		if (arms[i] === 'routine') {
			b.sr += v;
			b.nr++;
		} else {
			b.ss += v;
			b.ns++;
		}
		byBlock.set(blocks[i], b);
	});
	return [...byBlock.values()];
}

/**
 * values[i], arms[i], blocks[i] describe day i; a day without a figure is undefined (it stays out,
 * under every assignment alike). Swapping a block's halves swaps the arms of all its days.
 */
export function randomizationTest(
	values: readonly (number | undefined)[],
	arms: readonly Arm[],
	blocks: readonly number[],
	random: RandomSource,
	draws = MONTE_CARLO_DRAWS
): RandomizationResult {
	const sums = blockSums(values, arms, blocks);
	const k = sums.length;
	let total = 0;
	let count = 0;
	for (const b of sums) {
		total += b.sr + b.ss;
		count += b.nr + b.ns;
	}
	// The statistic when the flipped blocks' halves are swapped; NaN when an arm has no day.
	const stat = (sr: number, nr: number) =>
		nr === 0 || nr === count ? NaN : sr / nr - (total - sr) / (count - nr);
	let sr0 = 0;
	let nr0 = 0;
	for (const b of sums) {
		sr0 += b.sr;
		nr0 += b.nr;
	}
	const observed = stat(sr0, nr0);
	if (!Number.isFinite(observed)) return { observed, p: NaN, exact: true, assignments: 2 ** k };
	// Ties within rounding count as "at least as large".
	const bar = Math.abs(observed) - 1e-9 * (1 + Math.abs(observed));

	if (k <= MAX_EXACT_BLOCKS) {
		// Gray code: each step swaps exactly one block, so each assignment costs O(1).
		let sr = sr0;
		let nr = nr0;
		const flipped = new Uint8Array(k);
		let extreme = 0;
		let valid = 0;
		const n = 2 ** k;
		for (let i = 0; i < n; i++) {
			if (i > 0) {
				const j = 31 - Math.clz32(i & -i);
				const b = sums[j];
				const sign = flipped[j] ? -1 : 1;
				sr += sign * (b.ss - b.sr);
				nr += sign * (b.ns - b.nr);
				flipped[j] ^= 1;
			}
			const s = stat(sr, nr);
			if (Number.isNaN(s)) continue;
			valid++;
			if (Math.abs(s) >= bar) extreme++;
		}
		return { observed, p: extreme / valid, exact: true, assignments: n };
	}

	let extreme = 0;
	let valid = 0;
	for (let d = 0; d < draws; d++) {
		let sr = 0;
		let nr = 0;
		for (const b of sums) {
			if (random() < 0.5) {
				sr += b.sr;
				nr += b.nr;
			} else {
				sr += b.ss;
				nr += b.ns;
			}
		}
		const s = stat(sr, nr);
		if (Number.isNaN(s)) continue;
		valid++;
		if (Math.abs(s) >= bar) extreme++;
	}
	// The observed assignment counts as one of the draws, so p is never 0 (Phipson & Smyth 2010).
	const p = (extreme + 1) / (valid + 1);
	return {
		observed,
		p,
		exact: false,
		assignments: 2 ** k,
		draws: valid,
		se: Math.sqrt((p * (1 - p)) / valid)
	};
}

/**
 * The 95 % interval that belongs with the test: every shift δ of the routine days that the test
 * would not reject (p ≥ 0.05 once δ is taken off the routine days). It is consistent with the
 * p-value by construction (it excludes zero exactly when p < 0.05) and, like the test, rests on
 * the random assignment rather than on independent days. Monte Carlo reuses the same draws for
 * every δ, so the p-value moves smoothly with δ and bisection is sound.
 */
export function randomizationInterval(
	values: readonly (number | undefined)[],
	arms: readonly Arm[],
	blocks: readonly number[],
	seed: number,
	alpha = 0.05,
	draws = MONTE_CARLO_DRAWS
): { low: number; high: number } {
	const pAt = (delta: number) =>
		randomizationTest(
			values.map((v, i) => (v === undefined || arms[i] !== 'routine' ? v : v - delta)),
			arms,
			blocks,
			seededRandom(seed),
			draws
		).p;
	const observed = randomizationTest(values, arms, blocks, seededRandom(seed), draws).observed;
	const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
	const spread = Math.max(...finite) - Math.min(...finite) || 1;
	if (!Number.isFinite(observed) || !(pAt(observed) >= alpha)) return { low: NaN, high: NaN };
	const bound = (dir: 1 | -1) => {
		let inside = observed;
		let step = spread;
		let outside = observed + dir * step;
		// Widen until the test rejects; a design that can never reject has no finite bound.
		for (let i = 0; pAt(outside) >= alpha; i++) {
			if (i > 20) return dir * Infinity;
			inside = outside;
			step *= 2;
			outside = observed + dir * step;
		}
		for (let i = 0; i < 40 && Math.abs(outside - inside) > 1e-4 * spread; i++) {
			const mid = (inside + outside) / 2;
			if (pAt(mid) >= alpha) inside = mid;
			else outside = mid;
		}
		return inside;
	};
	return { low: bound(-1), high: bound(1) };
}
