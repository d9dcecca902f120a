import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	addEvent,
	appendBeats,
	createSession,
	finishSession,
	getBeats,
	getSession,
	resumeInfo,
	useDatabase
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { Recorder } from '$lib/practice/recorder.svelte';
import { computeSummary } from '$lib/review/summary';
import { DemoStrap } from '$lib/strap/demo/demo-strap';

const store = { createSession, appendBeats, addEvent, finishSession };

beforeEach(() => {
	// fake-indexeddb schedules with setImmediate: leave that real.
	vi.useFakeTimers({
		now: 1_700_000_000_000,
		toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']
	});
	useDatabase(new SettleDB(`resume-${Math.random()}`));
});
afterEach(() => {
	vi.useRealTimers();
});

describe('a resumed session', () => {
	it('is summarized from all its beats, those saved before the interruption included', async () => {
		// A recording that dies after 90 s: its strap goes quiet, nothing stops it.
		const first = new Recorder(store);
		const strap = new DemoStrap({ contactLoss: null });
		const connecting = first.connect(strap);
		await vi.advanceTimersByTimeAsync(500);
		await connecting;
		await first.start();
		await vi.advanceTimersByTimeAsync(90_000);
		await first.flushNow();
		const id = first.sessionId!;
		await strap.disconnect();

		const info = (await resumeInfo(id))!;
		const savedBefore = info.saved.rrMs.length;
		expect(savedBefore).toBeGreaterThan(90);

		const second = new Recorder(store);
		const again = second.connect(new DemoStrap({ seed: 8, contactLoss: null }));
		await vi.advanceTimersByTimeAsync(500);
		await again;
		await second.resumeSession(info);
		// The live figures already know the saved beats.
		expect(second.beatCount).toBe(savedBefore);
		await vi.advanceTimersByTimeAsync(60_000);
		await second.stop();

		const beats = await getBeats(id);
		const session = (await getSession(id))!;
		expect(beats.rrMs.length).toBeGreaterThan(savedBefore + 50);
		expect(session.beatCount).toBe(beats.rrMs.length);
		expect(session.summary).toEqual(computeSummary(beats));
	});
});
