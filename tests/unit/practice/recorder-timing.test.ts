/**
 * What a saved session's beat times are, against the truth: a strap sends, on its own 1 s tick,
 * the beats that ended since its last send; packets arrive 10-50 ms later (the first up to 1 s
 * later still), and the recorder stores what the beat timeline made of them. Live, a session's
 * beats are late by its first packet's latency (0.1-2 s); saved, they are right to within the
 * smallest latency over the session (tens of ms), and the session starts earlier when its first
 * beats ended before it started.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	appendBeats,
	createSession,
	finishRecording,
	getBeats,
	getEvents,
	getSession,
	resumeInfo,
	useDatabase
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { retimeBeats } from '$lib/db/retime';
import { Recorder } from '$lib/practice/recorder.svelte';
import { computeSummary } from '$lib/review/summary';
import type { LinkState, Strap, StrapEvent, StrapListener } from '$lib/strap/types';
import { gaussian, mulberry32 } from '$lib/strap/demo/random';
import { onTickGrid, strapPackets, type Packet } from '../../fixtures/strap-packets';

const T0 = 1_700_000_000_000;
const store = { createSession, appendBeats, finishRecording, retimeBeats };

beforeEach(() => {
	// fake-indexeddb schedules with setImmediate: leave that real.
	vi.useFakeTimers({
		now: T0,
		toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']
	});
	useDatabase(new SettleDB(`timing-${Math.random()}`));
});
afterEach(() => {
	vi.useRealTimers();
});

/** Sends prepared packets (times: ms after T0) when the fake clock reaches them. */
class ScriptedStrap implements Strap {
	info = { name: 'Scripted strap', kind: 'bluetooth' as const };
	state: LinkState = 'idle';
	private listeners = new Set<StrapListener>();
	private timers: ReturnType<typeof setTimeout>[] = [];

	constructor(
		private packets: Packet[],
		private links: { atMs: number; state: LinkState }[] = []
	) {}

	subscribe(listener: StrapListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	async connect(): Promise<void> {
		this.state = 'connected';
		const at = (ms: number, fn: () => void) =>
			this.timers.push(setTimeout(fn, Math.max(0, T0 + ms - Date.now())));
		for (const p of this.packets) {
			at(p.atMs, () =>
				this.emit({ type: 'measurement', atMs: Date.now(), measurement: p.measurement })
			);
		}
		for (const l of this.links) {
			at(l.atMs, () => this.emit({ type: 'link', atMs: Date.now(), state: l.state }));
		}
	}

	async disconnect(): Promise<void> {
		for (const t of this.timers) clearTimeout(t);
		this.state = 'disconnected';
	}

	private emit(e: StrapEvent): void {
		for (const l of this.listeners) l(e);
	}
}

/** A resting heart (ms after T0) over the first `durationS` seconds, the strap's packets of it. */
function heart(seed: number, durationS: number) {
	const rand = mulberry32(seed + 200);
	const t: number[] = [];
	for (let s = 0; s < durationS * 1000;) {
		s += 60000 / (64 + 8 * Math.sin((2 * Math.PI * s) / 10_000) + 2 * gaussian(rand));
		t.push(s);
	}
	return onTickGrid(t);
}

/** The true times (ms after T0) of the beats in the packets that arrive from `fromMs` to now. */
function truthOf(h: { timeMs: number[] }, packets: Packet[], fromMs = 0): number[] {
	const now = Date.now() - T0;
	return packets
		.filter((p) => p.atMs >= fromMs && p.atMs <= now)
		.flatMap((p) => h.timeMs.slice(p.firstBeat, p.firstBeat + p.measurement.rrMs.length));
}

/** Stored beats against the truth: how late each is (ms), by the session's own start. */
async function lateness(id: string, truth: number[]) {
	const session = (await getSession(id))!;
	const beats = await getBeats(id);
	expect(beats.timeMs.length).toBe(truth.length);
	return Array.from(beats.timeMs, (t, i) => session.startedAt + t - T0 - truth[i]);
}

describe('saved beat times', () => {
	// Six whole simulated sessions: seconds of work, more on a busy machine (not a speed target).
	it('are right to within 60 ms, and the session starts before its first beat ends', async () => {
		let moved = 0;
		for (let seed = 1; seed <= 6; seed++) {
			useDatabase(new SettleDB(`timing-${seed}-${Math.random()}`));
			const startMs = Date.now() - T0 + 5000;
			const h = heart(seed, startMs / 1000 + 190);
			const packets = strapPackets(h.timeMs, h.rrMs, {
				seed,
				fromMs: startMs,
				transportMs: [10, 50],
				firstDelayMs: 1000
			});
			const recorder = new Recorder(store);
			const strap = new ScriptedStrap(packets);
			await recorder.connect(strap);
			await vi.advanceTimersByTimeAsync(5000);
			await recorder.start();
			expect(Date.now() - T0).toBe(startMs);
			await vi.advanceTimersByTimeAsync(180_000);
			// Live, the whole session is late by the first packet's latency.
			const liveFirst = recorder.beats[0];
			const first = packets.find((p) => p.atMs >= startMs)!;
			const liveLate = liveFirst.timeMs + startMs - h.timeMs[first.firstBeat];
			expect(liveLate, `seed ${seed}`).toBeGreaterThan(10);
			const id = (await recorder.stop())!;
			await strap.disconnect();

			const session = (await getSession(id))!;
			const stored = await getBeats(id);
			const late = await lateness(id, truthOf(h, packets, startMs));
			expect(stored.rrMs.length).toBe(recorder.beats.length);
			expect(Math.min(...late), `seed ${seed}`).toBeGreaterThan(-0.01);
			expect(Math.max(...late), `seed ${seed}`).toBeLessThan(60);
			// Times never before 0: a first beat that ended before the start moves the start.
			expect(stored.timeMs[0]).toBeGreaterThanOrEqual(0);
			expect(session.startedAt).toBe(T0 + startMs - recorder.startShiftMs);
			if (recorder.startShiftMs > 0) {
				moved++;
				expect(stored.timeMs[0]).toBeLessThan(1);
			}
			expect(session.durationMs).toBeCloseTo(stored.timeMs[stored.timeMs.length - 1], 3);
			expect(session.summary).toEqual(computeSummary(stored));
		}
		// Half the time or so, the first packet holds a beat that ended before the start.
		expect(moved).toBeGreaterThan(0);
		expect(moved).toBeLessThan(6);
	}, 30_000);

	it('are right on both sides of a lost link, and the gap lies between them', async () => {
		const h = heart(7, 200);
		const lostMs = 100_000;
		const backMs = 120_000;
		const packets = strapPackets(h.timeMs, h.rrMs, {
			seed: 7,
			transportMs: [10, 50],
			firstDelayMs: 1000,
			silent: [{ fromMs: lostMs, toMs: backMs }]
		});
		const recorder = new Recorder(store);
		const strap = new ScriptedStrap(packets, [
			{ atMs: lostMs + 800, state: 'reconnecting' },
			{ atMs: backMs - 100, state: 'connected' }
		]);
		await recorder.connect(strap);
		await recorder.start();
		await vi.advanceTimersByTimeAsync(190_000);
		const id = (await recorder.stop())!;
		const late = await lateness(id, truthOf(h, packets));
		expect(Math.min(...late)).toBeGreaterThan(-0.01);
		expect(Math.max(...late)).toBeLessThan(60);
		const stored = await getBeats(id);
		const gaps = (await getEvents(id)).filter((e) => e.type === 'gap');
		expect(gaps).toHaveLength(1);
		const after = stored.timeMs.findIndex((t) => t > gaps[0].startMs);
		expect(gaps[0].startMs).toBeCloseTo(stored.timeMs[after - 1], 2);
		expect(gaps[0].endMs!).toBeCloseTo(stored.timeMs[after] - stored.rrMs[after], 2);
		expect(gaps[0].endMs! - gaps[0].startMs).toBeGreaterThan(15_000);
	});

	it('after a resumed session: the beats saved before stay, the new ones are put right', async () => {
		const h = heart(8, 200);
		const packets = strapPackets(h.timeMs, h.rrMs, {
			seed: 8,
			transportMs: [10, 50],
			firstDelayMs: 1000
		});
		// A recording that dies after 60 s: nothing stops it, its beats are as placed live.
		const first = new Recorder(store);
		const dying = new ScriptedStrap(packets.filter((p) => p.atMs < 60_000));
		await first.connect(dying);
		await first.start();
		await vi.advanceTimersByTimeAsync(61_000);
		await first.flushNow();
		const id = first.sessionId!;
		const info = (await resumeInfo(id))!;
		const saved = Array.from(info.saved.timeMs);

		await vi.advanceTimersByTimeAsync(9000);
		const second = new Recorder(store);
		await second.connect(new ScriptedStrap(packets.filter((p) => p.atMs >= 70_000)));
		await second.resumeSession(info);
		await vi.advanceTimersByTimeAsync(120_000);
		await second.stop();

		const stored = await getBeats(id);
		expect(Array.from(stored.timeMs.subarray(0, saved.length))).toEqual(saved);
		expect((await getSession(id))!.startedAt).toBe(T0);
		const truth = truthOf(h, packets, 70_000);
		const late = Array.from(stored.timeMs.subarray(saved.length), (t, i) => t - truth[i]);
		expect(late).toHaveLength(truth.length);
		expect(Math.min(...late)).toBeGreaterThan(-0.01);
		expect(Math.max(...late)).toBeLessThan(60);
		const [gap] = (await getEvents(id)).filter((e) => e.type === 'gap');
		expect(gap.startMs).toBe(saved[saved.length - 1]);
		expect(gap.endMs!).toBeCloseTo(stored.timeMs[saved.length] - stored.rrMs[saved.length], 2);
	});
});
