import { describe, expect, it } from 'vitest';
import { HeartModel, DemoStrap, type DemoClock } from '$lib/strap/demo';
import { frequencyDomain, timeDomain } from '$lib/analysis';
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

describe('DemoStrap', () => {
	function fakeClock() {
		let now = 0;
		let timers: { at: number; fn: () => void; id: number }[] = [];
		let nextId = 1;
		const clock: DemoClock = {
			now: () => now,
			setTimeout: (fn, ms) => {
				const id = nextId++;
				timers.push({ at: now + ms, fn, id });
				return id;
			},
			clearTimeout: (id) => (timers = timers.filter((t) => t.id !== id))
		};
		const advance = async (ms: number) => {
			const until = now + ms;
			for (;;) {
				timers.sort((a, b) => a.at - b.at);
				const t = timers[0];
				if (!t || t.at > until) break;
				timers.shift();
				now = t.at;
				t.fn();
				await Promise.resolve();
			}
			now = until;
		};
		return { clock, advance };
	}

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
		const model = run(new HeartModel({ seed: 9, contactLoss: null }), 130).map((b) => b.rrMs);
		expect(rr.length).toBeGreaterThan(100);
		rr.forEach((v, i) =>
			expect(Math.abs(v - model[i])).toBeLessThanOrEqual(1000 / 1024 / 2 + 1e-9)
		);
		for (const e of packets)
			if (e.type === 'measurement') expect(e.measurement.rrMs.length).toBeLessThanOrEqual(3);
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
