/**
 * Breaths recovered from generated chest recordings of known truth (chest-truth.ts): 5-minute
 * recordings, each breath's length jittered ±8 %, the sensor's noise (3 mG), the heartbeat's jolt
 * and a settling tilt of 3° in every one.
 */
import { describe, expect, it } from 'vitest';
import { record, type Truth } from './chest-truth';
import {
	analyseBreathing,
	type BreathAnalysis,
	type MeasuredBreath
} from '$lib/breath-measured/analyse';
import { summariseBreaths } from '$lib/breath-measured/summary';

function trueSummary(t: Truth) {
	const len = t.breaths.reduce((s, b) => s + b.endS - b.inStartS, 0);
	const out = t.breaths.reduce((s, b) => s + b.endS - b.outStartS, 0);
	return { ratePerMin: (60 * t.breaths.length) / len, ratio: out / (len - out) };
}

/**
 * How many true breaths have a measured one starting near theirs: within 8 % of the breath (at
 * least 0.6 s; the end of a long out-breath is flat, its turn hard to place). At 1:1 the halves
 * look alike and which is "in" cannot be told: either half's start counts.
 */
function matched(t: Truth, a: BreathAnalysis, eitherHalf: boolean): number {
	return t.breaths.filter((tb) => {
		const tol = Math.max(600, 80 * (tb.endS - tb.inStartS));
		const near = (ms: number, s: number) => Math.abs(ms - (t.startMs + s * 1000)) < tol;
		return a.breaths.some(
			(b) => near(b.inStartMs, tb.inStartS) || (eitherHalf && near(b.inStartMs, tb.outStartS))
		);
	}).length;
}

const inside = (b: MeasuredBreath, spans: { startMs: number; endMs: number }[]) =>
	spans.some((m) => b.endMs > m.startMs && b.inStartMs < m.endMs);

describe('breathing rate and out/in ratio from the chest’s tilt', () => {
	const cases: {
		rate: number;
		ratio: number;
		depthDeg: number;
		seed: number;
		ratioTol: number;
		found: number;
	}[] = [];
	for (const rate of [4, 4.5, 6, 10, 15, 20])
		for (const ratio of [1, 1.5, 2, 2.5]) {
			// The bar, for the doc's typical breath (a degree or two of tilt), three chests.
			for (const seed of [5, 6, 7])
				cases.push({ rate, ratio, depthDeg: 1.5, seed, ratioTol: 0.1, found: 0.9 });
			// Four times smaller breaths than that (7 mG from empty to full, beside 3 mG of noise
			// and a 6 mG heartbeat): some turns are placed further off, the rate still within 0.2.
			cases.push({ rate, ratio, depthDeg: 0.4, seed: 5, ratioTol: 0.4, found: 0.7 });
		}
	it.each(cases)(
		'$rate /min, 1:$ratio, tilt $depthDeg°, chest $seed: rate within 0.2 /min, ratio within $ratioTol, $found of breaths found',
		({ rate, ratio, depthDeg, seed, ratioTol, found }) => {
			const t = record({ durationS: 300, ratePerMin: rate, ratio, depthDeg, seed });
			const a = analyseBreathing(t.blocks);
			const truth = trueSummary(t);
			const got = summariseBreaths(a.breaths);
			expect(Math.abs(got.ratePerMin - truth.ratePerMin)).toBeLessThanOrEqual(0.2);
			expect(Math.abs(got.ratio - truth.ratio)).toBeLessThanOrEqual(ratioTol);
			expect(matched(t, a, ratio === 1) / t.breaths.length).toBeGreaterThanOrEqual(found);
			expect(a.movements).toHaveLength(0);
		}
	);

	/**
	 * Breaths shaped otherwise than the fit's plainest shape: an out-breath let go (a passive
	 * recoil, fast then tailing off), one followed by a still pause (30 % of the out-breath,
	 * counted in it), and both. Smoothing and turning points alone read these 0.4 to 1.6 off.
	 */
	const shaped: {
		rate: number;
		ratio: number;
		outShape: 'eased' | 'recoil';
		pauseShare: number;
		ratioTol: number;
	}[] = [];
	for (const rate of [4, 6, 10, 15, 20])
		for (const ratio of [1, 1.5, 2.5]) {
			shaped.push({ rate, ratio, outShape: 'recoil', pauseShare: 0, ratioTol: 0.1 });
			shaped.push({ rate, ratio, outShape: 'eased', pauseShare: 0.3, ratioTol: 0.12 });
			shaped.push({ rate, ratio, outShape: 'recoil', pauseShare: 0.3, ratioTol: 0.2 });
		}
	it.each(shaped)(
		'$rate /min, 1:$ratio, out-breath $outShape with a pause of $pauseShare: ratio within $ratioTol (two chests)',
		({ rate, ratio, outShape, pauseShare, ratioTol }) => {
			for (const seed of [5, 6]) {
				const t = record({ durationS: 300, ratePerMin: rate, ratio, seed, outShape, pauseShare });
				const a = analyseBreathing(t.blocks);
				const truth = trueSummary(t);
				const got = summariseBreaths(a.breaths);
				expect(Math.abs(got.ratePerMin - truth.ratePerMin)).toBeLessThanOrEqual(0.2);
				expect(Math.abs(got.ratio - truth.ratio)).toBeLessThanOrEqual(ratioTol);
				expect(matched(t, a, ratio === 1) / t.breaths.length).toBeGreaterThanOrEqual(0.9);
			}
		}
	);

	it('finds the breath on whichever axis the strap sits (several seeds)', () => {
		for (const seed of [1, 2, 3, 4]) {
			const t = record({ durationS: 180, ratePerMin: 6, ratio: 1.5, seed });
			const got = summariseBreaths(analyseBreathing(t.blocks).breaths);
			expect(Math.abs(got.ratePerMin - trueSummary(t).ratePerMin)).toBeLessThanOrEqual(0.2);
			expect(Math.abs(got.ratio - 1.5)).toBeLessThanOrEqual(0.15);
		}
	});
});

describe('movement that is not breathing', () => {
	it('a strong settling tilt (8° in the first minute) is not movement and not breaths', () => {
		const t = record({ durationS: 240, ratePerMin: 6, ratio: 2, settleDeg: 8, settleTauS: 30 });
		const a = analyseBreathing(t.blocks);
		expect(a.movements).toHaveLength(0);
		expect(
			Math.abs(summariseBreaths(a.breaths).ratePerMin - trueSummary(t).ratePerMin)
		).toBeLessThan(0.2);
	});
	it('a shift of position is marked, no breath is read across it, breathing is found after it', () => {
		const t = record({
			durationS: 300,
			ratePerMin: 6,
			ratio: 2,
			movements: [{ atS: 140, durationS: 4, kind: 'shift' }]
		});
		const a = analyseBreathing(t.blocks);
		expect(a.movements).toHaveLength(1);
		const m = a.movements[0];
		expect(m.startMs).toBeLessThanOrEqual(t.startMs + 140_000);
		expect(m.endMs).toBeGreaterThanOrEqual(t.startMs + 144_000);
		expect(m.endMs - m.startMs).toBeLessThan(12_000);
		expect(a.breaths.filter((b) => inside(b, a.movements))).toHaveLength(0);
		const after = a.breaths.filter((b) => b.inStartMs > m.endMs);
		expect(after.length).toBeGreaterThanOrEqual(12);
		expect(Math.abs(summariseBreaths(after).ratePerMin - 6)).toBeLessThan(0.5);
	});
	it('either side of a shift, a recoiling breath keeps its ratio (the shape found once, which half is in found in each)', () => {
		for (const seed of [5, 6, 7]) {
			const t = record({
				durationS: 300,
				ratePerMin: 6,
				ratio: 2,
				seed,
				outShape: 'recoil',
				movements: [{ atS: 140, durationS: 4, kind: 'shift' }]
			});
			const a = analyseBreathing(t.blocks);
			expect(a.movements).toHaveLength(1);
			expect(a.shape?.out.kind).toBe('recoil');
			const m = a.movements[0];
			for (const side of [
				a.breaths.filter((b) => b.endMs < m.startMs),
				a.breaths.filter((b) => b.inStartMs > m.endMs)
			]) {
				expect(side.length).toBeGreaterThanOrEqual(10);
				const truth = t.breaths.filter((tb) =>
					side.some((b) => Math.abs(b.inStartMs - (t.startMs + tb.inStartS * 1000)) < 2000)
				);
				const len = truth.reduce((x, b) => x + b.endS - b.inStartS, 0);
				const out = truth.reduce((x, b) => x + b.endS - b.outStartS, 0);
				expect(Math.abs(summariseBreaths(side).ratio - out / (len - out))).toBeLessThanOrEqual(
					0.15
				);
			}
		}
	});

	it('a slow roll without a jolt is marked by the turn of gravity', () => {
		const t = record({
			durationS: 200,
			ratePerMin: 6,
			ratio: 2,
			movements: [{ atS: 100, durationS: 6, kind: 'shift' }]
		});
		// The same roll with the burst's shaking removed: activity alone would miss it.
		const quiet = { ...t.blocks, activity: t.blocks.activity.map(() => 5) };
		const a = analyseBreathing(quiet);
		expect(a.movements.length).toBeGreaterThanOrEqual(1);
		expect(
			a.movements.some((m) => m.startMs < t.startMs + 106_000 && m.endMs > t.startMs + 100_000)
		).toBe(true);
	});
	it('getting up is marked and read as no breaths', () => {
		const t = record({
			durationS: 240,
			ratePerMin: 6,
			ratio: 2,
			movements: [{ atS: 200, durationS: 5, kind: 'get-up' }]
		});
		const a = analyseBreathing(t.blocks);
		expect(a.movements.length).toBeGreaterThanOrEqual(1);
		const up = a.movements.find(
			(m) => m.startMs <= t.startMs + 200_000 && m.endMs >= t.startMs + 205_000
		);
		expect(up).toBeDefined();
		expect(a.breaths.filter((b) => inside(b, a.movements))).toHaveLength(0);
		expect(
			a.breaths.filter((b) => b.inStartMs < t.startMs + 195_000).length
		).toBeGreaterThanOrEqual(17);
	});
	it('a lost link (no samples for 20 s) breaks the breaths, is not movement', () => {
		const t = record({ durationS: 240, ratePerMin: 6, ratio: 2 });
		const xyz = t.blocks.xyz.slice();
		const activity = t.blocks.activity.slice();
		for (let k = 500; k < 600; k++) {
			activity[k] = NaN;
			xyz.fill(NaN, 3 * k, 3 * k + 3);
		}
		const a = analyseBreathing({ startMs: t.startMs, xyz, activity });
		expect(a.movements).toHaveLength(0);
		const gap = { startMs: t.startMs + 100_000, endMs: t.startMs + 120_000 };
		expect(a.breaths.filter((b) => inside(b, [gap]))).toHaveLength(0);
		expect(a.breaths.length).toBeGreaterThanOrEqual(18);
	});
});
