/**
 * A session recorded with the demo strap, whose chest breathes with the pacer (6 /min, 4 s in,
 * 6 s out) and shifts once at 200 s: the recorder shows the measured breath live and keeps the
 * breaths, the movement mark and the 5 Hz signal with the session.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	finishRecording,
	appendBeats,
	createSession,
	getBreathing,
	getDb,
	saveBreathing,
	useDatabase
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { Recorder } from '$lib/practice/recorder.svelte';
import { DemoStrap } from '$lib/strap/demo';
import { summariseBreaths } from '$lib/breath-measured/summary';

const T0 = 1_700_000_000_000;

// The app fetches these when first needed; under fake timers a fetch taking real time would let
// fake minutes pass meanwhile, so they are loaded before.
beforeAll(async () => {
	await import('$lib/strap/demo/chest-stream');
	await import('$lib/breath-measured/live');
});

beforeEach(() => {
	vi.useFakeTimers({
		now: T0,
		toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']
	});
	useDatabase(new SettleDB(`breathing-${Math.random()}`));
});
afterEach(() => vi.useRealTimers());

async function record(strap: DemoStrap, seconds: number, store: object = {}) {
	const recorder = new Recorder({
		createSession,
		appendBeats,
		finishRecording,
		saveBreathing,
		...store
	});
	const connecting = recorder.connect(strap);
	await vi.advanceTimersByTimeAsync(300);
	await connecting;
	await recorder.start();
	const live: (number | undefined)[] = [];
	for (let s = 0; s < seconds; s += 10) {
		await vi.advanceTimersByTimeAsync(10_000);
		live.push(recorder.measuredBreath?.ratePerMin);
	}
	const id = await recorder.stop();
	return { recorder, id: id!, live };
}

describe('the recorder and breathing measured by the strap', () => {
	it(
		'shows 6 /min live, keeps the breaths and the shift at 200 s with the session',
		{ timeout: 30_000 },
		async () => {
			const strap = new DemoStrap({ seed: 3, contactLoss: null });
			const { recorder, id, live } = await record(strap, 300);
			expect(recorder.info?.movement?.state).toBe('available');
			const firstLive = live.findIndex((r) => r !== undefined);
			expect(firstLive).toBeGreaterThanOrEqual(0);
			expect(firstLive).toBeLessThanOrEqual(4);
			for (const r of live.slice(firstLive + 1).filter((r) => r !== undefined))
				expect(Math.abs(r! - 6)).toBeLessThan(0.6);
			const saved = await getBreathing(id);
			expect(saved).toBeDefined();
			const s = summariseBreaths(saved!.breaths);
			expect(Math.abs(s.ratePerMin - 6)).toBeLessThan(0.2);
			expect(Math.abs(s.ratio - 1.5)).toBeLessThan(0.15);
			expect(saved!.movements).toHaveLength(1);
			expect(saved!.movements[0].startMs).toBeGreaterThan(195_000);
			expect(saved!.movements[0].startMs).toBeLessThan(201_000);
			// Times from the session's start; blocks of 300 s at 5 Hz.
			expect(saved!.breaths[0].inStartMs).toBeGreaterThan(0);
			expect(saved!.blocks.activity.length).toBeGreaterThan(1480);
			const row = await (await getDb()).breathing.get(id);
			const bytes = row!.xyz.byteLength + row!.activity.byteLength;
			expect(bytes / 5).toBeLessThan(2500); // per minute
			// The summary holds the same figures, for History, with the heart's estimate beside them.
			const summary = (await (await getDb()).sessions.get(id))!.summary!;
			expect(summary.measuredBreathRate).toBeCloseTo(s.ratePerMin, 9);
			expect(summary.measuredBreathRatio).toBeCloseTo(s.ratio, 9);
			expect(summary.measuredBreaths).toBe(saved!.breaths.length);
			expect(summary.movements).toBe(1);
			expect(summary.movedS).toBeGreaterThan(2);
			expect(summary.movedS).toBeLessThan(30);
			expect(summary.respirationRate).toBeDefined();
		}
	);
	it('a strap without an accelerometer records as before, with no breathing row', async () => {
		const strap = new DemoStrap({ seed: 3, contactLoss: null, chest: null });
		const { id, recorder } = await record(strap, 60);
		expect(recorder.measuredBreath).toBeUndefined();
		expect(await getBreathing(id)).toBeUndefined();
		expect(recorder.beatCount).toBeGreaterThan(50);
		const summary = (await (await getDb()).sessions.get(id))!.summary!;
		expect(summary.measuredBreathRate).toBeUndefined();
		expect(summary.movements).toBeUndefined();
	});
	it('storage refusing the breathing loses no beats and says so', async () => {
		const strap = new DemoStrap({ seed: 3, contactLoss: null });
		const { id, recorder } = await record(strap, 60, {
			saveBreathing: () => Promise.reject(new Error('QuotaExceededError'))
		});
		expect(recorder.storageMessage).toMatch(/breathing .* could not be saved/);
		const row = await (await getDb()).sessions.get(id);
		expect(row?.status).toBe('finished');
		// No figures in the summary for breathing that was not kept.
		expect(row?.summary?.measuredBreathRate).toBeUndefined();
	});
});
