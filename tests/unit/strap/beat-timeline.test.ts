import { describe, expect, it } from 'vitest';
import { BEAT_FLAG, BeatTimeline } from '$lib/strap/beat-timeline';
import type { HeartRateMeasurement } from '$lib/strap/hrm-packet';

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
