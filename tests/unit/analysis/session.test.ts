import { describe, expect, it } from 'vitest';
import { calmDown, fitDecay, timeDomain } from '$lib/analysis';

/** A settling heart: HR(t) = base + drop·e^(−t/150) bpm with seeded beat noise, for `minutes`. */
function settling(minutes: number, seed = 4, base = 62, drop = 13): number[] {
	let s = seed;
	const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
	const rr: number[] = [];
	let t = 0;
	while (t < minutes * 60000) {
		const hr = base + drop * Math.exp(-t / 1000 / 150);
		const v = 60000 / hr + 25 * rand() * (0.5 + t / (minutes * 60000));
		rr.push(v);
		t += v;
	}
	return rr;
}

describe('calm-down metrics', () => {
	const rr = settling(10);
	const c = calmDown(rr);

	it('recovers the time constant and asymptote of a noisy exponential decay', () => {
		expect(c.fit.decays).toBe(true);
		expect(Math.abs(c.fit.tauS - 150) / 150).toBeLessThan(0.1);
		expect(Math.abs(c.fit.asymptoteBpm - 62)).toBeLessThan(1);
		expect(Math.abs(c.fit.startBpm - 75)).toBeLessThan(1.5);
		expect(c.fit.r2).toBeGreaterThan(0.8);
	});

	it('first and last two minutes equal direct computations', () => {
		let t = 0;
		const first: number[] = [];
		const last: number[] = [];
		const total = rr.reduce((a, b) => a + b, 0);
		for (const v of rr) {
			t += v;
			if (t <= 120000) first.push(v);
			if (t > total - 120000) last.push(v);
		}
		expect(c.first.rmssd).toBeCloseTo(timeDomain(first).rmssd, 9);
		expect(c.last.rmssd).toBeCloseTo(timeDomain(last).rmssd, 9);
		expect(c.first.hr).toBeCloseTo(60000 / timeDomain(first).meanNN, 9);
		expect(c.last.lnRmssd).toBeCloseTo(Math.log(timeDomain(last).rmssd), 9);
		expect(c.first.hr - c.last.hr).toBeGreaterThan(8);
		expect(c.lnRmssdSlopePerMin).toBeGreaterThan(0);
		expect(c.windowS).toBe(120);
		expect(c.shortSession).toBe(false);
	});

	it('halves the windows for a session under four minutes and says so', () => {
		const short = calmDown(settling(3));
		expect(short.shortSession).toBe(true);
		expect(short.windowS).toBeCloseTo(90, 0);
	});

	it('finds no decay in a flat or rising heart rate', () => {
		const flat = Array.from({ length: 30 }, (_, i) => ({ x: i * 5, y: 70 + (i % 2) }));
		expect(fitDecay(flat).decays).toBe(false);
		const rising = Array.from({ length: 30 }, (_, i) => ({
			x: i * 5,
			y: 60 + 10 * (1 - Math.exp(-i / 8))
		}));
		expect(fitDecay(rising).decays).toBe(false);
	});

	it('keeps settling and the settled level apart', () => {
		expect(c.settling.hrDropBpm).toBeCloseTo(c.first.hr - c.last.hr, 12);
		expect(c.settling.lnRmssdRise).toBeCloseTo(c.last.lnRmssd - c.first.lnRmssd, 12);
		expect(c.settling.tauS).toBe(c.fit.tauS);
		// Ten minutes: the settled level is the last two, the same window as `last`.
		expect(c.settled.fromS).toBeCloseTo(c.settled.toS - 120, 9);
		expect(c.settled.hr).toBeCloseTo(c.last.hr, 9);
		expect(c.settled.hr).toBeGreaterThan(61);
		expect(c.settled.hr).toBeLessThan(64);
	});

	it('never takes the settle-in into the settled level', () => {
		const short = calmDown(settling(2));
		// 2 minutes: everything after the first 30 s.
		expect(short.settled.fromS).toBe(30);
		const rr = settling(2);
		let t = 0;
		const after: number[] = [];
		for (const v of rr) {
			t += v;
			if (t > 30000) after.push(v);
		}
		expect(short.settled.hr).toBeCloseTo(60000 / timeDomain(after).meanNN, 9);
		const tooShort = calmDown(settling(0.9));
		expect(tooShort.settled.hr).toBeNaN();
	});

	it('a calm-start reading settles less yet ends more settled', () => {
		// Before: 75 → 62 bpm. After: starts at 61 and ends near 56.
		const before = calmDown(settling(5, 4, 62, 13));
		const after = calmDown(settling(5, 9, 56, 5));
		expect(after.settling.hrDropBpm).toBeLessThan(before.settling.hrDropBpm - 3);
		expect(after.settled.hr).toBeLessThan(before.settled.hr - 4);
	});
});
