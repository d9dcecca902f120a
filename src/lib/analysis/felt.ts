/**
 * What a person feels beside what their heart shows: the felt change within a session (tension
 * 0-10 before and after), and how closely felt calming and measured calming go together across
 * sessions — Pearson's r with a 95 % interval from Fisher's z (r = tanh(atanh r ± 1.96/√(n − 3))),
 * in plain words that never claim more than the interval allows.
 */
import { mean } from './stats';

/** Below this many sessions with both a felt and a measured change, no correlation is given. */
export const MIN_SESSIONS_FOR_AGREEMENT = 8;

/** Tension after minus before (0-10 scale): negative when the person felt looser. */
export function feltChange(before?: number, after?: number): number | undefined {
	return before !== undefined && after !== undefined ? after - before : undefined;
}

export interface Correlation {
	n: number;
	r: number;
	low: number;
	high: number;
}

export function pearson(x: readonly number[], y: readonly number[]): number {
	const n = Math.min(x.length, y.length);
	if (n < 2) return NaN;
	const mx = mean(x.slice(0, n));
	const my = mean(y.slice(0, n));
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < n; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) ** 2;
		syy += (y[i] - my) ** 2;
	}
	return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Pearson's r with its 95 % Fisher-z interval; undefined below 4 pairs or without spread. */
export function correlation(x: readonly number[], y: readonly number[]): Correlation | undefined {
	const n = Math.min(x.length, y.length);
	const r = pearson(x, y);
	if (n < 4 || !Number.isFinite(r)) return undefined;
	// Clamp so a perfect r (atanh = ∞) still gives a finite, degenerate interval.
	const z = Math.atanh(Math.max(-0.999999, Math.min(0.999999, r)));
	const half = 1.959963984540054 / Math.sqrt(n - 3);
	return { n, r, low: Math.tanh(z - half), high: Math.tanh(z + half) };
}

function strength(r: number): string {
	const a = Math.abs(r);
	return a >= 0.7 ? 'closely' : a >= 0.4 ? 'moderately' : a >= 0.2 ? 'loosely' : 'hardly';
}

/**
 * Plain words for how felt calming follows measured calming. `n` sessions had both; below the
 * minimum, it says how many more are needed.
 */
export function describeAgreement(c: Correlation | undefined, n: number): string {
	if (n < MIN_SESSIONS_FOR_AGREEMENT || !c)
		return `Too few sessions to tell yet: ${n} of ${MIN_SESSIONS_FOR_AGREEMENT} with both a felt change (tension before and after) and a measured one.`;
	const range = `r = ${c.r.toFixed(2)}, 95 % interval ${c.low.toFixed(2)} to ${c.high.toFixed(2)}, ${c.n} sessions`;
	if (c.low > 0)
		return `When your heart calms more, you tend to feel looser too: they go together ${strength(c.r)} (${range}).`;
	if (c.high < 0)
		return `Oddly, on sessions where your heart calmed more you felt less loose (${range}). Worth watching: feeling and heart may be telling different stories.`;
	return `No clear link yet between how much looser you feel and how much your heart calms (${range}): the interval includes no link at all. More sessions will narrow it.`;
}
