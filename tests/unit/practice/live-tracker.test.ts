/**
 * The live dashboard during slow breathing, fed as a strap feeds it: packets about once a second
 * with the beats since the last one, arriving 0-1 s late, through the beat timeline. A heart that
 * swings 35 bpm with a 5 a minute breath is not "set aside" beat after beat, and its breathing
 * reads 5 a minute live.
 */
import { describe, expect, it } from 'vitest';
import { LiveTracker } from '$lib/practice/live-tracker';
import { BeatTimeline, type Beat } from '$lib/strap/beat-timeline';
import { mulberry32 } from '$lib/strap/demo/random';
import { breathingHeart, type Heart } from '../../fixtures/hearts';

/** The heart's beats as packets: every second, the beats that ended since, delivered late. */
function live(heart: Heart, seed = 1): { tracker: LiveTracker; beats: Beat[] } {
	const rand = mulberry32(seed);
	const timeline = new BeatTimeline(0);
	const tracker = new LiveTracker();
	const beats: Beat[] = [];
	let i = 0;
	let lastArrival = 0;
	for (let sendMs = 1000; i < heart.rrMs.length; sendMs += 1000) {
		const rrTicks: number[] = [];
		while (i < heart.rrMs.length && heart.timeMs[i] <= sendMs)
			rrTicks.push(Math.round((heart.rrMs[i++] * 1024) / 1000));
		if (!rrTicks.length) continue;
		// Late by 0-1 s, but never before the previous packet.
		lastArrival = Math.max(lastArrival, sendMs + 1000 * rand());
		const m = {
			bpm: Math.round(60000 / heart.rrMs[i - 1]),
			contact: 'contact' as const,
			rrTicks,
			rrMs: rrTicks.map((t) => (t * 1000) / 1024),
			rrPresent: true
		};
		for (const beat of timeline.add(m, lastArrival)) {
			tracker.push(beat);
			beats.push(beat);
		}
	}
	return { tracker, beats };
}

describe('live figures in slow breathing, packets 0-1 s late', () => {
	it('sets aside almost no beat of a 35 bpm swing at 5 a minute, and reads the breath', () => {
		for (const seed of [1, 2, 3]) {
			const heart = breathingHeart({ seed, rate: 5, swingBpm: 35, ratio: 2, durationS: 300 });
			const { tracker } = live(heart, seed);
			const { live: figures } = tracker.figures();
			expect(figures.flaggedPercent, `seed ${seed}`).toBeLessThan(1);
			expect(figures.breath?.reliable, `seed ${seed}`).toBe(true);
			expect(Math.abs((figures.respirationRate as number) - 5), `seed ${seed}`).toBeLessThan(0.5);
			expect(figures.respirationRate).toBe(figures.breath?.ratePerMin);
		}
	});

	it('still sets aside premature beats on a calm heart with a small swing', () => {
		const heart = breathingHeart({
			seed: 4,
			rate: 12,
			swingBpm: 6,
			durationS: 300,
			prematureEvery: 30
		});
		const { tracker } = live(heart, 4);
		const share = (100 * heart.premature.length) / heart.rrMs.length;
		// Each premature beat and its pause.
		expect(tracker.figures().live.flaggedPercent).toBeGreaterThan(1.5 * share);
	});
});
