/**
 * Time-domain HRV (Task Force 1996), with NeuroKit2 0.2.12's exact conventions so values agree to
 * 1e-6 (docs/hrv-algorithms.md §4): SDNN and SDSD with ddof = 1; RMSSD over N−1 differences;
 * pNNx = count(|ΔRR| > x) / N (N intervals, strict >); HTI and TINN on a 1/128 s histogram from 0.
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
	/** Baseline width of the triangle fitted to the histogram (ms). */
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
		pnn50: n ? (100 * nn50) / n : NaN,
		pnn20: n ? (100 * nn20) / n : NaN,
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

/**
 * HTI and TINN as NeuroKit2 computes them (hrv_time.py, _hrv_TINN): the triangle's left foot N is
 * the first bin edge above the shortest RR (its search loop never revisits N), the right foot M is
 * searched on bin edges below the longest RR, least squares against the histogram.
 */
function geometric(rrMs: ArrayLike<number>): { hti: number; tinn: number } {
	if (rrMs.length < 2) return { hti: NaN, tinn: NaN };
	const { edges, counts } = rrHistogram(rrMs);
	let peak = 0;
	for (let i = 1; i < counts.length; i++) if (counts[i] > counts[peak]) peak = i;
	const Y = counts[peak];
	const X = edges[peak];
	const hti = rrMs.length / Y;
	const lo = min(rrMs);
	const hi = max(rrMs);
	let nIdx = -1;
	for (let i = 0; i < edges.length; i++)
		if (edges[i] - lo > 0) {
			nIdx = i;
			break;
		}
	if (nIdx < 0) return { hti, tinn: NaN };
	let bestN = 0;
	let bestM = 0;
	let minError = 2 ** 14;
	if (edges[nIdx] < X) {
		const nEdge = edges[nIdx];
		for (let mIdx = peak + 1; mIdx < edges.length && edges[mIdx] < hi; mIdx++) {
			const mEdge = edges[mIdx];
			let err = 0;
			for (let i = nIdx; i <= mIdx; i++) {
				const x = edges[i];
				const q = i <= peak ? (Y * (x - nEdge)) / (X - nEdge) : (Y * (mEdge - x)) / (mEdge - X);
				const y = i < counts.length ? counts[i] : 0;
				err += (y - q) ** 2;
			}
			if (err < minError) {
				minError = err;
				bestN = nEdge;
				bestM = mEdge;
			}
		}
	}
	return { hti, tinn: bestM - bestN };
}
