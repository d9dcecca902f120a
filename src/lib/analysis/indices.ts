/**
 * Autonomic indices. Kubios' PNS and SNS indices use proprietary weights (docs/hrv-algorithms.md
 * §7), so these are documented APPROXIMATIONS: the mean of z-scores against published normal
 * resting values (Nunan, Sandercock & Brodie, PACE 2010; SD1/SD2 norms derived from them).
 */
import type { TimeDomain } from './time-domain';

export interface Poincare {
	sd1: number;
	sd2: number;
	sd1sd2: number;
}

/** SD1 = SDSD/√2, SD2 = √(2·SDNN² − SD1²) (Brennan et al. 2001; NeuroKit2 conventions). */
export function poincareFromTime(t: Pick<TimeDomain, 'sdnn' | 'sdsd'>): Poincare {
	const sd1 = t.sdsd / Math.SQRT2;
	const sd2 = Math.sqrt(Math.max(0, 2 * t.sdnn * t.sdnn - sd1 * sd1));
	return { sd1, sd2, sd1sd2: sd1 / sd2 };
}

export interface StressIndex {
	/** Baevsky's stress index SI = AMo / (2 · Mo · MxDMn). */
	baevsky: number;
	/** √SI, the value Kubios reports as "Stress index". */
	kubios: number;
	/** Mode (centre of the modal 50 ms bin), s. */
	modeS: number;
	/** Share of intervals in the modal bin, %. */
	amoPercent: number;
	/** Max − min RR, s. */
	mxdmnS: number;
}

/** Baevsky (1984) with 50 ms bins, as Kubios describes it. */
export function stressIndex(rrMs: ArrayLike<number>, binMs = 50): StressIndex {
	const n = rrMs.length;
	if (n < 2) return { baevsky: NaN, kubios: NaN, modeS: NaN, amoPercent: NaN, mxdmnS: NaN };
	const counts = new Map<number, number>();
	let lo = Infinity;
	let hi = -Infinity;
	for (let i = 0; i < n; i++) {
		const k = Math.floor(rrMs[i] / binMs);
		counts.set(k, (counts.get(k) ?? 0) + 1);
		if (rrMs[i] < lo) lo = rrMs[i];
		if (rrMs[i] > hi) hi = rrMs[i];
	}
	let modeBin = 0;
	let modeCount = -1;
	for (const [k, c] of counts)
		if (c > modeCount || (c === modeCount && k < modeBin)) [modeBin, modeCount] = [k, c];
	const modeS = ((modeBin + 0.5) * binMs) / 1000;
	const amoPercent = (100 * modeCount) / n;
	const mxdmnS = (hi - lo) / 1000;
	const baevsky = mxdmnS > 0 ? amoPercent / (2 * modeS * mxdmnS) : NaN;
	return { baevsky, kubios: Math.sqrt(baevsky), modeS, amoPercent, mxdmnS };
}

/** Normal resting values (mean, SD) used for the z-scores. */
export const NORMS = {
	meanRrMs: [926, 90],
	rmssdMs: [42, 15],
	/** SD1 as % of mean RR: (42/√2) / 926 · 100 ± scaled SD. */
	sd1Percent: [3.21, 1.15],
	meanHrBpm: [65.5, 6.4],
	/** √(Baevsky SI): a resting SI of 80-150 gives about 9-12. */
	stressIndexKubios: [10.5, 2.5],
	/** SD2 as % of mean RR, from SDNN 50 ± 16 ms. */
	sd2Percent: [7.0, 2.3]
} as const;

const z = (x: number, [m, s]: readonly [number, number]) => (x - m) / s;

/** Parasympathetic (PNS) and sympathetic (SNS) indices: 0 = the normal population's mean. */
export function autonomicIndices(
	t: Pick<TimeDomain, 'meanNN' | 'rmssd' | 'meanHR'>,
	p: Poincare,
	si: StressIndex
): { pns: number; sns: number } {
	const sd1Percent = (100 * p.sd1) / t.meanNN;
	const sd2Percent = (100 * p.sd2) / t.meanNN;
	const pns =
		(z(t.meanNN, NORMS.meanRrMs) + z(t.rmssd, NORMS.rmssdMs) + z(sd1Percent, NORMS.sd1Percent)) / 3;
	const sns =
		(z(t.meanHR, NORMS.meanHrBpm) +
			z(si.kubios, NORMS.stressIndexKubios) +
			z(sd2Percent, NORMS.sd2Percent)) /
		3;
	return { pns, sns };
}
