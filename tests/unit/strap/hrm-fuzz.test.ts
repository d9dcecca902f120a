/**
 * A million random payloads through the parser: none may throw, every accepted one must carry
 * finite, in-range values. Then a stream of hostile packets through the whole live path (timeline,
 * live figures, session summary): no NaN may reach a number the user sees.
 */
import { describe, expect, it } from 'vitest';
import { parseHeartRateMeasurement } from '$lib/strap/hrm-packet';
import { BeatTimeline, type Beat } from '$lib/strap/beat-timeline';
import { LiveTracker } from '$lib/practice/live-tracker';
import { computeSummary } from '$lib/review/summary';

function rng(seed: number): () => number {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13;
		s >>>= 0;
		s ^= s >>> 17;
		s ^= s << 5;
		s >>>= 0;
		return s / 4294967296;
	};
}

/** Half pure noise, half well-formed headers with random (sometimes cut) bodies. */
function payload(r: () => number): Uint8Array {
	if (r() < 0.5) {
		const bytes = new Uint8Array(Math.floor(r() * 24));
		for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
		return bytes;
	}
	const flags = Math.floor(r() * 32);
	const body: number[] = [flags, Math.floor(r() * 256)];
	if (flags & 1) body.push(Math.floor(r() * 256));
	if (flags & 8) body.push(Math.floor(r() * 256), Math.floor(r() * 256));
	const rrCount = Math.floor(r() * 5);
	for (let i = 0; i < rrCount; i++) {
		const ticks = Math.floor(r() * 4096);
		body.push(ticks & 0xff, ticks >> 8);
	}
	const cut = r() < 0.2 ? Math.floor(r() * body.length) : body.length;
	return Uint8Array.from(body.slice(0, cut));
}

const finite = (x: number | undefined) => x === undefined || Number.isFinite(x);

describe('Heart Rate Measurement parser under fuzzing', () => {
	it('survives 1,000,000 random payloads with no exception and no non-finite value', () => {
		const r = rng(0x5e771e);
		let accepted = 0;
		let rejected = 0;
		let bad = 0;
		for (let i = 0; i < 1_000_000; i++) {
			const bytes = payload(r);
			const result = parseHeartRateMeasurement(new DataView(bytes.buffer));
			if (!result.ok) {
				rejected++;
				if (!result.error.message) bad++;
				continue;
			}
			accepted++;
			const m = result.value;
			if (!(m.bpm >= 0 && m.bpm <= 65535) || !finite(m.energyKJ)) bad++;
			for (const rr of m.rrMs) if (!(Number.isFinite(rr) && rr >= 0 && rr < 64000)) bad++;
			if (m.rrMs.length !== m.rrTicks.length) bad++;
		}
		expect(bad).toBe(0);
		// Both paths were really exercised.
		expect(accepted).toBeGreaterThan(300_000);
		expect(rejected).toBeGreaterThan(100_000);
	}, 60_000);

	it('lets no NaN reach the live figures or the saved summary', () => {
		const r = rng(42);
		const timeline = new BeatTimeline(0);
		const tracker = new LiveTracker();
		const beats: Beat[] = [];
		let now = 0;
		let nonFinite = 0;
		for (let i = 0; i < 5000; i++) {
			now += 200 + r() * 2000;
			const bytes = payload(r);
			const result = parseHeartRateMeasurement(new DataView(bytes.buffer));
			if (!result.ok) continue;
			for (const beat of timeline.add(result.value, now)) {
				if (!Number.isFinite(beat.timeMs) || !Number.isFinite(beat.rrMs)) nonFinite++;
				tracker.push(beat);
				beats.push(beat);
			}
			const { live, rmssdPoint } = tracker.figures();
			for (const v of Object.values(live)) if (!finite(v)) nonFinite++;
			if (rmssdPoint && !Number.isFinite(rmssdPoint.y)) nonFinite++;
		}
		const summary = computeSummary({
			rrMs: Float64Array.from(beats, (b) => b.rrMs),
			timeMs: Float64Array.from(beats, (b) => b.timeMs),
			flags: Uint8Array.from(beats, (b) => b.flags)
		});
		for (const [key, v] of Object.entries(summary)) {
			if (!finite(v)) throw new Error(`summary.${key} is ${v}`);
		}
		expect(nonFinite).toBe(0);
		expect(beats.length).toBeGreaterThan(1000);
	}, 60_000);
});
