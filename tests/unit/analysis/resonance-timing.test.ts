/**
 * The assessment's phase rests on beat times and step times sharing one clock (resonance.ts). Beat
 * times come from the strap's packets (beat-timeline.ts): a heart exactly in phase with the breath,
 * delivered as a strap delivers it, must read 0° at every rate once the recording's beat times are
 * put right. Placed live (the first packet taken to have no latency), the same beats read −10° to
 * −62° with 10-50 ms transport and −40° to −102° when every packet is a further 0-1 s late (20
 * sessions each; more at faster rates, as a fixed delay is a larger share of a shorter breath);
 * corrected, −0.3° to −1.0° and −0.8° to −4.3°.
 */
import { describe, expect, it } from 'vitest';
import { assessResonance, RESONANCE_RATES, type ResonanceStep } from '$lib/analysis';
import { fillFundamentalPeakS } from '$lib/analysis/breath/cycle';
import { DEFAULT_BREATH, patternFor, type BreathPattern } from '$lib/practice/pacer';
import { EXHALE_SHARE } from '$lib/practice/pacer-default';
import { FIRST_REST_S, REST_S } from '$lib/practice/resonance-flow.svelte';
import { BeatTimeline } from '$lib/strap/beat-timeline';
import { corrections, correctedTimes } from '$lib/strap/beat-correction';
import { onTickGrid, strapPackets, type Delivery } from '../../fixtures/strap-packets';

const STEP_S = 120;

/**
 * An assessment as the flow runs it (two minutes' rest, then each rate for two minutes with 20 s
 * rests between), with a heart exactly in phase with the pacer: heart rate = mean + A·cos, at the
 * pacing rate, peaking with the fundamental of the pacer's lung fill (the phase's reference), in
 * the rests too. Beats by integral pulse frequency modulation (a beat each time the integral of
 * heart rate passes a whole number), so each interval's heart rate is that of its middle, as the
 * analysis takes it: exact beat times read 0°.
 */
function inPhaseAssessment(meanBpm = 62, halfSwingBpm = 8) {
	const parts: { startS: number; p: BreathPattern; peakS: number }[] = [];
	const part = (startS: number, p: BreathPattern) =>
		parts.push({ startS, p, peakS: fillFundamentalPeakS(p) });
	const steps: ResonanceStep[] = [];
	part(-30, DEFAULT_BREATH);
	let t = FIRST_REST_S;
	for (const rateBpm of RESONANCE_RATES) {
		const p = patternFor(rateBpm, EXHALE_SHARE);
		part(t, p);
		steps.push({ rateBpm, ...p, startMs: t * 1000, endMs: (t + STEP_S) * 1000 });
		t += STEP_S;
		part(t, DEFAULT_BREATH);
		t += REST_S;
	}
	let k = 0;
	const hr = (s: number) => {
		while (k + 1 < parts.length && parts[k + 1].startS <= s) k++;
		const { startS, p, peakS } = parts[k];
		const cycle = p.inhaleS + p.exhaleS;
		return meanBpm + halfSwingBpm * Math.cos((2 * Math.PI * (s - startS - peakS)) / cycle);
	};
	const times: number[] = [];
	const dt = 0.001;
	let beats = 0;
	for (let s = -10; s < t + 5; s += dt) {
		const next = beats + (hr(s + dt / 2) / 60) * dt;
		if (Math.floor(next) > Math.floor(beats)) {
			times.push((s + ((Math.floor(next) - beats) / (next - beats)) * dt) * 1000);
		}
		beats = next;
	}
	return { ...onTickGrid(times), steps };
}

/** The beats through a timeline started with the session (time 0): live and corrected times. */
function throughStrap(rec: { timeMs: number[]; rrMs: number[] }, d: Delivery) {
	const timeline = new BeatTimeline(0);
	const rrMs: number[] = [];
	const live: { timeMs: number }[] = [];
	for (const p of strapPackets(rec.timeMs, rec.rrMs, { fromMs: 0, ...d })) {
		for (const b of timeline.add(p.measurement, p.atMs)) {
			rrMs.push(b.rrMs);
			live.push(b);
		}
	}
	return {
		rrMs,
		liveMs: live.map((b) => b.timeMs),
		timeMs: correctedTimes(live, corrections(timeline))
	};
}

const BLE: Delivery = { transportMs: [10, 50], firstDelayMs: 1000 };
const JITTERED: Delivery = { ...BLE, jitterMs: 1000 };

describe('resonance phase through the strap’s packets', () => {
	const rec = inPhaseAssessment();

	it('reads 0° for a heart in phase with the breath, given its true beat times', () => {
		const { steps } = assessResonance(rec.rrMs, rec.timeMs, rec.steps);
		expect(steps.map((s) => s.rateBpm)).toEqual([...RESONANCE_RATES]);
		for (const s of steps) expect(Math.abs(s.phaseDeg), `${s.rateBpm}/min`).toBeLessThan(1);
	});

	it('reads 0° ± 10° at every rate, packets 0-1 s late and jittered', () => {
		for (const [name, delivery] of [
			['BLE', BLE],
			['jittered', JITTERED]
		] as const) {
			for (const seed of [1, 2, 3, 4]) {
				const beats = throughStrap(rec, { ...delivery, seed });
				const { steps } = assessResonance(beats.rrMs, beats.timeMs, rec.steps);
				for (const s of steps) {
					expect(s.enoughData).toBe(true);
					expect(Math.abs(s.phaseDeg), `${name}, seed ${seed}, ${s.rateBpm}/min`).toBeLessThan(10);
				}
			}
		}
	});
});
