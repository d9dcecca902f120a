import { describe, expect, it } from 'vitest';
import { BEAT_FLAG, BeatTimeline, type Beat } from '$lib/strap/beat-timeline';
import { corrections, correctedTimes, shiftAt } from '$lib/strap/beat-correction';
import type { HeartRateMeasurement } from '$lib/strap/hrm-packet';
import { gaussian, mulberry32 } from '$lib/strap/demo/random';
import { onTickGrid, strapPackets, type Delivery } from '../../fixtures/strap-packets';

const m = (
	rrMs: number[],
	contact: HeartRateMeasurement['contact'] = 'contact'
): HeartRateMeasurement => ({
	bpm: 70,
	contact,
	rrMs,
	rrTicks: rrMs.map((v) => Math.round(v * 1.024)),
	rrPresent: rrMs.length > 0
});

describe('BeatTimeline', () => {
	it('times beats by the RR sum, anchored to the first arrival', () => {
		const tl = new BeatTimeline(10_000);
		const a = tl.add(m([800, 810]), 12_000);
		expect(a.map((b) => b.timeMs)).toEqual([1190, 2000]);
		const b = tl.add(m([820]), 13_100);
		expect(b[0].timeMs).toBe(2820);
		expect(tl.beatCount).toBe(3);
	});

	it('tolerates BLE jitter and buffered packets without gaps', () => {
		const tl = new BeatTimeline(0);
		let t = 0;
		for (let i = 0; i < 100; i++) {
			t += 1000;
			const jitter = ((i * 37) % 11) * 80 - 400;
			tl.add(m([1000]), t + jitter);
		}
		expect(tl.gaps).toEqual([]);
	});

	it('records one gap for a 20 s link loss and marks the next beat', () => {
		const tl = new BeatTimeline(0);
		for (let i = 1; i <= 10; i++) tl.add(m([1000]), i * 1000);
		tl.linkLost(10_500);
		tl.linkRestored(30_000);
		const [after] = tl.add(m([1000]), 31_000);
		expect(tl.gaps).toHaveLength(1);
		expect(tl.gaps[0]).toMatchObject({ startMs: 10_000, endMs: 30_000, reason: 'link-lost' });
		expect(after.timeMs).toBe(31_000);
		expect(after.flags & BEAT_FLAG.AFTER_GAP).toBeTruthy();
	});

	it('notices beats missing while the link stayed up', () => {
		const tl = new BeatTimeline(0);
		for (let i = 1; i <= 5; i++) tl.add(m([1000]), i * 1000);
		tl.add(m([1000]), 15_000);
		expect(tl.gaps).toEqual([{ startMs: 5000, endMs: 14_000, reason: 'missing-beats' }]);
	});

	it('flags values that cannot be beats, and the bogus first value, without dropping them', () => {
		const tl = new BeatTimeline(0);
		const beats = tl.add(m([5, 800, 3000, 200]), 5000);
		expect(beats.map((b) => b.rrMs)).toEqual([5, 800, 3000, 200]);
		expect(beats[0].flags).toBe(BEAT_FLAG.IMPLAUSIBLE | BEAT_FLAG.SUSPECT_FIRST);
		expect(beats[1].flags).toBe(0);
		expect(beats[2].flags).toBe(BEAT_FLAG.IMPLAUSIBLE);
		expect(beats[3].flags).toBe(BEAT_FLAG.IMPLAUSIBLE);
	});

	it('marks beats sent without skin contact', () => {
		const tl = new BeatTimeline(0);
		const [b] = tl.add(m([900], 'no-contact'), 1000);
		expect(b.flags & BEAT_FLAG.NO_CONTACT).toBeTruthy();
	});

	it('never lets beat times go backwards, even with early arrivals', () => {
		const tl = new BeatTimeline(0);
		const times: number[] = [];
		const arrivals = [5000, 3000, 3100, 20_000, 19_000, 40_000];
		for (const at of arrivals) times.push(...tl.add(m([900, 950]), at).map((b) => b.timeMs));
		for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
	});

	it('ignores packets that carry no RR', () => {
		const tl = new BeatTimeline(0);
		expect(tl.add(m([]), 1000)).toEqual([]);
	});
});

/** A resting heart with a 6 a minute swing, from 5 s before the session starts (ms, true times). */
function heart(seed: number, durationS: number) {
	const rand = mulberry32(seed + 100);
	const t: number[] = [];
	for (let s = -5000; s < durationS * 1000;) {
		s += 60000 / (66 + 9 * Math.sin((2 * Math.PI * s) / 10_000) + 2 * gaussian(rand));
		t.push(s);
	}
	return onTickGrid(t);
}

/** The heart's packets through a timeline started at the session's start (true time 0). */
function timed(
	h: { timeMs: number[]; rrMs: number[] },
	d: Delivery,
	silence?: { fromMs: number; toMs: number; linkLost: boolean }
) {
	const tl = new BeatTimeline(0);
	const beats: Beat[] = [];
	const truth: number[] = [];
	let lost = false;
	const silent = silence && [silence];
	for (const p of strapPackets(h.timeMs, h.rrMs, { fromMs: 0, silent, ...d })) {
		if (silence?.linkLost && !lost && p.atMs > silence.fromMs) {
			tl.linkLost(silence.fromMs + 500);
			tl.linkRestored(silence.toMs);
			lost = true;
		}
		tl.add(p.measurement, p.atMs).forEach((b, j) => {
			beats.push(b);
			truth.push(h.timeMs[p.firstBeat + j]);
		});
	}
	const corrected = correctedTimes(beats, corrections(tl));
	return {
		tl,
		beats,
		corrected,
		/** How late each beat is: placed live, and corrected. */
		liveLateMs: beats.map((b, i) => b.timeMs - truth[i]),
		lateMs: Array.from(corrected, (t, i) => t - truth[i])
	};
}

const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
/** The strap's 1 s tick, one BLE connection interval (10-50 ms), the first packet 0-1 s late. */
const BLE: Delivery = { transportMs: [10, 50], firstDelayMs: 1000 };
/** ... and every packet a further 0-1 s late (a poor link, a busy page), in order. */
const JITTERED: Delivery = { ...BLE, jitterMs: 1000 };

describe('BeatTimeline: beat times right on average', () => {
	it('puts a session’s beats within 60 ms of the truth, from packets sent on the strap’s tick', () => {
		// Live, beats are placed as if the first packet had no latency: 0.1-2 s late for a whole
		// session. The smallest lag over the session's packets gives that back, to within the
		// smallest latency: the transport (10 ms here) and the shortest wait for a send.
		for (let seed = 1; seed <= 10; seed++) {
			const { liveLateMs, lateMs, beats, corrected } = timed(heart(seed, 900), { ...BLE, seed });
			expect(mean(liveLateMs), `seed ${seed}`).toBeGreaterThan(100);
			expect(Math.min(...lateMs), `seed ${seed}`).toBeGreaterThanOrEqual(0);
			expect(Math.max(...lateMs), `seed ${seed}`).toBeLessThan(60);
			// Live times stay as they were placed; the correction keeps every interval.
			expect(beats.every((b, i) => i === 0 || b.timeMs - beats[i - 1].timeMs === b.rrMs)).toBe(
				true
			);
			for (let i = 1; i < beats.length; i++) {
				expect(corrected[i] - corrected[i - 1]).toBeCloseTo(beats[i].rrMs, 6);
			}
		}
	});

	it('stays within about 0.1 s when every packet is a further 0-1 s late', () => {
		// Then the smallest latency of a 15-minute session is the sum of two waits of 0-1 s: the
		// bias is about √(π/2N) s over N packets (measured over 200 sessions: mean 70 ms, 95 % under
		// 105 ms, at most 160 ms; live, 0.9-2.7 s).
		const late = [];
		for (let seed = 1; seed <= 10; seed++) {
			const { lateMs } = timed(heart(seed, 900), { ...JITTERED, seed });
			expect(Math.min(...lateMs), `seed ${seed}`).toBeGreaterThanOrEqual(0);
			expect(Math.max(...lateMs), `seed ${seed}`).toBeLessThan(160);
			late.push(mean(lateMs));
		}
		expect(mean(late)).toBeLessThan(100);
	});

	it('corrects each stretch between gaps on its own, and keeps the gaps between them', () => {
		for (let seed = 1; seed <= 6; seed++) {
			// A link lost for 20 s, or beats missing for 10 s while it stayed up.
			const linkLost = seed % 2 === 1;
			const silence = { fromMs: 200_000, toMs: linkLost ? 220_000 : 210_000, linkLost };
			const { tl, beats, corrected, lateMs, liveLateMs } = timed(
				heart(seed, 600),
				{ ...BLE, seed },
				silence
			);
			const [gap] = tl.gaps;
			expect(tl.gaps).toHaveLength(1);
			expect(gap.reason).toBe(linkLost ? 'link-lost' : 'missing-beats');
			const all = corrections(tl);
			expect(all).toHaveLength(2);
			const after = beats.findIndex((b) => b.flags & BEAT_FLAG.AFTER_GAP);
			expect(all[1].firstBeat).toBe(after);
			// Re-anchored after the gap as after the start: late again live, right once corrected.
			expect(liveLateMs[after]).toBeGreaterThan(10);
			expect(Math.min(...lateMs), `seed ${seed}`).toBeGreaterThanOrEqual(0);
			expect(Math.max(...lateMs), `seed ${seed}`).toBeLessThan(60);
			// The gap moves with its stretches: it starts at the last beat before it and ends where
			// the first interval after it begins.
			expect(gap.startMs + shiftAt(tl, gap.startMs)).toBeCloseTo(corrected[after - 1], 6);
			expect(gap.endMs + shiftAt(tl, gap.endMs, true)).toBeCloseTo(
				corrected[after] - beats[after].rrMs,
				6
			);
		}
	});

	it('never moves a stretch back over the one before it', () => {
		const tl = new BeatTimeline(0);
		for (let i = 1; i <= 10; i++) tl.add(m([1000]), i * 1000);
		tl.linkLost(10_200);
		tl.linkRestored(10_400);
		// The next beats come early: on their own they would go 500 ms back, before the last beat.
		tl.add(m([1000]), 10_500);
		tl.add(m([1000]), 11_600);
		expect(tl.gaps).toEqual([{ startMs: 10_000, endMs: 10_000, reason: 'link-lost' }]);
		expect(corrections(tl).map((c) => c.shiftMs)).toEqual([0, 0]);
	});

	it('leaves the beats saved before a resumed session where they are', () => {
		const tl = new BeatTimeline(0);
		tl.resumeAfter(60_000);
		const beats = [...tl.add(m([900]), 61_000), ...tl.add(m([900]), 61_500)];
		// Anchored live at 60.1 s; the second packet came 400 ms before its placed end, so the
		// stretch would go 400 ms back, which puts its first interval before the saved beats' end:
		// it goes back the 100 ms the gap left.
		expect(beats.map((b) => b.timeMs)).toEqual([61_000, 61_900]);
		expect(tl.gaps).toEqual([{ startMs: 60_000, endMs: 60_100, reason: 'link-lost' }]);
		expect(tl.stretches).toEqual([
			{ firstBeat: 0, fromMs: 60_100, afterMs: 60_000, minLagMs: -400, packets: 2 }
		]);
		expect(corrections(tl)).toEqual([{ firstBeat: 0, fromMs: 60_100, shiftMs: -100 }]);
		expect(correctedTimes(beats, corrections(tl))).toEqual(Float64Array.from([60_900, 61_800]));
		// The gap's start is the last saved beat, which stays; its end moves with the new beats.
		expect(shiftAt(tl, 60_000)).toBe(0);
		expect(shiftAt(tl, 60_100, true)).toBe(-100);
	});
});
