import { describe, expect, it } from 'vitest';
import { ChestModel } from '$lib/strap/demo/chest-model';
import { LiveBreathing } from '$lib/breath-measured/live';

/** Lung fill at `t` s for a breath of `lenS` with in:out 1:`ratio`: eased in, eased out. */
function fillAt(t: number, lenS: number, ratio: number): number {
	const inS = lenS / (1 + ratio);
	const c = t % lenS;
	return c < inS
		? 0.5 - 0.5 * Math.cos((Math.PI * c) / inS)
		: 0.5 + 0.5 * Math.cos((Math.PI * (c - inS)) / (lenS - inS));
}

/** A chest breathing 6 /min at 1:2 (3.3 s in, 6.7 s out), fed in 1-s chunks as frames arrive. */
function feed(
	live: LiveBreathing,
	chest: ChestModel,
	fromS: number,
	toS: number,
	t0: number,
	fill = (t: number) => fillAt(t, 10, 2)
) {
	const results = [];
	for (let s = fromS; s < toS; s += 1) {
		const times: number[] = [];
		const xyz: number[] = [];
		for (let i = 0; i < 25; i++) {
			const t = s + i / 25;
			times.push(t0 + t * 1000);
			xyz.push(...chest.sample(t, fill(t)));
		}
		live.push(times, xyz);
		results.push({ s: s + 1, figures: live.update(t0 + (s + 1) * 1000) });
	}
	return results;
}

describe('LiveBreathing', () => {
	const t0 = 1_700_000_000_000;
	it('shows the rate and ratio within two breaths of the start, each breath once', () => {
		const live = new LiveBreathing();
		const results = feed(live, new ChestModel({ seed: 4 }), 0, 180, t0);
		const first = results.find((r) => r.figures?.ratePerMin !== undefined);
		expect(first).toBeDefined();
		expect(first!.s).toBeLessThanOrEqual(40);
		const last = live.figures();
		expect(last.ratePerMin).toBeCloseTo(6, 0);
		expect(Math.abs(last.ratio! - 2)).toBeLessThan(0.25);
		const starts = live.breaths.map((b) => b.inStartMs);
		for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThan(8000);
		expect(live.breaths.length).toBeGreaterThanOrEqual(15);
		const done = live.finish();
		expect(done?.analysis.breaths.length).toBeGreaterThanOrEqual(16);
	});
	it('reads a quick breath with a long out-breath (20 /min, 1:2.5) without a bias', () => {
		const live = new LiveBreathing();
		const results = feed(live, new ChestModel({ seed: 4 }), 0, 240, t0, (t) => fillAt(t, 3, 2.5));
		const ratios = results
			.filter((r) => r.s > 40 && r.figures?.ratio !== undefined)
			.map((r) => r.figures!.ratio!);
		expect(ratios.length).toBeGreaterThan(90);
		// Six breaths of 3 s: each update's ratio wanders; their middle sits on the truth.
		const sorted = [...ratios].sort((a, b) => a - b);
		expect(Math.abs(sorted[Math.floor(sorted.length / 2)] - 2.5)).toBeLessThanOrEqual(0.1);
		for (const r of ratios) expect(Math.abs(r - 2.5)).toBeLessThanOrEqual(0.4);
		expect(live.figures().ratePerMin).toBeCloseTo(20, 0);
	});

	it('says the person is moving during a shift, and reads breaths again after it', () => {
		const live = new LiveBreathing();
		const chest = new ChestModel({
			seed: 4,
			movements: [{ atS: 90, durationS: 4, kind: 'shift' }]
		});
		const results = feed(live, chest, 0, 180, t0);
		expect(results.some((r) => r.s > 90 && r.s < 100 && r.figures?.moving)).toBe(true);
		expect(results.at(-1)?.figures?.moving ?? live.figures().moving).toBe(false);
		expect(live.breaths.filter((b) => b.inStartMs > t0 + 100_000).length).toBeGreaterThanOrEqual(5);
	});
});
