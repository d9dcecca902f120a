import { describe, expect, it } from 'vitest';
import {
	EASE_STEP,
	FollowGuide,
	MAX_LEAD,
	followUnavailable,
	guideMode,
	type FollowInput
} from '$lib/practice/follow-pacer';
import { breathAt, breathsPerMinute, type BreathPattern } from '$lib/practice/pacer';
import type { LiveBreathFigures } from '$lib/breath-measured/live';

const TARGET: BreathPattern = { inhaleS: 4, exhaleS: 6 };
const T0 = 1_700_000_000_000;

/** What live.ts reports after a breath of `lengthS` (in-share 1/(1+ratio)) ended at `endMs`. */
function figures(endMs: number, ratePerMin: number, ratio: number, moving = false) {
	const lengthMs = 60_000 / ratePerMin;
	const inMs = lengthMs / (1 + ratio);
	const last = {
		inStartMs: endMs - lengthMs,
		outStartMs: endMs - lengthMs + inMs,
		endMs,
		depthMg: 20
	};
	return { ratePerMin, ratio, last, moving, count: 5 } satisfies LiveBreathFigures;
}

const input = (nowMs: number, measured?: LiveBreathFigures, streaming = true): FollowInput => ({
	nowMs,
	measured,
	streaming
});

describe('the pacer following the measured breath', () => {
	it('leads at the target in lead mode, on its own clock', () => {
		const v = new FollowGuide().view('lead', TARGET, input(T0, figures(T0, 8, 1)), 12.5);
		expect(v).toEqual({ pattern: TARGET, elapsedS: 12.5, source: 'target' });
	});

	it("shows the person's own rate and ratio, its cycle starting at their last in-breath", () => {
		const g = new FollowGuide();
		// Breathing 8 a minute (7.5 s), out 1.5× the in-breath (3 s in, 4.5 s out).
		const v = g.view('follow', TARGET, input(T0 + 2000, figures(T0, 8, 1.5)), 99);
		expect(v.source).toBe('measured');
		expect(v.pattern).toEqual({ inhaleS: 3, exhaleS: 4.5 });
		expect(v.elapsedS).toBeCloseTo(2, 9);
		expect(breathAt(v.elapsedS, v.pattern).phase).toBe('in');
		// 4 s after the in-breath began, the measured person is breathing out: so is the pacer.
		const later = g.view('follow', TARGET, input(T0 + 4000, figures(T0, 8, 1.5)), 99);
		expect(breathAt(later.elapsedS, later.pattern).phase).toBe('out');
		expect(v.note).toMatch(/Following your breathing.*8\.0 a minute, out-breath 1\.5×/);
	});

	it('moves its anchor to each newly measured breath', () => {
		const g = new FollowGuide();
		g.view('follow', TARGET, input(T0 + 1000, figures(T0, 8, 1.5)), 0);
		const v = g.view('follow', TARGET, input(T0 + 9000, figures(T0 + 7600, 7.9, 1.4)), 0);
		expect(v.elapsedS).toBeCloseTo(1.4, 9);
		expect(breathsPerMinute(v.pattern)).toBeCloseTo(7.9, 1);
	});

	it('eases a person who follows from their own 9 a minute to the target 6, one small step a breath', () => {
		const g = new FollowGuide();
		let own = { rate: 9, ratio: 1 };
		let end = T0;
		const rates: number[] = [];
		const shares: number[] = [];
		for (let i = 0; i < 40; i++) {
			const v = g.view('ease', TARGET, input(end + 500, figures(end, own.rate, own.ratio)), 0);
			const rate = breathsPerMinute(v.pattern);
			rates.push(rate);
			shares.push(v.pattern.exhaleS / (v.pattern.inhaleS + v.pattern.exhaleS));
			// This person breathes exactly as the guide shows.
			own = { rate, ratio: v.pattern.exhaleS / v.pattern.inhaleS };
			end += 60_000 / rate;
		}
		expect(rates[0]).toBeCloseTo(9, 1);
		expect(Math.abs(shares[0] - 0.5)).toBeLessThan(0.01);
		for (let i = 1; i < rates.length; i++) {
			// Patterns are rounded to 0.1 s, which moves the rate a little more than the step.
			expect(Math.abs(rates[i] - rates[i - 1])).toBeLessThanOrEqual(EASE_STEP.ratePerMin + 0.15);
			expect(Math.abs(shares[i] - shares[i - 1])).toBeLessThanOrEqual(EASE_STEP.share + 0.015);
		}
		expect(rates.at(-1)).toBeCloseTo(6, 1);
		expect(shares.at(-1)).toBeCloseTo(0.6, 2);
		// About 15 breaths to come down 3 a minute: gentle, not a jump.
		expect(rates.findIndex((r) => r < 6.1)).toBeGreaterThanOrEqual(14);
	});

	it('waits for a person who does not follow: never more than a little ahead of them', () => {
		const g = new FollowGuide();
		let end = T0;
		let v;
		for (let i = 0; i < 30; i++) {
			v = g.view('ease', TARGET, input(end + 500, figures(end, 9, 1)), 0);
			end += 60_000 / 9;
		}
		const rate = breathsPerMinute(v!.pattern);
		expect(rate).toBeGreaterThanOrEqual(9 - MAX_LEAD.ratePerMin - 0.1);
		expect(rate).toBeLessThan(9 - 0.3);
		expect(v!.note).toMatch(
			/Easing you toward 6\.0 a minute.*moves at most 0\.2 a minute each breath/
		);
	});

	it('falls back to leading at the target, saying why, and starts again from the person', () => {
		const g = new FollowGuide();
		const m = figures(T0, 9, 1);
		expect(g.view('ease', TARGET, input(T0 + 500, m), 3).source).toBe('measured');
		const lost = g.view('ease', TARGET, input(T0 + 1500, m, false), 3);
		expect(lost).toMatchObject({ pattern: TARGET, elapsedS: 3, source: 'target' });
		expect(lost.fallback).toBe(
			'Your breathing is not being measured right now: the guide leads at 6.0 a minute.'
		);
		const moved = g.view('ease', TARGET, input(T0 + 1500, figures(T0, 9, 1, true)), 3);
		expect(moved.fallback).toMatch(/^You moved/);
		const stale = g.view('ease', TARGET, input(T0 + 30_000, m), 3);
		expect(stale.fallback).toMatch(/^No breath measured for 30 s: the guide leads at 6\.0/);
		const none = g.view('follow', TARGET, input(T0, undefined), 3);
		expect(none.fallback).toMatch(/^Measuring your breathing/);
		// Measured again: the guide begins at the person's own rate, not where it had eased to.
		const back = g.view('ease', TARGET, input(T0 + 60_500, figures(T0 + 60_000, 9, 1)), 3);
		expect(breathsPerMinute(back.pattern)).toBeCloseTo(9, 1);
	});

	it('a brief loss (under 30 s) does not undo the easing', () => {
		const g = new FollowGuide();
		let end = T0;
		for (let i = 0; i < 3; i++) {
			g.view('ease', TARGET, input(end + 500, figures(end, 9, 1)), 0);
			end += 60_000 / 9;
		}
		const before = breathsPerMinute(
			g.view('ease', TARGET, input(end, figures(end - 6667, 9, 1)), 0).pattern
		);
		expect(before).toBeLessThan(8.8);
		expect(g.view('ease', TARGET, input(end + 1000, figures(end, 9, 1, true)), 0).fallback).toMatch(
			/^You moved/
		);
		const after = g.view('ease', TARGET, input(end + 9000, figures(end + 8000, 9, 1)), 0);
		// Went on from where it was (a restart would be back at the person's own 9).
		expect(breathsPerMinute(after.pattern)).toBeLessThanOrEqual(before);
		expect(breathsPerMinute(after.pattern)).toBeLessThan(8.6);
	});

	it('is not offered without a strap that measures breathing, and says why', () => {
		expect(followUnavailable(undefined)).toMatch(/such as the Polar H10/);
		expect(followUnavailable({ state: 'failed', message: 'the strap refused' })).toMatch(
			/not working: the strap refused/
		);
		expect(followUnavailable({ state: 'streaming' })).toBeUndefined();
		expect(followUnavailable({ state: 'available' })).toBeUndefined();
	});
});

describe('the guide a kept choice gives with this strap', () => {
	it('follows or eases only with a strap that measures breathing', () => {
		expect(guideMode('ease', { state: 'streaming' })).toBe('ease');
		expect(guideMode('follow', { state: 'starting' })).toBe('follow');
		expect(guideMode('follow', undefined)).toBe('lead');
		expect(guideMode('ease', { state: 'failed', message: 'refused' })).toBe('lead');
		expect(guideMode('lead', { state: 'streaming' })).toBe('lead');
	});
});
