import { describe, expect, it, vi } from 'vitest';
import { fakeClock } from './fake-clock';
import {
	FIRST_REST_S,
	REST_S,
	ResonanceFlow,
	type ResonanceRecorder,
	type ResonanceStore
} from '$lib/practice/resonance-flow.svelte';
import type { ResonanceStep } from '$lib/analysis';

function fakes() {
	const breathing: { inhaleS: number; exhaleS: number; restart: boolean }[] = [];
	const recorder: ResonanceRecorder = {
		start: vi.fn(async () => undefined),
		stop: vi.fn(async () => 'assessment-1'),
		followBreathing: (p, restart = false) => void breathing.push({ ...p, restart })
	};
	let saved: { id: string; steps: ResonanceStep[]; stepMinutes: number } | undefined;
	const store: ResonanceStore = {
		saveSteps: async (id, steps, stepMinutes) => void (saved = { id, steps, stepMinutes })
	};
	return { recorder, store, breathing, saved: () => saved };
}

describe('ResonanceFlow', () => {
	it('rests, then paces each rate for the chosen length, and saves the step windows', async () => {
		const { clock, advance } = fakeClock();
		const f = fakes();
		const flow = new ResonanceFlow(f.recorder, f.store, clock);
		flow.stepMinutes = 1;
		await flow.start();
		expect(f.recorder.start).toHaveBeenCalledWith(
			expect.objectContaining({ routine: 'Resonance assessment', plannedMinutes: 9 })
		);
		expect(flow.phase).toBe('rest');
		// Two minutes to settle before the first rate.
		await advance(REST_S * 1000);
		expect(flow.phase).toBe('rest');
		await advance((FIRST_REST_S - REST_S) * 1000);
		expect(flow.phase).toBe('pace');
		expect(flow.rate).toBe(6.5);
		// 6.5 a minute, out-breath 60 %: 3.7 s in, 5.5 s out, and the breath cycle restarts with it.
		expect(f.breathing.at(-1)).toEqual({ inhaleS: 3.7, exhaleS: 5.5, restart: true });
		await advance(60_000);
		expect(flow.phase).toBe('rest');
		expect(flow.rate).toBe(6);
		await advance(4 * (REST_S * 1000 + 60_000));
		expect(flow.phase).toBe('done');
		expect(f.recorder.stop).toHaveBeenCalledOnce();
		const saved = f.saved();
		expect(saved?.id).toBe('assessment-1');
		expect(saved?.steps.map((s) => s.rateBpm)).toEqual([6.5, 6, 5.5, 5, 4.5]);
		// Each window: a rest, then one minute of pacing, on the session's clock.
		saved?.steps.forEach((s, i) => {
			expect(s.startMs).toBeCloseTo((FIRST_REST_S + i * REST_S) * 1000 + i * 60_000, -3);
			expect(s.endMs - s.startMs).toBe(60_000);
		});
		expect(flow.sessionId).toBe('assessment-1');
	});

	it('moves the steps with the session’s start when the saved beats moved it', async () => {
		const { clock, advance } = fakeClock();
		const f = fakes();
		// Saving put the beats right: the session now starts 700 ms earlier, on the beats' clock.
		f.recorder.stop = vi.fn(async () => {
			Object.assign(f.recorder, { startShiftMs: 700 });
			return 'assessment-1';
		});
		const flow = new ResonanceFlow(f.recorder, f.store, clock);
		flow.stepMinutes = 1;
		await flow.start();
		await advance(FIRST_REST_S * 1000 + 60_000 + REST_S * 1000 + 30_000);
		await flow.stop();
		const [step] = f.saved()!.steps;
		expect(step.startMs).toBe(FIRST_REST_S * 1000 + 700);
		expect(step.endMs - step.startMs).toBe(60_000);
		expect(flow.steps).toEqual(f.saved()!.steps);
	});

	it('stopped early keeps the rates completed so far', async () => {
		const { clock, advance } = fakeClock();
		const f = fakes();
		const flow = new ResonanceFlow(f.recorder, f.store, clock);
		flow.stepMinutes = 2;
		await flow.start();
		await advance(FIRST_REST_S * 1000 + 120_000 + REST_S * 1000 + 30_000);
		await flow.stop();
		expect(flow.stoppedEarly).toBe(true);
		expect(f.saved()?.steps.map((s) => s.rateBpm)).toEqual([6.5]);
		expect(flow.phase).toBe('done');
	});

	it('says why it could not start, and stays at the intro', async () => {
		const { clock } = fakeClock();
		const f = fakes();
		f.recorder.start = vi.fn(async () => {
			throw new Error('Another Settle tab is recording.');
		});
		const flow = new ResonanceFlow(f.recorder, f.store, clock);
		await flow.start();
		expect(flow.phase).toBe('intro');
		expect(flow.error).toMatch(/Another Settle tab is recording/);
	});
});
