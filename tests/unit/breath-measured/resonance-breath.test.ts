import { describe, expect, it } from 'vitest';
import {
	assessWithMeasuredBreath,
	phaseAgainstBreaths,
	stepBreathing
} from '$lib/breath-measured/resonance-breath';
import { assessResonance, type ResonanceStep } from '$lib/analysis';
import { cleanBeats } from '$lib/analysis/beat-series';
import { fillFundamentalPeakS } from '$lib/analysis/breath/cycle';
import { patternFor } from '$lib/practice/pacer';
import { gaussian, mulberry32 } from '$lib/seeded-random';

type Breath = { inStartMs: number; outStartMs: number; endMs: number };

/** A step at `rate` (the pacer's 60 % out-breath) from startMs, `minutes` long. */
function step(rate: number, startMs: number, minutes = 2): ResonanceStep {
	const p = patternFor(rate, 0.6);
	return { rateBpm: rate, ...p, startMs, endMs: startMs + minutes * 60_000 };
}

/** Breaths of inS + outS from fromMs to toMs. */
function breaths(fromMs: number, toMs: number, inS: number, outS: number): Breath[] {
	const out: Breath[] = [];
	for (let t = fromMs; t + (inS + outS) * 1000 <= toMs; t += (inS + outS) * 1000)
		out.push({ inStartMs: t, outStartMs: t + inS * 1000, endMs: t + (inS + outS) * 1000 });
	return out;
}

/**
 * Beats of a heart whose rate swings `swingBpm` peak to trough with each measured breath, peaking
 * `leadS` before the breath's fill peak (0: in phase with the measured breath).
 */
function heartWith(
	bs: Breath[],
	untilMs: number,
	swingBpm: (b: Breath) => number,
	leadS = 0
): { rrMs: number[]; timeMs: number[] } {
	const hrAt = (ms: number) => {
		const b = bs.find((x) => ms >= x.inStartMs && ms < x.endMs);
		if (!b) return 60;
		const len = b.endMs - b.inStartMs;
		const peak =
			1000 *
			fillFundamentalPeakS({
				inhaleS: (b.outStartMs - b.inStartMs) / 1000,
				exhaleS: (b.endMs - b.outStartMs) / 1000
			});
		const theta = (2 * Math.PI * (ms - b.inStartMs - peak + leadS * 1000)) / len;
		return 60 + (swingBpm(b) / 2) * Math.cos(theta);
	};
	const rrMs: number[] = [];
	const timeMs: number[] = [];
	for (let t = 0; t < untilMs;) {
		let rr = 60_000 / hrAt(t + 500);
		rr = 60_000 / hrAt(t + rr / 2);
		t += rr;
		rrMs.push(rr);
		timeMs.push(t);
	}
	return { rrMs, timeMs };
}

describe('resonance phase against the measured breath', () => {
	// One 6/min step (4 s in, 6 s out) from 20 s; the person breathes at 6/min but 2 s behind the
	// pacer, and their heart is in phase with their own breath.
	const s6 = step(6, 20_000);
	const lagged = breaths(s6.startMs + 2000 - 10_000, s6.endMs + 10_000, 4, 6);
	const heart = heartWith(lagged, s6.endMs + 20_000, () => 6);

	it('reads ~0° against the measured breath that lags the pacer by 2 s, ~−72° against the pacer', () => {
		const beats = cleanBeats(heart.rrMs, heart.timeMs, s6.startMs + 15_000, s6.endMs);
		const measured = phaseAgainstBreaths(lagged, beats)!;
		expect(Math.abs(measured)).toBeLessThanOrEqual(5);
		const pacer = assessResonance(heart.rrMs, heart.timeMs, [s6]).steps[0];
		expect(pacer.phaseFrom).toBe('pacer');
		// The heart peaks 2 s after the pacer's fill peak: 2/10 of a breath, −72°.
		expect(pacer.phaseDeg).toBeGreaterThan(-80);
		expect(pacer.phaseDeg).toBeLessThan(-64);
	});

	it('the assessment takes the measured breath for the phase and says so', () => {
		const s55 = step(5.5, s6.endMs + 20_000);
		const all = [
			...lagged,
			...breaths(s55.startMs + 2000 - 10_000, s55.endMs, s55.inhaleS, s55.exhaleS)
		].filter((b, i, a) => i === 0 || b.inStartMs >= a[i - 1].endMs);
		const h = heartWith(all, s55.endMs + 10_000, () => 6);
		const r = assessWithMeasuredBreath(h.rrMs, h.timeMs, [s6, s55], all);
		for (const s of r.steps) {
			expect(s.phaseFrom).toBe('measured');
			expect(Math.abs(s.phaseDeg)).toBeLessThanOrEqual(5);
		}
		expect(r.notFollowed).toBe(0);
		expect(r.explanation).toMatch(/phase of every step is against your breath as the strap/);
	});

	it('a heart leading the measured breath by 1 s reads about +36° at 6/min', () => {
		const h = heartWith(lagged, s6.endMs + 20_000, () => 6, 1);
		const beats = cleanBeats(h.rrMs, h.timeMs, s6.startMs + 15_000, s6.endMs);
		expect(phaseAgainstBreaths(lagged, beats)!).toBeCloseTo(36, -1);
	});

	it('with beat noise and breath times measured ±0.3 s off, still within 15° of 0', () => {
		const rand = mulberry32(7);
		const noisy = heartWith(lagged, s6.endMs + 20_000, () => 6);
		const rr = noisy.rrMs.map((r) => r + 15 * gaussian(rand));
		let t = 0;
		const time = rr.map((r) => (t += r));
		const jitter = () => 600 * (rand() - 0.5);
		const measuredOff = lagged.map((b) => ({
			inStartMs: b.inStartMs + jitter(),
			outStartMs: b.outStartMs + jitter(),
			endMs: b.endMs + jitter()
		}));
		const beats = cleanBeats(rr, time, s6.startMs + 15_000, s6.endMs);
		const deg = phaseAgainstBreaths(measuredOff, beats)!;
		expect(Math.abs(deg)).toBeLessThanOrEqual(15);
	});

	it('uneven breaths of changing length keep their own timing', () => {
		// 3.5-4.5 s in, 5-7 s out, varying breath to breath.
		const bs: Breath[] = [];
		let t = 0;
		for (let i = 0; t < 200_000; i++) {
			const inS = 4 + 0.5 * Math.sin(i);
			const outS = 6 + Math.cos(1.7 * i);
			bs.push({ inStartMs: t, outStartMs: t + inS * 1000, endMs: t + (inS + outS) * 1000 });
			t += (inS + outS) * 1000;
		}
		const h = heartWith(bs, 200_000, () => 6);
		const beats = cleanBeats(h.rrMs, h.timeMs, 35_000, 140_000);
		expect(Math.abs(phaseAgainstBreaths(bs, beats)!)).toBeLessThanOrEqual(5);
	});
});

describe('a step the person did not follow', () => {
	it('gets a note: breathed 6.8 a minute in a 5.5 step', () => {
		const s55 = step(5.5, 0);
		const b = stepBreathing(s55, breaths(0, s55.endMs, 3.5, 60 / 6.8 - 3.5));
		expect(b.followed).toBe(false);
		expect(b.measured!.ratePerMin).toBeCloseTo(6.8, 1);
		expect(b.note).toBe('You breathed at 6.8 a minute in this 5.5 step: its figures describe 6.8.');
	});

	it('within 0.5 a minute and 0.35 of the ratio counts as followed', () => {
		const s55 = step(5.5, 0);
		expect(stepBreathing(s55, breaths(0, s55.endMs, 4.3, 6.6)).followed).toBe(true);
		// Right rate, even breaths: the ratio (1.0 against 1.5) is off.
		const even = stepBreathing(s55, breaths(0, s55.endMs, 5.45, 5.45));
		expect(even.followed).toBe(false);
		expect(even.note).toMatch(/out-breath was 1\.0× the in-breath where the pacer's was 1\.5×/);
	});

	it('too little measured: not judged, and the phase stays with the pacer', () => {
		const s6 = step(6, 0);
		const few = breaths(20_000, 50_000, 4, 6);
		const b = stepBreathing(s6, few);
		expect(b.followed).toBeUndefined();
		expect(b.note).toMatch(/measured 3 breaths in this step \(29 % of it\)/);
	});

	it('the best step not followed is not named as the resonance rate, and the verdict says why', () => {
		const s6 = step(6, 0);
		const s55 = step(5.5, s6.endMs + 20_000);
		// At 6 followed; at 5.5 the person breathed 6.8, and their heart swung most there.
		const bs = [
			...breaths(0, s6.endMs, 4, 6),
			...breaths(s6.endMs, s55.endMs + 10_000, 3.5, 60 / 6.8 - 3.5)
		];
		const h = heartWith(bs, s55.endMs + 10_000, (b) => (b.inStartMs >= s55.startMs ? 10 : 5));
		const plain = assessResonance(h.rrMs, h.timeMs, [s6, s55]);
		expect(plain.bestRateBpm).toBe(5.5);
		expect(plain.tooCloseToCall).toBe(false);
		const r = assessWithMeasuredBreath(h.rrMs, h.timeMs, [s6, s55], bs);
		expect(r.bestRateBpm).toBeUndefined();
		expect(r.withheldRateBpm).toBe(5.5);
		expect(r.notFollowed).toBe(1);
		expect(r.explanation).toMatch(
			/^No rate is named: 5\.5\/min came out best, but you breathed at 6\.8 a minute/
		);
		expect(r.breathing[1].note).toMatch(/in this 5\.5 step: its figures describe 6\.8/);
		expect(r.breathing[0].followed).toBe(true);
	});

	it('a person with no resonance who followed every step: no rate named, nothing withheld', () => {
		const rates = [6.5, 6, 5.5, 5];
		const steps: ResonanceStep[] = [];
		const bs: Breath[] = [];
		let at = 0;
		for (const rate of rates) {
			const st = step(rate, at);
			steps.push(st);
			bs.push(...breaths(st.startMs, st.endMs, st.inhaleS, st.exhaleS));
			at = st.endMs;
		}
		// The same 8 bpm swing at every rate: nothing stands out.
		const h = heartWith(bs, at, () => 8);
		const r = assessWithMeasuredBreath(h.rrMs, h.timeMs, steps, bs);
		// A tie: the first-ranked rate is kept for the list, and no rate is named or withheld.
		expect(r.tooCloseToCall).toBe(true);
		expect(r.explanation).toMatch(
			/^Too close to call between 6\.5\/min, 6\.0\/min, 5\.5\/min or 5\.0\/min/
		);
		expect(r.withheldRateBpm).toBeUndefined();
		expect(r.notFollowed).toBe(0);
		expect(r.breathing.every((b) => b.followed === true && b.note === undefined)).toBe(true);
		expect(r.steps.every((s) => s.phaseFrom === 'measured')).toBe(true);
	});

	it('without measured breaths the assessment is as before', () => {
		const s6 = step(6, 0);
		const s55 = step(5.5, s6.endMs + 20_000);
		const bs = [...breaths(0, s55.endMs + 10_000, 4, 6)];
		const h = heartWith(bs, s55.endMs + 10_000, () => 6);
		const r = assessWithMeasuredBreath(h.rrMs, h.timeMs, [s6, s55], undefined);
		expect(r).toEqual({
			...assessResonance(h.rrMs, h.timeMs, [s6, s55]),
			breathing: [],
			notFollowed: 0
		});
	});
});

describe('what the summary keeps', () => {
	it('the rate withheld and the steps not followed; nothing new without measured breaths', async () => {
		const { resonanceFields } = await import('$lib/review/resonance-summary');
		const s6 = step(6, 0);
		const s55 = step(5.5, s6.endMs + 20_000);
		const bs = [
			...breaths(0, s6.endMs, 4, 6),
			...breaths(s6.endMs, s55.endMs + 10_000, 3.5, 60 / 6.8 - 3.5)
		];
		const h = heartWith(bs, s55.endMs + 10_000, (b) => (b.inStartMs >= s55.startMs ? 10 : 5));
		expect(resonanceFields(assessWithMeasuredBreath(h.rrMs, h.timeMs, [s6, s55], bs))).toEqual({
			resonanceWithheldBpm: 5.5,
			resonanceNotFollowed: 1
		});
		expect(resonanceFields(assessWithMeasuredBreath(h.rrMs, h.timeMs, [s6, s55]))).toEqual({
			resonanceBpm: 5.5
		});
	});
});
