import { describe, expect, it } from 'vitest';
import {
	autoPairs,
	comparisonVerdict,
	currentNoise,
	groupChange,
	noiseOf,
	localDayKey,
	noiseJudgeable,
	pairedChange,
	personalBaseline,
	practiceStreak,
	singlePairChange,
	studentTQuantile,
	type Reading
} from '$lib/analysis';

const DAY = 86_400_000;
const day0 = new Date(2026, 0, 1, 7, 0).getTime();

describe("Student's t quantiles", () => {
	it('matches published 97.5 % values', () => {
		// scipy.stats.t.ppf(0.975, df)
		const cases: [number, number][] = [
			[1, 12.70620474],
			[5, 2.57058184],
			[10, 2.22813885],
			[30, 2.04227246],
			[1000, 1.96233908],
			[5.882352941176471, 2.458823709699146]
		];
		for (const [df, t] of cases) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 6);
		expect(studentTQuantile(0.025, 5)).toBeCloseTo(-2.57058184, 6);
	});
});

describe('personal baseline', () => {
	it('gives the rolling 60-day mean ± SD and the 7-day average, from the fifth reading', () => {
		const points = [10, 12, 14, 16, 18, 20].map((v, i) => ({ t: day0 + i * DAY, v }));
		const b = personalBaseline(points);
		expect(b[3].mean).toBeUndefined();
		expect(b[4].mean).toBeCloseTo(14, 10);
		expect(b[4].sd).toBeCloseTo(Math.sqrt(10), 10);
		expect(b[5].mean).toBeCloseTo(15, 10);
		expect(b[5].sd).toBeCloseTo(Math.sqrt(14), 10);
		expect(b[5].avg7).toBeCloseTo(15, 10);
	});

	it('forgets readings older than 60 days and averages only the last 7 days', () => {
		const old = Array.from({ length: 10 }, (_, i) => ({ t: day0 + i * DAY, v: 100 }));
		const recent = Array.from({ length: 10 }, (_, i) => ({ t: day0 + (100 + i) * DAY, v: 50 + i }));
		const b = personalBaseline([...recent, ...old]);
		const last = b.at(-1)!;
		expect(last.mean).toBeCloseTo(54.5, 10);
		// Days 103..109 are within 7 days of day 109.
		expect(last.avg7).toBeCloseTo((53 + 54 + 55 + 56 + 57 + 58 + 59) / 7, 10);
		const noise = currentNoise([...recent, ...old])!;
		expect(noise.sd).toBeCloseTo(Math.sqrt(82.5 / 9), 10);
		expect(noise.swc).toBeCloseTo(0.5 * noise.sd, 12);
		expect(noise.n).toBe(10);
	});

	it('gives as the current noise exactly the last point of the baseline', () => {
		// Irregular times (two a day, with gaps), values with long decimals, some not finite.
		let seed = 7;
		const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
		const points = Array.from({ length: 2000 }, (_, i) => ({
			t: day0 + i * 0.5 * DAY + (i % 9 === 0 ? 20 * DAY : 0) + random() * 3_600_000,
			v: i % 97 === 0 ? NaN : 3 + random() * 1.7
		}));
		expect(currentNoise(points)).toEqual(noiseOf(personalBaseline(points)));
		// Fewer than five readings in the last 60 days: no noise from either.
		const sparse = [0, 70, 140, 141].map((d) => ({ t: day0 + d * DAY, v: d }));
		expect(currentNoise(sparse)).toBeUndefined();
		expect(noiseOf(personalBaseline(sparse))).toBeUndefined();
		expect(currentNoise([])).toBeUndefined();
	});

	it('handles 2,000 sessions in one pass', () => {
		const many = Array.from({ length: 2000 }, (_, i) => ({ t: day0 + i * 0.5 * DAY, v: i % 7 }));
		const b = personalBaseline(many);
		expect(b).toHaveLength(2000);
		// 60 days at two readings a day: 120 readings of the repeating 0..6 pattern.
		expect(b.at(-1)!.mean).toBeGreaterThan(2.9);
		expect(b.at(-1)!.mean).toBeLessThan(3.1);
	});
});

describe('practice streak', () => {
	it('counts consecutive days up to today, or up to yesterday while today is open', () => {
		const days = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-05', '2026-01-06'];
		expect(practiceStreak(days, '2026-01-06')).toEqual({ current: 2, longest: 3, days: 5 });
		expect(practiceStreak(days, '2026-01-07').current).toBe(2);
		expect(practiceStreak(days, '2026-01-08').current).toBe(0);
	});
	it('crosses month and year ends', () => {
		expect(practiceStreak(['2025-12-31', '2026-01-01'], '2026-01-01').current).toBe(2);
		expect(practiceStreak(['2026-02-28', '2026-03-01'], '2026-03-01').current).toBe(2);
		expect(localDayKey(new Date(2026, 2, 1, 23, 59).getTime())).toBe('2026-03-01');
	});
	it('counts a leap day and the days clocks change as one day each', () => {
		const leap = ['2028-02-28', '2028-02-29', '2028-03-01'];
		expect(practiceStreak(leap, '2028-03-01')).toEqual({ current: 3, longest: 3, days: 3 });
		// Europe's and the USA's spring and autumn changes of 2026.
		const clocks = ['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-28', '2026-03-29'];
		const autumn = ['2026-10-24', '2026-10-25', '2026-10-26', '2026-11-01', '2026-11-02'];
		expect(practiceStreak([...clocks, ...autumn], '2026-11-02')).toEqual({
			current: 2,
			longest: 3,
			days: 10
		});
	});
});

const r = (
	id: string,
	dayOffset: number,
	hour: number,
	phase: Reading['phase'],
	routine = 'CR'
) => ({
	id,
	startedAt: day0 + dayOffset * DAY + (hour - 7) * 3_600_000,
	phase,
	routine
});

describe('automatic pairing', () => {
	it('pairs each after with the latest unused before of the same routine on the same day', () => {
		const pairs = autoPairs([
			r('a2', 0, 9, 'after'),
			r('b1', 0, 7, 'before'),
			r('b2', 0, 8, 'before'),
			r('x', 0, 8.5, 'before', 'Other'),
			r('n', 0, 8.7, 'none'),
			r('a3', 1, 7, 'after'), // no before that day
			r('b4', 2, 10, 'before'), // before after the after: not a pair
			r('a4', 2, 9, 'after'),
			r('b5', 3, 7, 'before'),
			r('a5', 3, 8, 'after'),
			r('a6', 3, 9, 'after') // b5 already used
		]);
		expect(pairs.map((p) => [p.before.id, p.after.id])).toEqual([
			['b2', 'a2'],
			['b5', 'a5']
		]);
	});
});

describe('comparison statistics', () => {
	it('gives the paired mean change with a t interval', () => {
		const c = pairedChange([1, 2, 3, 4, 5], 2);
		expect(c.mean).toBe(3);
		expect(c.ciLow).toBeCloseTo(3 - (2.7764451 * Math.sqrt(2.5)) / Math.sqrt(5), 6);
		expect(c.ciHigh).toBeCloseTo(4.9632, 4);
		expect(c.clear).toBe(true);
		expect(c.swc).toBe(1);
		expect(c.exceedsNoise).toBe(true);
	});

	it("gives Welch's interval for two groups", () => {
		// scipy.stats.ttest_ind([2,4,6,8,10],[1,2,3,4,5], equal_var=False).confidence_interval()
		const c = groupChange([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
		expect(c.mean).toBe(3);
		expect(c.ciLow).toBeCloseTo(-0.887741643736975, 8);
		expect(c.ciHigh).toBeCloseTo(6.887741643736975, 8);
		expect(c.clear).toBe(false);
	});

	it('judges a single pair against day-to-day noise only', () => {
		expect(singlePairChange(-3, 2).clear).toBe(false); // within ±5.5
		expect(singlePairChange(-8, 2).exceedsNoise).toBe(true);
		expect(singlePairChange(-8, undefined).clear).toBe(false);
	});

	it('answers "beyond noise?" only once the noise is known and there is an interval', () => {
		// A newcomer's one pair: no noise, no interval (the table said "No" while the verdict said
		// it could not tell).
		expect(noiseJudgeable(singlePairChange(-7.4, undefined))).toBe(false);
		// Six pairs with an interval but no known noise yet: clear, yet not judgeable against noise.
		const early = pairedChange([-4, -5, -3, -6, -4, -5]);
		expect(early.clear).toBe(true);
		expect(noiseJudgeable(early)).toBe(false);
		expect(noiseJudgeable(singlePairChange(-3, 2))).toBe(true);
		expect(noiseJudgeable(pairedChange([-4, -5, -3, -6, -4, -5], 3))).toBe(true);
		// Two groups of one: no interval.
		expect(noiseJudgeable(groupChange([70], [65], 3))).toBe(false);
	});

	it('says a clear, worthwhile improvement is encouraging, never proof', () => {
		const v = comparisonVerdict({
			settledHr: pairedChange([-4, -5, -3, -6, -4, -5], 3),
			settledLnRmssd: pairedChange([0.1, -0.1, 0.05, 0, 0.02, -0.03], 0.3)
		});
		expect(v).toMatch(
			/^Across 6 before\/after pairs, settled heart rate fell by 4\.5 bpm after the routine/
		);
		expect(v).toMatch(/cannot prove/);
		expect(v).toMatch(/other figures show no clear change/);
	});

	it('says plainly when nothing changed clearly, or there is too little data', () => {
		expect(comparisonVerdict({ settledHr: pairedChange([-1, 1, -2, 2, 0], 3) })).toMatch(
			/no clear change/
		);
		expect(comparisonVerdict({ settledHr: pairedChange([-5, -6], 3) })).toMatch(/too wide/);
		expect(comparisonVerdict({ settledHr: singlePairChange(-2, 3) })).toMatch(
			/says nothing either way/
		);
		expect(comparisonVerdict({ settledHr: singlePairChange(-2, undefined) })).toMatch(
			/does not know your day-to-day variation/
		);
		expect(comparisonVerdict({})).toMatch(/not enough data/);
	});

	it('reports a clear change that is smaller than worthwhile as such', () => {
		const v = comparisonVerdict({ settledHr: pairedChange([-1, -1.1, -0.9, -1, -1.05], 5) });
		expect(v).toMatch(/smaller than what counts as worthwhile/);
	});

	it('says so when readings after the routine are clearly less settled', () => {
		const v = comparisonVerdict({ settledHr: pairedChange([4, 5, 6, 5, 4], 2) });
		expect(v).toMatch(
			/settled heart rate rose by 4\.8 bpm after the routine, beyond your day-to-day noise: the readings after it end less settled/
		);
	});

	it('names both sides of a mixed answer', () => {
		const v = comparisonVerdict({
			settledHr: pairedChange([-5, -6, -4, -5, -6], 2),
			settledLnRmssd: pairedChange([0.3, 0.4, 0.35, 0.3, 0.4], 0.1),
			tauS: pairedChange([80, 90, 100, 85, 95], 20)
		});
		expect(v).toMatch(/^A mixed answer across 5 before\/after pairs/);
		expect(v).toMatch(/settled heart rate fell by 5\.2 bpm and settled lnRMSSD rose by 0\.35/);
		expect(v).toMatch(/but calm-down time constant rose by 90 s, which is worse/);
		expect(v).not.toMatch(/less settled/);
	});

	it('never calls lower heart rate with higher lnRMSSD "less settled"', () => {
		// Heart rate clearly lower; lnRMSSD a little higher but within noise; τ clearly longer.
		const v = comparisonVerdict({
			settledHr: pairedChange([-1, -1.2, -0.8, -1.1, -0.9], 0.5),
			settledLnRmssd: pairedChange([0.05, -0.02, 0.08, 0.01, 0.03], 0.2),
			tauS: pairedChange([80, 90, 100, 85, 95], 20)
		});
		expect(v).not.toMatch(/less settled/);
		expect(v).toMatch(/A mixed answer/);
		const onlyTau = comparisonVerdict({
			settledHr: pairedChange([-0.5, 0.5, -0.2, 0.1, 0], 3),
			settledLnRmssd: pairedChange([0.05, -0.02, 0.08, 0.01, 0.03], 0.2),
			tauS: pairedChange([80, 90, 100, 85, 95], 20)
		});
		expect(onlyTau).toMatch(/calm-down time constant rose by 90 s/);
		expect(onlyTau).toMatch(/you ended no less settled/);
	});

	it('judges where readings ended, not how far they moved, and explains a calm start', () => {
		// After readings start calm: they settle 6 bpm less, yet end 6 bpm lower.
		const v = comparisonVerdict({
			settledHr: pairedChange([-6, -5.5, -6.5, -6, -5.8, -6.2], 1.5),
			settledLnRmssd: pairedChange([0.45, 0.5, 0.4, 0.48, 0.52, 0.47], 0.15),
			hrDrop: pairedChange([-6, -7, -5, -6, -6.5, -5.5], 2),
			lnRmssdRise: pairedChange([-0.2, -0.3, -0.25, -0.2, -0.3, -0.25], 0.1)
		});
		expect(v).toMatch(/^Across 6 before\/after pairs, settled heart rate fell by 6\.0 bpm/);
		expect(v).toMatch(/started calmer, so there was less to settle/);
		expect(v).not.toMatch(/less settled|worse/);
	});

	it('a single pair with one better and one worse figure is a mixed morning', () => {
		const v = comparisonVerdict({
			settledHr: singlePairChange(-9, 2),
			settledLnRmssd: singlePairChange(-0.8, 0.2)
		});
		expect(v).toMatch(/mixed morning/);
		expect(v).toMatch(/settled heart rate is a better result/);
	});
});

describe('a change that rounds to nothing', () => {
	it('reads "did not change", never "rose by 0.0 bpm"', () => {
		const v = comparisonVerdict({ settledHr: singlePairChange(0.02, 3) });
		expect(v).toContain('did not change');
		expect(v).not.toMatch(/(rose|fell) by 0\.0\b/);
		expect(comparisonVerdict({ settledHr: singlePairChange(-1.5, 3) })).toMatch(/fell by 1\.5/);
	});
});
