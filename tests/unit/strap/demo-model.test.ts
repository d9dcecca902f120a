import { describe, expect, it } from 'vitest';
import { HeartModel, DemoStrap } from '$lib/strap/demo';
import { fakeDemoClock } from '../../fixtures/demo-clock';
import { DEMO_RESONANCE_BPM } from '$lib/strap/demo/demo-strap';
import { DEFAULT_RESONANCE_BPM, resonanceResponse } from '$lib/strap/demo/model';
import { frequencyDomain, timeDomain } from '$lib/analysis';
import { fillFundamentalPeakS } from '$lib/analysis/breath/cycle';
import { fitSine, wrapDeg } from '$lib/analysis/sine-fit';
import type { BreathPattern } from '$lib/practice/pacer';
import type { StrapEvent } from '$lib/strap/types';

function run(model: HeartModel, seconds: number) {
	const beats = [];
	while (model.timeS < seconds) beats.push(model.nextBeat());
	return beats;
}

const between = (
	beats: { timeS: number; rrMs: number; ectopic: boolean }[],
	a: number,
	b: number
) => beats.filter((x) => x.timeS > a && x.timeS <= b && !x.ectopic).map((x) => x.rrMs);

describe('demo heart model', () => {
	it('repeats exactly for a seed and differs for another', () => {
		const a = run(new HeartModel({ seed: 3 }), 60).map((b) => b.rrMs);
		const b = run(new HeartModel({ seed: 3 }), 60).map((b) => b.rrMs);
		const c = run(new HeartModel({ seed: 4 }), 60).map((b) => b.rrMs);
		expect(a).toEqual(b);
		expect(a).not.toEqual(c);
	});

	it('settles from about 75 to about 62 bpm over ten minutes while RMSSD rises', () => {
		const beats = run(new HeartModel({ seed: 1 }), 600);
		const hr = (rr: number[]) => 60000 / timeDomain(rr).meanNN;
		expect(hr(between(beats, 0, 60))).toBeGreaterThan(71);
		expect(hr(between(beats, 0, 60))).toBeLessThan(77);
		expect(hr(between(beats, 540, 600))).toBeGreaterThan(60);
		expect(hr(between(beats, 540, 600))).toBeLessThan(65);
		const first = timeDomain(between(beats, 0, 120)).rmssd;
		const last = timeDomain(between(beats, 480, 600)).rmssd;
		expect(last).toBeGreaterThan(1.6 * first);
	});

	it('breathes with the pacer: the RR spectrum peak follows the breathing rate', () => {
		const slow = new HeartModel({ seed: 2, contactLoss: null });
		slow.setBreathing({ inhaleS: 4, exhaleS: 6 });
		const s = frequencyDomain(run(slow, 300).map((b) => b.rrMs));
		expect(Math.abs(s.lfPeak - 0.1)).toBeLessThan(0.01);
		const fast = new HeartModel({ seed: 2, contactLoss: null });
		fast.setBreathing({ inhaleS: 2, exhaleS: 3 });
		const f = frequencyDomain(run(fast, 300).map((b) => b.rrMs));
		expect(Math.abs(f.hfPeak - 0.2)).toBeLessThan(0.01);
		expect(f.hf).toBeGreaterThan(f.lf);
	});

	it('has several percent ectopic beats in the ectopic-heavy scenario, few in calm', () => {
		const share = (scenario: 'calm' | 'ectopic-heavy') => {
			const beats = run(new HeartModel({ seed: 5, scenario }), 600);
			return beats.filter((b) => b.ectopic).length / beats.length;
		};
		expect(share('ectopic-heavy')).toBeGreaterThan(0.04);
		expect(share('calm')).toBeLessThan(0.02);
	});

	it('loses skin contact once', () => {
		const beats = run(new HeartModel({ seed: 1 }), 600);
		const lost = beats.filter((b) => !b.contact);
		expect(lost.length).toBeGreaterThan(3);
		expect(lost[lost.length - 1].timeS - lost[0].timeS).toBeLessThan(12);
	});
});

/**
 * Phase (degrees) of the model's heart rate against a breath cycle that started at startS, over
 * [fromS, toS]: positive when heart rate peaks before the lungs are full. Beats at their middles.
 */
function phaseAgainst(
	beats: { timeS: number; rrMs: number; ectopic: boolean }[],
	p: BreathPattern,
	startS: number,
	fromS: number,
	toS: number
): number {
	const sel = beats.filter((b) => b.timeS > fromS && b.timeS <= toS && !b.ectopic);
	const cycle = p.inhaleS + p.exhaleS;
	const fit = fitSine(
		sel.map((b) => b.timeS - b.rrMs / 2000 - startS),
		sel.map((b) => 60000 / b.rrMs),
		1 / cycle
	);
	return wrapDeg(((fillFundamentalPeakS(p) - fit.peakS) / cycle) * 360);
}

describe('demo heart resonance', () => {
	it('keeps its output at the defaults: resonance at the default pacer’s 6/min', () => {
		expect(DEFAULT_RESONANCE_BPM).toBe(6);
		expect(new HeartModel().resonanceBpm).toBe(6);
		expect(resonanceResponse(6, 6)).toEqual({ gain: 1, phaseDeg: -0 });
		// Recorded from the model before resonance was added (seed 3, calm, with the contact loss).
		const beats = run(new HeartModel({ seed: 3 }), 600).map((b) => b.rrMs);
		expect(beats.length).toBe(667);
		expect(beats.slice(0, 4)).toEqual([
			831.546051052314, 820.329787145993, 811.1619693811979, 802.4506978107732
		]);
		expect(beats.slice(500, 503)).toEqual([908.5051926630666, 939.4952384977634, 961.037981665215]);
		expect(beats.reduce((a, b) => a + b, 0)).toBe(600190.2836295001);
	});

	it('has its largest, in-phase RSA at resonance: heart rate leads below it and lags above it', () => {
		for (const r0 of [4.5, 5.5, 6.5]) {
			expect(resonanceResponse(r0, r0)).toEqual({ gain: 1, phaseDeg: -0 });
			for (const d of [0.5, 1, 2]) {
				const below = resonanceResponse(r0 - d, r0);
				const above = resonanceResponse(r0 + d, r0);
				expect(below.gain).toBeLessThan(1);
				expect(above.gain).toBeLessThan(1);
				expect(below.gain).toBeGreaterThanOrEqual(0.4);
				expect(below.phaseDeg).toBeGreaterThan(0);
				expect(above.phaseDeg).toBeLessThan(0);
				expect(Math.abs(below.phaseDeg)).toBeLessThanOrEqual(60);
				expect(Math.abs(above.phaseDeg)).toBeLessThanOrEqual(60);
				expect(resonanceResponse(r0 - 2 * d, r0).gain).toBeLessThan(below.gain);
			}
		}
		// The RSA the beats show: LF power largest when breathing at the resonance.
		const lfAt = (rate: number) => {
			const m = new HeartModel({ seed: 4, resonanceBpm: 5, contactLoss: null });
			run(m, 300);
			const cycle = 60 / rate;
			m.setBreathing({ inhaleS: cycle * 0.4, exhaleS: cycle * 0.6 }, true);
			return frequencyDomain(
				run(m, 600)
					.filter((b) => b.timeS > 320)
					.map((b) => b.rrMs)
			).lf;
		};
		expect(lfAt(5)).toBeGreaterThan(1.3 * lfAt(4));
		expect(lfAt(5)).toBeGreaterThan(1.3 * lfAt(6));
	});

	it('restarts its breath cycle on request, so it breathes in phase with a pacer started then', () => {
		const p = { inhaleS: 4, exhaleS: 6 };
		const restarted = new HeartModel({ seed: 6, contactLoss: null });
		const kept = new HeartModel({ seed: 6, contactLoss: null });
		const a = run(restarted, 125);
		const b = run(kept, 125);
		// Half a cycle into the old one: a pacer started now is 180° off the old cycle.
		restarted.setBreathing(p, true, 125);
		kept.setBreathing(p);
		a.push(...run(restarted, 400));
		b.push(...run(kept, 400));
		expect(restarted.timeS).toBeGreaterThan(400);
		// Against the new pacer's cycle: in phase (a half-beat lag remains at the beat middles).
		expect(Math.abs(phaseAgainst(a, p, 125, 140, 400))).toBeLessThan(30);
		expect(Math.abs(phaseAgainst(b, p, 125, 140, 400))).toBeGreaterThan(150);
		// Before the restart both are the same heart.
		expect(a.filter((x) => x.timeS < 125)).toEqual(b.filter((x) => x.timeS < 125));
	});
});

describe('DemoStrap', () => {
	const fakeClock = () => fakeDemoClock();

	it('sends real 0x2A37 packets about once a second that decode back to the model at 1/1024 s', async () => {
		const { clock, advance } = fakeClock();
		const strap = new DemoStrap({ seed: 9, clock, contactLoss: null });
		const events: StrapEvent[] = [];
		strap.subscribe((e) => events.push(e));
		const connecting = strap.connect();
		await advance(300);
		await connecting;
		expect(strap.state).toBe('connected');
		await advance(120_000);
		const packets = events.filter((e) => e.type === 'measurement');
		expect(packets.length).toBeGreaterThan(115);
		expect(packets.length).toBeLessThan(200);
		const rr = packets.flatMap((e) => (e.type === 'measurement' ? e.measurement.rrMs : []));
		const model = run(
			new HeartModel({ seed: 9, contactLoss: null, resonanceBpm: DEMO_RESONANCE_BPM }),
			130
		).map((b) => b.rrMs);
		expect(rr.length).toBeGreaterThan(100);
		rr.forEach((v, i) =>
			expect(Math.abs(v - model[i])).toBeLessThanOrEqual(1000 / 1024 / 2 + 1e-9)
		);
		for (const e of packets)
			if (e.type === 'measurement') expect(e.measurement.rrMs.length).toBeLessThanOrEqual(3);
	});

	it('restarts the demo’s breath cycle at the clock’s now when asked, and takes a resonance', async () => {
		const { clock, advance } = fakeClock();
		const strap = new DemoStrap({ seed: 9, clock, contactLoss: null, resonanceBpm: 5 });
		expect(strap.resonanceBpm).toBe(5);
		// The demo person's resonance is 5.5/min, off the default pacer's 6.
		expect(new DemoStrap().resonanceBpm).toBe(DEMO_RESONANCE_BPM);
		expect(DEMO_RESONANCE_BPM).toBe(5.5);
		const events: StrapEvent[] = [];
		strap.subscribe((e) => events.push(e));
		const connecting = strap.connect();
		await advance(300);
		await connecting;
		await advance(30_000);
		const p = { inhaleS: 4.4, exhaleS: 6.6 };
		strap.setBreathing(p, true);
		await advance(60_000);
		const rr = events.flatMap((e) => (e.type === 'measurement' ? e.measurement.rrMs : []));
		// The same heart, restarted at 30 s of its own time.
		const model = new HeartModel({ seed: 9, contactLoss: null, resonanceBpm: 5 });
		const before = run(model, 30);
		model.setBreathing(p, true, 30);
		const expected = [...before, ...run(model, 95)].map((b) => b.rrMs);
		expect(rr.length).toBeGreaterThan(80);
		rr.forEach((v, i) =>
			expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1000 / 1024 / 2 + 1e-9)
		);
	});

	it('drops the link for a while and comes back, losing those beats', async () => {
		const { clock, advance } = fakeClock();
		const strap = new DemoStrap({ seed: 9, clock, contactLoss: null });
		const states: string[] = [];
		strap.subscribe((e) => e.type === 'link' && states.push(e.state));
		const c = strap.connect();
		await advance(300);
		await c;
		await advance(10_000);
		strap.simulateLinkLoss(5000);
		await advance(10_000);
		expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
	});
});
