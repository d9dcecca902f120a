/**
 * Slow breathing with big heart swings, on hearts with a known truth (tests/fixtures/hearts.ts):
 * sinus rhythm that follows a 4-8 breaths-a-minute breath by 10-40 bpm is not an artifact nor an
 * irregular rhythm; premature beats placed on the steep part of those swings are. The full grid
 * and its figures: `npm run bench:breathing`.
 */
import { describe, expect, it } from 'vitest';
import {
	analyzeRr,
	detectArtifacts,
	estimateBreaths,
	spectralBreathingRate,
	timeDomain
} from '$lib/analysis';
import { breathingHeart, irregularHeart } from '../../fixtures/hearts';
import { HAVE_SHARED, SHARED_FILES, loadReference, loadRr } from './shared-data';

const RATES = [4, 5, 6, 7, 8];
const SWINGS = [10, 20, 30, 40];
const RATIOS = [1, 2];

describe('clean sinus rhythm in slow breathing', () => {
	it('flags no beat in at least 99 % of series, never more than 0.5 %, and never calls it irregular', () => {
		let series = 0;
		let clean = 0;
		for (const rate of RATES)
			for (const swingBpm of SWINGS)
				for (const ratio of RATIOS)
					for (const seed of [11, 12]) {
						const h = breathingHeart({ seed, rate, swingBpm, ratio });
						const r = detectArtifacts(h.rrMs);
						series++;
						if (r.total === 0) clean++;
						const label = `${rate}/min, ${swingBpm} bpm, 1:${ratio}, seed ${seed}`;
						expect(r.percent, label).toBeLessThanOrEqual(0.5);
						expect(r.irregularPercent, label).toBe(0);
						expect(r.warning, label).toBeUndefined();
					}
		expect(clean / series).toBeGreaterThanOrEqual(0.99 - 1e-9 - 1 / series);
	});

	it('does the same out of phase and at ordinary breathing (the series physiology-for-tests.md asks for)', () => {
		// Heart rate lagging the breath by 0.3 of a breath (about 109°, Lehrer, Vaschillo & Vidali
		// 2020); 14 a minute with the swings of rest and beyond. (14 a minute with a 40 bpm swing,
		// five beats a breath, is past what beats can draw: see CONVENTIONS.md.)
		const cases: [number, number, number][] = [
			[4.5, 20, 0.3],
			[4.5, 40, 0.3],
			[6, 5, 0.3],
			[6, 40, 0.3],
			[14, 5, 0],
			[14, 20, 0],
			[14, 20, 0.3]
		];
		for (const [rate, swingBpm, lag] of cases)
			for (const ratio of RATIOS) {
				const h = breathingHeart({
					seed: 13,
					rate,
					swingBpm,
					ratio,
					lag,
					meanBpm: rate > 10 ? 72 : 64
				});
				const r = detectArtifacts(h.rrMs);
				const label = `${rate}/min, ${swingBpm} bpm, 1:${ratio}, lag ${lag}`;
				expect(r.total, label).toBe(0);
				expect(r.irregularPercent, label).toBe(0);
				expect(
					Math.abs(analyzeRr(h.rrMs).indices.respirationRate - rate),
					label
				).toBeLessThanOrEqual(0.5);
			}
	});

	it('leaves RMSSD as the signal has it: with correction within 1 % of without', () => {
		for (const [rate, swingBpm, ratio] of [
			[6, 30, 2],
			[6, 40, 1],
			[5, 25, 1.5],
			[4, 35, 2]
		]) {
			const h = breathingHeart({ seed: 3, rate, swingBpm, ratio });
			const corrected = analyzeRr(h.rrMs).time.rmssd;
			const raw = timeDomain(h.rrMs).rmssd;
			expect(Math.abs(corrected / raw - 1), `${rate}/${swingBpm}`).toBeLessThan(0.01);
		}
	});
});

describe('premature beats inside big swings', () => {
	it('finds at least 95 % of them with false flags at most 5 % of their number', () => {
		let placed = 0;
		let found = 0;
		let falseFlags = 0;
		for (const rate of RATES)
			for (const swingBpm of [15, 25, 35, 40])
				for (const ratio of RATIOS) {
					const h = breathingHeart({ seed: 21, rate, swingBpm, ratio, prematureEvery: 40 });
					const flagged = new Set(detectArtifacts(h.rrMs).indices);
					const truth = new Set(h.premature.flatMap((i) => [i - 1, i, i + 1, i + 2]));
					for (const i of h.premature) {
						placed++;
						if (flagged.has(i) || flagged.has(i + 1)) found++;
					}
					for (const i of flagged) if (!truth.has(i)) falseFlags++;
				}
		expect(placed).toBeGreaterThan(200);
		expect(found / placed).toBeGreaterThanOrEqual(0.95);
		expect(falseFlags / placed).toBeLessThanOrEqual(0.05);
	});

	it('calls a premature beat and its pause ectopic, on a 40 bpm swing', () => {
		const h = breathingHeart({ seed: 5, rate: 6, swingBpm: 40, ratio: 2, prematureEvery: 60 });
		const r = detectArtifacts(h.rrMs);
		const byIndex = new Map(r.indices.map((i, k) => [i, r.types[k]]));
		const typed = h.premature.filter(
			(i) => byIndex.get(i) === 'ectopic' && byIndex.get(i + 1) === 'ectopic'
		);
		expect(typed.length).toBeGreaterThanOrEqual(0.9 * h.premature.length);
	});
});

describe('the irregular-rhythm verdict', () => {
	it('still fires on a rhythm irregular beat to beat with no breathing structure', () => {
		for (let seed = 1; seed <= 10; seed++) {
			const r = detectArtifacts(irregularHeart(seed).rrMs);
			expect(r.irregularPercent, `seed ${seed}`).toBeGreaterThan(50);
			expect(r.warning).toMatch(/irregular/);
		}
	});
});

describe('one breathing rate, 4 to 20 breaths a minute', () => {
	it('is within 0.5 /min of the truth and never a harmonic, counted or from the spectrum', () => {
		for (const rate of [4, 4.5, 5, 6, 7, 8, 10, 12, 15, 18, 20])
			for (const ratio of [1, 2]) {
				const swingBpm = rate <= 8 ? 25 : 8;
				const h = breathingHeart({ seed: 31, rate, swingBpm, ratio, meanBpm: rate > 12 ? 72 : 64 });
				const a = analyzeRr(h.rrMs);
				const label = `${rate}/min 1:${ratio}`;
				expect(a.indices.respirationSource, label).toBe('breaths');
				expect(Math.abs(a.indices.respirationRate - rate), label).toBeLessThanOrEqual(0.5);
				// The fallback alone, on the same record's spectrum.
				const spectral = spectralBreathingRate(a.frequency.spectrum);
				expect(Math.abs(spectral - rate), `${label}, spectrum`).toBeLessThanOrEqual(0.5);
			}
	});

	it('reads a clean 6 /min, 1:2 breath with a 35 bpm swing breath by breath: 6.0 ± 0.3 and 2.0 ± 0.2', () => {
		for (const seed of [1, 2, 3]) {
			const h = breathingHeart({ seed, rate: 6, swingBpm: 35, ratio: 2 });
			const b = estimateBreaths(h.rrMs, h.timeMs, 30_000);
			expect(b.reliable).toBe(true);
			expect(Math.abs(b.ratePerMin - 6)).toBeLessThanOrEqual(0.3);
			expect(Math.abs(b.medianRatio - 2)).toBeLessThanOrEqual(0.2);
		}
	});
});

describe('the irregular-rhythm message', () => {
	it('says what was seen, what it means for the figures, and that it is no diagnosis', () => {
		const w = detectArtifacts(irregularHeart(3).rrMs).warning ?? '';
		expect(w).toMatch(/irregular in \d+ %/);
		expect(w).toMatch(/no breathing pattern/);
		expect(w).toMatch(/figures there do not show how you relaxed/);
		expect(w).toMatch(/does not diagnose/);
		expect(w).not.toMatch(/atrial fibrillation/);
	});
});

describe.skipIf(!HAVE_SHARED)('the breathing rate on real resting recordings', () => {
	it('is the HF peak where people breathe at rest, as Kubios reports it: slow blood-pressure waves are not breaths', () => {
		// Kubios HRV 2.2 on systole_kubios_4min: HF peak 0.3125 Hz, 18.75 a minute. Its LF peak
		// (0.066 Hz) is 6 times denser than its HF peak, and is no breath.
		const kubios = loadReference('systole_kubios_4min.kubios').kubios_2_2;
		const systole = analyzeRr(loadRr('systole_kubios_4min'));
		expect(Math.abs(systole.indices.respirationRate - 60 * kubios.hf_peak)).toBeLessThanOrEqual(
			0.5
		);
		for (const name of SHARED_FILES) {
			if (name === 'ltdb_14149_23h') continue;
			const a = analyzeRr(loadRr(name));
			expect(a.indices.respirationSource, name).toBe('spectrum');
			expect(a.indices.respirationRate, name).toBeCloseTo(60 * a.frequency.hfPeak, 6);
		}
	});
});
