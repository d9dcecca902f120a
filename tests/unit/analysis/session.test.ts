import { describe, expect, it } from 'vitest';
import { calmDown, fitDecay, relaxationScore, timeDomain } from '$lib/analysis';

/** A settling heart: HR(t) = 62 + 13·e^(−t/150) bpm with seeded beat noise, for `minutes`. */
function settling(minutes: number, seed = 4): number[] {
	let s = seed;
	const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
	const rr: number[] = [];
	let t = 0;
	while (t < minutes * 60000) {
		const hr = 62 + 13 * Math.exp(-t / 1000 / 150);
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

	it('scores relaxation by the stated formula', () => {
		const base = { rmssd: 0, beats: 100 };
		expect(relaxationScore({ ...base, hr: 70, lnRmssd: 3 }, { ...base, hr: 70, lnRmssd: 3 })).toBe(
			0
		);
		expect(
			relaxationScore({ ...base, hr: 80, lnRmssd: 3 }, { ...base, hr: 72, lnRmssd: 4.5 })
		).toBe(100);
		// 5 % drop → 20; rise 0.25 → 15; level 3.25 → 5.
		expect(
			relaxationScore({ ...base, hr: 80, lnRmssd: 3 }, { ...base, hr: 76, lnRmssd: 3.25 })
		).toBeCloseTo(40, 9);
		expect(c.relaxationScore).toBeGreaterThan(40);
	});
});
