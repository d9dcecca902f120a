import { describe, expect, it } from 'vitest';
import { frequencyDomain, nonlinearMetrics, timeDomain } from '$lib/analysis';
import { HAVE_SHARED, SHARED_FILES, loadReference, loadRr } from './shared-data';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe.skipIf(!HAVE_SHARED)('against NeuroKit2 0.2.12 on the nine public recordings', () => {
	for (const name of SHARED_FILES) {
		describe(name, () => {
			const rr = loadRr(name);
			const ref = loadReference(name).raw;

			it('time domain equals the reference to 1e-6 relative (uncorrected input)', () => {
				const t = timeDomain(rr);
				const T = ref.time;
				const pairs: [number, number][] = [
					[t.meanNN, T.MeanNN],
					[t.sdnn, T.SDNN],
					[t.rmssd, T.RMSSD],
					[t.lnRmssd, T.lnRMSSD],
					[t.sdsd, T.SDSD],
					[t.pnn50, T.pNN50],
					[t.pnn20, T.pNN20],
					[t.minNN, T.MinNN],
					[t.maxNN, T.MaxNN],
					[t.hti, T.HTI]
				];
				for (const [mine, theirs] of pairs) expect(rel(mine, theirs)).toBeLessThan(1e-6);
				if (T.TINN === 0) expect(t.tinn).toBe(0);
				else expect(rel(t.tinn, T.TINN)).toBeLessThan(1e-6);
			});

			it('the Kubios-style spectrum is within 2 % of the reference', () => {
				const f = frequencyDomain(rr);
				const K = ref.kubioslike;
				expect(f.windowS).toBeCloseTo(K.welch_window_s, 6);
				for (const [mine, theirs] of [
					[f.vlf, K.VLF],
					[f.lf, K.LF],
					[f.hf, K.HF],
					[f.totalPower, K.TP],
					[f.lfhf, K.LFHF],
					[f.lfNu, K.LFnu],
					[f.hfNu, K.HFnu]
				] as [number, number][])
					expect(rel(mine, theirs)).toBeLessThan(0.02);
				expect(f.lfPeak).toBeCloseTo(K.peak_LF_Hz, 6);
				expect(f.hfPeak).toBeCloseTo(K.peak_HF_Hz, 6);
			});

			it('nonlinear metrics are within 1 % of the reference', () => {
				const m = nonlinearMetrics(rr);
				const C = ref.components;
				for (const [mine, theirs] of [
					[m.sd1, C.SD1],
					[m.sd2, C.SD2],
					[m.sd1sd2, C.SD1SD2],
					[m.sampEn, C.SampEn],
					[m.apEn, C.ApEn],
					[m.dfaA1, C.DFA_alpha1_4_16],
					[m.dfaA2, C.DFA_alpha2_16_64]
				] as [number, number][])
					expect(rel(mine, theirs)).toBeLessThan(0.01);
			});
		});
	}
});
