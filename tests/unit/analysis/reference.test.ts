/**
 * The engine against NeuroKit2 0.2.12 on the nine public recordings (../shared/data/rr/reference).
 * NeuroKit2 is the reference where it and Kubios HRV agree; where they differ the engine follows
 * Kubios (docs/hrv-algorithms.md §5.4, §9) and each assertion says which convention it checks.
 */
import { describe, expect, it } from 'vitest';
import {
	HISTOGRAM_BIN_MS,
	frequencyDomain,
	nonlinearMetrics,
	resampleRr,
	timeDomain
} from '$lib/analysis';
import { welchSegments } from '$lib/analysis/welch';
import { HAVE_SHARED, SHARED_FILES, loadReference, loadRr } from './shared-data';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Each band figure of ours beside the reference's kubioslike one. */
function bandPairs(
	f: ReturnType<typeof frequencyDomain>,
	K: Record<'VLF' | 'LF' | 'HF' | 'TP' | 'LFHF' | 'LFnu' | 'HFnu', number>
): [number, number][] {
	return [
		[f.vlf, K.VLF],
		[f.lf, K.LF],
		[f.hf, K.HF],
		[f.totalPower, K.TP],
		[f.lfhf, K.LFHF],
		[f.lfNu, K.LFnu],
		[f.hfNu, K.HFnu]
	];
}

describe.skipIf(!HAVE_SHARED)('against NeuroKit2 0.2.12 on the nine public recordings', () => {
	// skipIf still collects the suite: read nothing when the data is absent.
	for (const name of HAVE_SHARED ? SHARED_FILES : []) {
		describe(name, () => {
			const rr = loadRr(name);
			const ref = loadReference(name).raw;
			const n = rr.length;

			it('NeuroKit2 = Kubios: MeanNN, SDNN, RMSSD, lnRMSSD, SDSD, Min/MaxNN and HTI equal NeuroKit2 to 1e-6', () => {
				const t = timeDomain(rr);
				const T = ref.time;
				for (const [mine, theirs] of [
					[t.meanNN, T.MeanNN],
					[t.sdnn, T.SDNN], // ddof = 1
					[t.rmssd, T.RMSSD], // over the N−1 differences
					[t.lnRmssd, T.lnRMSSD],
					[t.sdsd, T.SDSD], // ddof = 1
					[t.minNN, T.MinNN],
					[t.maxNN, T.MaxNN],
					[t.hti, T.HTI] // N / modal count, 1/128 s bins from 0
				] as [number, number][])
					expect(rel(mine, theirs)).toBeLessThan(1e-6);
			});

			it('Kubios, not NeuroKit2: pNN50 and pNN20 divide by the N−1 differences (NeuroKit2 by N)', () => {
				const t = timeDomain(rr);
				// NeuroKit2's pNNx = count / N; rescaled by N / (N−1) it is Kubios's count / (N−1).
				expect(rel(t.pnn50, (ref.time.pNN50 * n) / (n - 1))).toBeLessThan(1e-6);
				expect(rel(t.pnn20, (ref.time.pNN20 * n) / (n - 1))).toBeLessThan(1e-6);
			});

			it('Kubios / Task Force, not NeuroKit2: TINN is a least-squares triangle width, never 0', () => {
				// NeuroKit2 0.2.12's TINN (0 ms on six of these files) is no reference (§5.4).
				const t = timeDomain(rr);
				const bins = t.tinn / HISTOGRAM_BIN_MS;
				expect(Math.abs(bins - Math.round(bins))).toBeLessThan(1e-9);
				expect(bins).toBeGreaterThanOrEqual(2);
				// Plausible: not wider than the RR range plus the two feet's bins.
				expect(t.tinn).toBeLessThanOrEqual(t.maxNN - t.minNN + 2 * HISTOGRAM_BIN_MS);
				if (name === 'pyhrv_short_5min') {
					// pyHRV's tinn() gives 148.4 ms here (§5.4); ours is 148.4375 (19 bins), its exact value.
					expect(Math.abs(t.tinn - 148.4)).toBeLessThanOrEqual(2 * HISTOGRAM_BIN_MS);
				}
			});

			it("the spectrum's building blocks reproduce the reference's kubioslike composition to 0.1 %", () => {
				// kubioslike (ref.py, §5.3) = 4 Hz cubic spline, smoothness priors λ = 500, Welch Hann
				// with scipy's segment layout, nfft = 2·nperseg, trapezoid band powers. Given its window
				// (300 s, or N/2 below 600 s — NeuroKit2's rule, not Kubios's) and scipy's layout, the
				// engine's resampling, detrending, Welch and band integration must reproduce it.
				const K = ref.kubioslike;
				const f = frequencyDomain(rr, { windowS: K.welch_window_s, segments: 'scipy' });
				expect(f.windowS).toBeCloseTo(K.welch_window_s, 6);
				for (const [mine, theirs] of bandPairs(f, K)) expect(rel(mine, theirs)).toBeLessThan(1e-3);
				expect(f.lfPeak).toBeCloseTo(K.peak_LF_Hz, 6);
				expect(f.hfPeak).toBeCloseTo(K.peak_HF_Hz, 6);
			});

			it('Kubios window rule: the default spectrum agrees with the reference where the window rules agree', () => {
				const K = ref.kubioslike;
				const f = frequencyDomain(rr);
				const samples = resampleRr(rr, 4).values.length;
				// Kubios: a 300 s window, or one window over a shorter record.
				expect(f.windowS).toBeCloseTo(Math.min(300, samples / 4), 9);
				if (K.welch_window_s !== 300) {
					// Under 600 s the reference used NeuroKit2's N/2 segments: no comparable figures
					// (the building-block test above covers these files with the reference's window).
					return;
				}
				// Same window, but the reference's scipy layout leaves the last t = (L − W) mod h
				// samples out; the default adds them as one more segment of weight w = t/h (welch.ts).
				// Its band powers can differ from the mean of the K regular segments by a factor of two,
				// moving a figure by up to w/(K + w) of it: tolerance 2 % + w/(K + w) (2.1-22.8 % here;
				// measured worst 0.1-8.7 %: hrvanalysis_test_1000, 718 s, whose last 118 s the reference
				// never saw, has w = 0.79, K = 3, tolerance 22.8 %, worst 8.7 %; ltdb_14046_1h_ectopic
				// has tolerance 6.3 %, worst 5.3 %). Peak frequencies are argmaxes of flat spectra: one more segment can move
				// them anywhere in the band, so they are not compared.
				const segs = welchSegments(samples, 1200);
				const regular = segs.filter((s) => s.weight === 1).length;
				const w = segs.length - regular ? segs[segs.length - 1].weight : 0;
				const tolerance = 0.02 + w / (regular + w);
				for (const [mine, theirs] of bandPairs(f, K))
					expect(rel(mine, theirs)).toBeLessThan(tolerance);
			});

			it('NeuroKit2 = Kubios: SD1, SD2, SD1/SD2, SampEn, ApEn within 1 %; DFA α1 4-16, α2 16-64 (Kubios windows)', () => {
				const m = nonlinearMetrics(rr);
				const C = ref.components;
				for (const [mine, theirs] of [
					[m.sd1, C.SD1],
					[m.sd2, C.SD2],
					[m.sd1sd2, C.SD1SD2],
					[m.sampEn, C.SampEn],
					[m.apEn, C.ApEn],
					// DFA with Kubios's 4-16 / 16-64 beat windows (NeuroKit2's default is 4-11 / 12-N/10).
					[m.dfaA1, C.DFA_alpha1_4_16],
					[m.dfaA2, C.DFA_alpha2_16_64]
				] as [number, number][])
					expect(rel(mine, theirs)).toBeLessThan(0.01);
			});
		});
	}
});
