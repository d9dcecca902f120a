/**
 * Time-domain HRV (Task Force 1996). Where NeuroKit2 0.2.12 and Kubios HRV agree, NeuroKit2's exact
 * conventions, so values agree with it to 1e-6 (docs/hrv-algorithms.md §4): SDNN and SDSD with
 * ddof = 1; RMSSD over the N−1 differences; HTI = N / modal count of a 1/128 s histogram from 0.
 * Where they differ, Kubios (§5.4, §9):
 * - pNNx = count(|ΔRR| > x) / (N−1): over the successive differences, as Kubios, pyHRV, Aura
 *   hrv-analysis and systole (NeuroKit2 divides by N); strict >.
 * - TINN = base width of the least-squares triangle over the whole histogram, with both feet
 *   searched (Task Force 1996; pyHRV's conventions). NeuroKit2's search fixes the left foot and
 *   returns 0 ms on most records.
 */
import { max, mean, min, sd, successiveDifferences } from './stats';

export interface TimeDomain {
	n: number;
	meanNN: number;
	sdnn: number;
	rmssd: number;
	/** Natural log of RMSSD (ms). */
	lnRmssd: number;
	sdsd: number;
	pnn50: number;
	pnn20: number;
	minNN: number;
	maxNN: number;
	/** Mean of the instantaneous heart rates 60000 / RR (bpm). */
	meanHR: number;
	sdHR: number;
	minHR: number;
	maxHR: number;
	/** HRV triangular index: N / height of the 1/128 s histogram. */
	hti: number;
	/**
	 * Baseline width M − N of the least-squares triangle fitted to the 1/128 s histogram (ms): a
	 * whole number of bins, at least two.
	 */
	tinn: number;
}

export const HISTOGRAM_BIN_MS = 1000 / 128;

export function timeDomain(rrMs: ArrayLike<number>): TimeDomain {
	const n = rrMs.length;
	const diff = successiveDifferences(rrMs);
	let sq = 0;
	let nn50 = 0;
	let nn20 = 0;
	for (let i = 0; i < diff.length; i++) {
		sq += diff[i] * diff[i];
		const a = Math.abs(diff[i]);
		if (a > 50) nn50++;
		if (a > 20) nn20++;
	}
	const rmssd = diff.length ? Math.sqrt(sq / diff.length) : NaN;
	const hr = new Float64Array(n);
	for (let i = 0; i < n; i++) hr[i] = 60000 / rrMs[i];
	const { hti, tinn } = geometric(rrMs);
	return {
		n,
		meanNN: mean(rrMs),
		sdnn: sd(rrMs),
		rmssd,
		lnRmssd: Math.log(rmssd),
		sdsd: sd(diff),
		pnn50: diff.length ? (100 * nn50) / diff.length : NaN,
		pnn20: diff.length ? (100 * nn20) / diff.length : NaN,
		minNN: min(rrMs),
		maxNN: max(rrMs),
		meanHR: mean(hr),
		sdHR: sd(hr),
		minHR: min(hr),
		maxHR: max(hr),
		hti,
		tinn
	};
}

/** RR histogram with 1/128 s bins from 0 (edges[i] = i · bin; counts[i] = RR in [edge i, edge i+1)). */
export function rrHistogram(rrMs: ArrayLike<number>, binMs = HISTOGRAM_BIN_MS) {
	const top = max(rrMs);
	// numpy: arange(0, max + bin, bin) edges; the last bin is closed on the right.
	const nEdges = Math.ceil((top + binMs) / binMs);
	const edges = new Float64Array(nEdges);
	for (let i = 0; i < nEdges; i++) edges[i] = i * binMs;
	const counts = new Float64Array(Math.max(0, nEdges - 1));
	const last = nEdges - 2;
	for (let i = 0; i < rrMs.length; i++) {
		let k = Math.floor(rrMs[i] / binMs);
		if (k > last) k = last;
		if (k >= 0) counts[k]++;
	}
	return { edges, counts };
}

function geometric(rrMs: ArrayLike<number>): { hti: number; tinn: number } {
	if (rrMs.length < 2) return { hti: NaN, tinn: NaN };
	const { counts } = rrHistogram(rrMs);
	let peak = 0;
	for (let i = 1; i < counts.length; i++) if (counts[i] > counts[peak]) peak = i;
	return { hti: rrMs.length / counts[peak], tinn: tinnBins(counts) * HISTOGRAM_BIN_MS };
}

/**
 * TINN in bins: the base width m − n of the triangle q that best fits the histogram D in least
 * squares over every bin (Task Force 1996; Kubios; pyHRV's tinn()). Bin i sits at position i (only
 * differences matter, so bin edges or centres give the same width). q is 0 at and outside the
 * feet n and m, rises linearly to the modal count Y at the modal bin p (first maximum) and falls
 * linearly back: q_i = Y·(i − n)/(p − n) for n ≤ i ≤ p, Y·(m − i)/(m − p) for p ≤ i ≤ m.
 * The left foot n ranges over every bin left of the mode (0 … p−1), the right foot m over every bin
 * right of it up to one bin past the last (p+1 … B): the triangle may end just past the longest
 * RR, where the histogram is 0 (pyHRV stops at the last bin; the width agrees on the shared files).
 * The squared error is a sum of a left part depending only on n and a right part depending only
 * on m, so the full 2-D search over (n, m) is exactly two 1-D searches: O(B²) for B ≈ 300 bins.
 * Ties keep the smallest n and the smallest m, as pyHRV's nested loop does.
 */
export function tinnBins(counts: ArrayLike<number>): number {
	const B = counts.length;
	if (B === 0) return NaN;
	let p = 0;
	for (let i = 1; i < B; i++) if (counts[i] > counts[p]) p = i;
	const Y = counts[p];
	if (!(Y > 0) || p === 0) return NaN;
	let bestN = -1;
	let bestLeft = Infinity;
	for (let n = 0; n < p; n++) {
		let err = 0;
		for (let i = 0; i < p; i++) {
			const q = i <= n ? 0 : (Y * (i - n)) / (p - n);
			err += (counts[i] - q) ** 2;
		}
		if (err < bestLeft) {
			bestLeft = err;
			bestN = n;
		}
	}
	let bestM = -1;
	let bestRight = Infinity;
	for (let m = p + 1; m <= B; m++) {
		let err = 0;
		for (let i = p + 1; i < B; i++) {
			const q = i >= m ? 0 : (Y * (m - i)) / (m - p);
			err += (counts[i] - q) ** 2;
		}
		if (err < bestRight) {
			bestRight = err;
			bestM = m;
		}
	}
	return bestM - bestN;
}
