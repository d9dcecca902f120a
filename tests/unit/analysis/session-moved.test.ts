/**
 * Where the person moved, the settled level and the settling leave those beats out (and the half
 * minute of recovery after): a settling heart of known level with a shift of position late in the
 * session, its heart rate jumping 25 bpm and coming back over 30 s.
 */
import { describe, expect, it } from 'vitest';
import { AFTER_MOVING_S, calmDown, stillBeats } from '$lib/analysis';

const BASE = 60;

/** 10 minutes settling from 73 to 60 bpm (τ 100 s); a shift at `movedAtS` for 15 s, if any. */
function session(movedAtS?: number) {
	let s = 11;
	const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
	const rr: number[] = [];
	const t: number[] = [];
	let now = 0;
	while (now < 600_000) {
		const ts = now / 1000;
		let hr = BASE + 13 * Math.exp(-ts / 100);
		if (movedAtS !== undefined && ts >= movedAtS) {
			const since = ts - movedAtS;
			// Up 25 bpm while moving (15 s), then back with a 10 s time constant.
			hr += since < 15 ? 25 : 25 * Math.exp(-(since - 15) / 10);
		}
		const v = 60000 / hr + 20 * rand();
		now += v;
		rr.push(v);
		t.push(now);
	}
	return { rr, t };
}

describe('the calm-down figures where the person moved', () => {
	const still = session();
	const moving = session(520);
	const moved = [{ startMs: 519_000, endMs: 537_000 }];

	it('reads the settled level the movement raised when it is not told', () => {
		const blind = calmDown(moving.rr, moving.t);
		expect(blind.settled.hr - BASE).toBeGreaterThan(3);
		expect(blind.settled.leftOutS).toBe(0);
	});

	it('reads the settled level of the still beats once told where the person moved', () => {
		const told = calmDown(moving.rr, moving.t, moved);
		const truth = calmDown(still.rr, still.t);
		expect(Math.abs(told.settled.hr - BASE)).toBeLessThan(1);
		expect(Math.abs(told.settled.hr - truth.settled.hr)).toBeLessThan(0.6);
		expect(Math.abs(told.settled.lnRmssd - truth.settled.lnRmssd)).toBeLessThan(0.15);
		// 18 s of movement and 30 s of recovery fall inside the last two minutes.
		expect(told.settled.leftOutS).toBeCloseTo(18 + AFTER_MOVING_S, 6);
		// The settling's drop and time constant are those of the still heart.
		expect(Math.abs(told.settling.hrDropBpm - truth.settling.hrDropBpm)).toBeLessThan(1);
		expect(Math.abs(told.fit.tauS - truth.fit.tauS) / truth.fit.tauS).toBeLessThan(0.15);
	});

	it('leaves out each beat overlapping a movement or its recovery, and no other', () => {
		const keep = stillBeats(moving.rr, moving.t, moved)!;
		moving.t.forEach((ti, i) => {
			const inside = ti > 519_000 && ti - moving.rr[i] < 537_000 + AFTER_MOVING_S * 1000;
			expect(keep[i]).toBe(inside ? 0 : 1);
		});
		expect(stillBeats(moving.rr, moving.t, [])).toBeUndefined();
	});

	it('changes nothing when nobody moved', () => {
		const a = calmDown(still.rr, still.t);
		const b = calmDown(still.rr, still.t, []);
		expect(b.settled).toEqual(a.settled);
		expect(b.fit).toEqual(a.fit);
	});

	it('says the settled level is unknown when the person moved through all of it', () => {
		const c = calmDown(moving.rr, moving.t, [{ startMs: 470_000, endMs: 600_000 }]);
		expect(Number.isNaN(c.settled.hr)).toBe(true);
		expect(c.settled.leftOutS).toBeCloseTo(120, 6);
	});
});
