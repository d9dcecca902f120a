/**
 * Balanced block assignment. Days are grouped into blocks of two halves (a pair of days, or a pair
 * of weeks); each block gets one routine half and one rest half, in an order drawn at random from
 * the plan's seed. Balance keeps a drift over the weeks (a season, a busy month) from landing on
 * one side; randomness keeps the person's expectations and good days from choosing the routine days.
 * The same seed always gives the same assignment, so a stored plan can be checked, never re-drawn.
 */
import { seededRandom } from './random';

export type Arm = 'routine' | 'rest';
/** 'days': each pair of days is a block; 'weeks': each pair of weeks (a routine week, a rest week). */
export type BlockKind = 'days' | 'weeks';

export const MIN_WEEKS = 2;
export const MAX_WEEKS = 8;
export const DEFAULT_WEEKS = 4;

export interface Design {
	weeks: number;
	block: BlockKind;
}

export function designProblem(d: Design): string | undefined {
	if (!Number.isInteger(d.weeks) || d.weeks < MIN_WEEKS || d.weeks > MAX_WEEKS)
		return `An experiment runs ${MIN_WEEKS} to ${MAX_WEEKS} whole weeks.`;
	if (d.block === 'weeks' && d.weeks % 2 !== 0)
		return 'Week blocks pair a routine week with a rest week, so the length must be an even number of weeks.';
	return undefined;
}

export const dayCount = (d: Design) => d.weeks * 7;

/** Days in one half of a block. */
export const halfLength = (block: BlockKind) => (block === 'days' ? 1 : 7);

/** Which block a day (0-based from the start) belongs to. */
export function blockOf(day: number, block: BlockKind): number {
	return Math.floor(day / (2 * halfLength(block)));
}

export function blockCount(d: Design): number {
	return Math.ceil(dayCount(d) / (2 * halfLength(d.block)));
}

/** One arm per day from the start day, drawn from the seed. */
export function drawAssignment(d: Design, seed: number): Arm[] {
	const problem = designProblem(d);
	if (problem) throw new Error(problem);
	const random = seededRandom(seed);
	const half = halfLength(d.block);
	const arms: Arm[] = [];
	for (let b = 0; b < blockCount(d); b++) {
		const routineFirst = random() < 0.5;
		for (let i = 0; i < 2 * half; i++) arms.push(i < half === routineFirst ? 'routine' : 'rest');
	}
	return arms.slice(0, dayCount(d));
}

/** True when the arms are exactly what the seed gives: the check that nothing was re-drawn. */
export function assignmentMatchesSeed(d: Design, seed: number, arms: readonly Arm[]): boolean {
	const expected = drawAssignment(d, seed);
	return expected.length === arms.length && expected.every((a, i) => a === arms[i]);
}
