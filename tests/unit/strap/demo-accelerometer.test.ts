import { describe, expect, it } from 'vitest';
import { DemoStrap } from '$lib/strap/demo';
import { fakeDemoClock } from '../../fixtures/demo-clock';
import { DEMO_ACC_RATE_HZ } from '$lib/strap/demo/demo-strap';
import type { MovementSamples, StrapEvent } from '$lib/strap/types';

const fakeClock = () => fakeDemoClock(1_700_000_000_000);

async function connected(options = {}) {
	const { clock, advance } = fakeClock();
	const strap = new DemoStrap({ seed: 3, clock, contactLoss: null, ...options });
	const events: StrapEvent[] = [];
	strap.subscribe((e) => events.push(e));
	const c = strap.connect();
	await advance(300);
	await c;
	return { strap, events, advance };
}

const movement = (events: StrapEvent[]): MovementSamples[] =>
	events.flatMap((e) => (e.type === 'movement' ? [e.samples] : []));

describe('the demo strap’s accelerometer', () => {
	it('streams only while wanted, at 25 Hz with even sample times, gravity about 1 g', async () => {
		const { strap, events, advance } = await connected();
		expect(strap.info.movement?.state).toBe('available');
		await advance(5000);
		expect(movement(events)).toHaveLength(0);
		await strap.setMovementWanted(true);
		expect(strap.info.movement?.state).toBe('streaming');
		await advance(60_000);
		const frames = movement(events);
		const times = frames.flatMap((f) => Array.from(f.timeMs));
		expect(times.length).toBeGreaterThan(59 * DEMO_ACC_RATE_HZ);
		expect(times.length).toBeLessThanOrEqual(60 * DEMO_ACC_RATE_HZ);
		for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeCloseTo(40, 3);
		const xyz = frames.flatMap((f) => Array.from(f.xyz));
		for (let i = 0; i < xyz.length; i += 3) {
			const g = Math.hypot(xyz[i], xyz[i + 1], xyz[i + 2]);
			expect(g).toBeGreaterThan(960);
			expect(g).toBeLessThan(1040);
		}
		await strap.setMovementWanted(false);
		const n = movement(events).length;
		await advance(5000);
		expect(movement(events).length).toBe(n);
	});
	it('has none when asked for a strap without one', async () => {
		const { strap, events, advance } = await connected({ chest: null });
		expect(strap.info.movement).toBeUndefined();
		await strap.setMovementWanted(true);
		await advance(5000);
		expect(movement(events)).toHaveLength(0);
	});
});
