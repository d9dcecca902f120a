import { describe, expect, it, vi } from 'vitest';
import { fakeClock } from './fake-clock';
import { PracticeFlow, type FlowRecorder } from '$lib/practice/practice-flow.svelte';
import { SETTLE_IN_S, SETUP_STEPS } from '$lib/practice/guide';

function fakeRecorder(): FlowRecorder & { calls: string[] } {
	const calls: string[] = [];
	return {
		calls,
		start: vi.fn(async () => void calls.push('start')),
		stop: vi.fn(async () => {
			calls.push('stop');
			return 'session-1';
		}),
		pause: () => void calls.push('pause'),
		resume: () => void calls.push('resume')
	};
}

describe('PracticeFlow', () => {
	it('walks choose → setup steps → settle → rest → come-up → report → summary', async () => {
		const { clock, advance } = fakeClock();
		const rec = fakeRecorder();
		const onRestEnd = vi.fn();
		const flow = new PracticeFlow(rec, { onRestEnd }, clock);
		flow.minutes = 5;
		flow.phase = 'before';
		flow.beginSetup();
		expect(flow.step).toBe('setup');
		for (let i = 0; i < SETUP_STEPS.length + 2; i++) flow.nextSetupStep();
		expect(flow.setupIndex).toBe(SETUP_STEPS.length - 1);
		await flow.startSession();
		expect(rec.start).toHaveBeenCalledWith(
			expect.objectContaining({ phase: 'before', plannedMinutes: 5 })
		);
		expect(flow.step).toBe('settle');
		await advance(SETTLE_IN_S * 1000);
		expect(flow.step).toBe('rest');
		await advance(5 * 60 * 1000 - 250);
		expect(flow.step).toBe('rest');
		await advance(250);
		await Promise.resolve();
		expect(flow.step).toBe('come-up');
		expect(onRestEnd).toHaveBeenCalledOnce();
		expect(flow.sessionId).toBe('session-1');
		flow.toReport();
		flow.toSummary();
		expect(flow.step).toBe('summary');
	});

	it('does not count paused time', async () => {
		const { clock, advance } = fakeClock();
		const rec = fakeRecorder();
		const flow = new PracticeFlow(rec, {}, clock);
		flow.minutes = 1;
		await flow.startSession();
		await advance(10_000);
		flow.pause();
		await advance(120_000);
		expect(flow.activeMs).toBe(10_000);
		expect(flow.step).toBe('settle');
		flow.resume();
		await advance(5_000);
		expect(flow.activeMs).toBe(15_000);
		expect(rec.calls).toEqual(['start', 'pause', 'resume']);
	});

	it('finishes early on request and stops the timer', async () => {
		const { clock, advance, running } = fakeClock();
		const rec = fakeRecorder();
		const flow = new PracticeFlow(rec, {}, clock);
		await flow.startSession();
		await advance(60_000);
		await flow.finishRest();
		expect(flow.step).toBe('come-up');
		expect(running()).toBe(false);
		expect(rec.stop).toHaveBeenCalledOnce();
	});

	it('refuses a length outside 1-60 minutes', () => {
		const flow = new PracticeFlow(fakeRecorder(), {}, fakeClock().clock);
		flow.minutes = 0;
		flow.beginSetup();
		expect(flow.step).toBe('choose');
		expect(flow.error).toMatch(/between 1 and 60/);
	});

	it('stays put and explains when recording cannot start', async () => {
		const rec = fakeRecorder();
		rec.start = async () => {
			throw new Error('no strap');
		};
		const flow = new PracticeFlow(rec, {}, fakeClock().clock);
		flow.beginSetup();
		await flow.startSession();
		expect(flow.step).toBe('setup');
		expect(flow.error).toMatch(/no strap/);
	});
});
