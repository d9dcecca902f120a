/**
 * A full disk during a recording, on fake-indexeddb with the browser's quota refusal injected
 * (tests/unit/db/full-disk.ts): the person is told at once, beats wait in memory and are all
 * written once there is room, and nothing stored before is touched.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	appendBeats,
	createSession,
	finishRecording,
	getBeats,
	getDb,
	getSession,
	importRrFiles,
	restoreBackup,
	backupBlob,
	saveAssessmentSteps,
	useDatabase
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { FIRST_REST_S, REST_S, ResonanceFlow } from '$lib/practice/resonance-flow.svelte';
import { fakeClock } from './fake-clock';
import { Recorder } from '$lib/practice/recorder.svelte';
import { FLUSH_INTERVAL_MS } from '$lib/practice/recorder.svelte';
import { saveSelfReport } from '$lib/practice/self-report';
import { HOLD_LIMIT_BEATS, holdMinutesLeft } from '$lib/practice/storage-hold';
import { minutesInWords, troubleText } from '$lib/practice/storage-trouble-text';
import { saveSessionEdits } from '$lib/review/session-edits';
import { SessionPage } from '$lib/review/session-page.svelte';
import { computeSummary } from '$lib/review/summary';
import { DemoStrap } from '$lib/strap/demo/demo-strap';
import { fillableDisk, type FullDisk } from '../db/full-disk';

const store = { createSession, appendBeats, finishRecording };
let disk: FullDisk;

beforeEach(() => {
	// fake-indexeddb schedules with setImmediate: leave that real.
	vi.useFakeTimers({
		now: 1_700_000_000_000,
		toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']
	});
	const db = new SettleDB(`full-disk-${Math.random()}`);
	disk = fillableDisk(db);
	useDatabase(db);
});
afterEach(() => {
	vi.useRealTimers();
});

async function connected(seed = 5, holdLimit?: number): Promise<Recorder> {
	const recorder = new Recorder(store, holdLimit);
	const connecting = recorder.connect(new DemoStrap({ seed, contactLoss: null }));
	await vi.advanceTimersByTimeAsync(500);
	await connecting;
	return recorder;
}

/** A session recorded and saved before the disk filled. */
async function earlierSession(): Promise<string> {
	const r = await connected(11);
	await r.start();
	await vi.advanceTimersByTimeAsync(90_000);
	r.pause();
	await vi.advanceTimersByTimeAsync(10_000);
	r.resume();
	await vi.advanceTimersByTimeAsync(20_000);
	const id = (await r.stop())!;
	await r.disconnect();
	return id;
}

/** Everything stored for a session, and the figures it analyses to. */
async function stored(id: string) {
	const db = await getDb();
	const beats = await getBeats(id);
	return {
		session: await db.sessions.get(id),
		chunks: await db.beatChunks.where('sessionId').equals(id).toArray(),
		events: await db.events.where('sessionId').equals(id).toArray(),
		summary: computeSummary(beats)
	};
}

const rrOf = (r: Recorder) => r.beats.map((b) => b.rrMs);

// Whole recordings on fake-indexeddb: seconds on a busy 2-core machine.
describe('a recording on a disk that fills up', { timeout: 60_000 }, () => {
	it('says so at once, holds the beats, writes every one once there is room, and damages nothing', async () => {
		const earlier = await earlierSession();
		const before = await stored(earlier);
		expect(before.session?.status).toBe('finished');
		expect(before.events.map((e) => e.type)).toEqual(['pause']);

		const r = await connected();
		await r.start();
		await vi.advanceTimersByTimeAsync(60_000);
		await r.flushNow();
		const id = r.sessionId!;
		const savedBeforeFull = (await getBeats(id)).rrMs.length;
		expect(savedBeforeFull).toBe(r.beatCount);

		disk.full = true;
		// Told at the first refused write: within one flush interval.
		await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
		expect(r.storageTrouble).toMatchObject({ kind: 'full', stopped: false, holdFull: false });
		expect(r.storageTrouble!.heldBeats).toBeGreaterThan(0);
		const text = troubleText(r.storageTrouble!);
		expect(text.headline).toMatch(/storage for Settle is full/);
		expect(text.body).toMatch(/wait in this tab's memory, which has room for \d+ h \d\d min more/);
		expect(text.steps.join(' ')).toMatch(/Free space on this device.*backup.*delete sessions/);

		await vi.advanceTimersByTimeAsync(10 * 60_000);
		expect(r.phase).toBe('recording');
		// Nothing more was written, nothing was lost: every beat since waits in memory.
		expect((await getBeats(id)).rrMs.length).toBe(savedBeforeFull);
		expect(r.beatCount - savedBeforeFull).toBeGreaterThan(500);
		expect(r.storageTrouble!.heldBeats).toBeGreaterThan(500);
		expect(disk.refused).toBeGreaterThanOrEqual(120);

		disk.full = false;
		await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
		// The timer's flush has begun; this waits for it (fake-indexeddb runs on real time).
		await r.flushNow();
		expect(r.storageTrouble).toBeUndefined();
		expect(r.savedAfterTrouble).toBeGreaterThan(500);
		const id2 = await r.stop();
		expect(id2).toBe(id);
		expect([...(await getBeats(id)).rrMs]).toEqual(rrOf(r));
		expect(await getSession(id)).toMatchObject({ status: 'finished', beatCount: r.beatCount });
		// The earlier session: the same rows, the same figures.
		expect(await stored(earlier)).toEqual(before);
	});

	it('starts on a full disk: recording goes on in memory and the session is written once there is room', async () => {
		const r = await connected();
		disk.full = true;
		await r.start();
		// At once: the session's own row was refused.
		expect(r.phase).toBe('recording');
		expect(r.storageTrouble?.kind).toBe('full');
		const id = r.sessionId!;
		await vi.advanceTimersByTimeAsync(3 * 60_000);
		expect(await getSession(id)).toBeUndefined();
		expect(await (await getDb()).beatChunks.count()).toBe(0);

		disk.full = false;
		await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
		// The timer's flush has begun; this waits for it (fake-indexeddb runs on real time).
		await r.flushNow();
		expect(r.storageTrouble).toBeUndefined();
		expect((await getSession(id))?.status).toBe('recording');
		await r.stop();
		expect([...(await getBeats(id)).rrMs]).toEqual(rrOf(r));
		expect(r.beatCount).toBeGreaterThan(150);
	});

	it('on Stop while full, waits with the beats, then finishes with no half-written record', async () => {
		const r = await connected();
		await r.start();
		await vi.advanceTimersByTimeAsync(40_000);
		r.pause();
		await vi.advanceTimersByTimeAsync(5_000);
		r.resume();
		await vi.advanceTimersByTimeAsync(30_000);
		disk.full = true;
		await vi.advanceTimersByTimeAsync(20_000);
		const id = r.sessionId!;
		let savedId: string | undefined;
		const stopping = r.stop().then((s) => (savedId = s));
		await vi.advanceTimersByTimeAsync(2 * 60_000);
		// Stopped: no new beats, the held ones kept, the person told the session is not saved yet.
		expect(r.phase).toBe('saving');
		const recorded = r.beatCount;
		expect(r.storageTrouble).toMatchObject({ kind: 'full', stopped: true });
		expect(troubleText(r.storageTrouble!).headline).toMatch(/your session is not saved yet/);
		expect(savedId).toBeUndefined();
		// No new recording while this one waits (it holds the recording lock).
		await expect(r.start()).rejects.toThrow(/The last session is not saved yet/);

		// Room for beats but not for the events: the finishing write is refused as a whole.
		disk.tables = ['events'];
		await vi.advanceTimersByTimeAsync(2 * FLUSH_INTERVAL_MS);
		expect([...(await getBeats(id)).rrMs]).toEqual(rrOf(r));
		expect((await getSession(id))?.status).toBe('recording');
		expect((await getSession(id))?.summary).toBeUndefined();
		expect(await (await getDb()).events.where('sessionId').equals(id).count()).toBe(0);
		expect(savedId).toBeUndefined();

		disk.full = false;
		await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
		await stopping;
		expect(savedId).toBe(id);
		expect(r.beatCount).toBe(recorded);
		expect(r.storageTrouble).toBeUndefined();
		const session = (await getSession(id))!;
		expect(session.status).toBe('finished');
		expect(session.beatCount).toBe(recorded);
		expect(session.summary?.meanHr).toBeGreaterThan(40);
		const events = await (await getDb()).events.where('sessionId').equals(id).toArray();
		expect(events.map((e) => e.type)).toEqual(['pause']);
	});

	it('past the hold’s bound, records no new beats (stored as a gap) and keeps those held', async () => {
		const limit = 120;
		const r = await connected(5, limit);
		await r.start();
		await vi.advanceTimersByTimeAsync(30_000);
		disk.full = true;
		await vi.advanceTimersByTimeAsync(4 * 60_000);
		expect(r.storageTrouble).toMatchObject({ holdFull: true, heldBeats: limit });
		expect(r.storageTrouble!.notRecorded).toBeGreaterThan(60);
		expect(troubleText(r.storageTrouble!).body).toMatch(/newer beats are not recorded/);
		const recorded = r.beatCount;
		disk.full = false;
		await vi.advanceTimersByTimeAsync(60_000);
		expect(r.beatCount).toBeGreaterThan(recorded);
		const id = (await r.stop())!;
		expect([...(await getBeats(id)).rrMs]).toEqual(rrOf(r));
		const gaps = (await (await getDb()).events.where('sessionId').equals(id).toArray()).filter(
			(e) => e.type === 'gap'
		);
		expect(gaps).toHaveLength(1);
		// The unrecorded span: from when the hold filled to when room came back, a few minutes.
		expect(gaps[0].endMs! - gaps[0].startMs).toBeGreaterThan(60_000);
		expect(gaps[0].endMs! - gaps[0].startMs).toBeLessThan(4 * 60_000);
	});
});

describe('how long the hold lasts', () => {
	it('is the bound over the heart rate, in words', () => {
		expect(HOLD_LIMIT_BEATS).toBe(36_000);
		expect(holdMinutesLeft(0, 60)).toBe(600);
		expect(holdMinutesLeft(0, 180)).toBe(200);
		expect(holdMinutesLeft(6_000, 100)).toBe(300);
		// An unknown or implausible rate counts as 60 bpm.
		expect(holdMinutesLeft(0, undefined)).toBe(600);
		expect(holdMinutesLeft(0, 0)).toBe(600);
		expect(minutesInWords(600)).toBe('10 h 00 min');
		expect(minutesInWords(245.9)).toBe('4 h 05 min');
		expect(minutesInWords(35)).toBe('35 min');
		expect(minutesInWords(0.5)).toBe('under a minute');
		const text = troubleText({
			kind: 'full',
			heldBeats: 600,
			holdFull: false,
			holdLimitBeats: HOLD_LIMIT_BEATS,
			notRecorded: 0,
			stopped: false,
			bpm: 60
		});
		expect(text.body).toContain('600 beats so far');
		expect(text.body).toContain('room for 9 h 50 min more at your heart rate now (60 bpm)');
	});
});

describe('other writes on a full disk', () => {
	async function finished(): Promise<string> {
		const s = await createSession({ source: 'demo', strapName: 'Demo' });
		await appendBeats(
			s.id,
			0,
			Array.from({ length: 100 }, (_, i) => ({ timeMs: (i + 1) * 800, rrMs: 800, flags: 0 }))
		);
		await finishRecording(s.id, { meanHr: 75 }, []);
		return s.id;
	}

	it('refuses a note with words saying why and what to do, and leaves the session as it was', async () => {
		const id = await finished();
		const before = await getSession(id);
		disk.full = true;
		const message = await saveSelfReport(id, { note: 'Hips let go.', tags: ['garden'] });
		expect(message).toMatch(
			/^Your note, tension and tags could not be saved: this browser's storage for Settle is full\. Free space/
		);
		await expect(
			saveSessionEdits(id, { routine: 'Yoga', phase: 'none', tags: [] })
		).rejects.toThrow();
		// The session's page says it in words (its editor keeps what was typed).
		const page = new SessionPage(() => id);
		expect(await page.save({ routine: 'Yoga', phase: 'none', note: 'Better', tags: [] })).toMatch(
			/^Your changes could not be saved: this browser's storage for Settle is full\..*then try again\.$/
		);
		expect(await getSession(id)).toEqual(before);
		disk.full = false;
		expect(await saveSelfReport(id, { note: 'Hips let go.', tags: [] })).toBeUndefined();
		expect((await getSession(id))?.note).toBe('Hips let go.');
	});

	it('stops an import at the refused file, writing no part of it', async () => {
		const id = await finished();
		const text = (k: number) =>
			new TextEncoder().encode(
				Array.from({ length: 300 }, (_, i) => String(800 + k + (i % 9) * 5)).join('\n')
			);
		disk.full = true;
		const batch = await importRrFiles(
			[1, 2].map((k) => ({ name: `r${k}.txt`, bytes: async () => text(k) })),
			() => ({ meanHr: 70 })
		);
		expect(batch.stopped).toBe('storage full');
		expect(batch.results).toHaveLength(1);
		expect(await (await getDb()).sessions.toCollection().primaryKeys()).toEqual([id]);
		expect(await (await getDb()).beatChunks.where('sessionId').notEqual(id).count()).toBe(0);
	});

	it('refuses a backup restore as a whole', async () => {
		const id = await finished();
		const blob = await backupBlob();
		const before = await getSession(id);
		await (await getDb()).sessions.delete(id);
		disk.full = true;
		const r = await restoreBackup(blob);
		expect(r.ok).toBe(false);
		expect(await (await getDb()).sessions.count()).toBe(0);
		disk.full = false;
		expect((await restoreBackup(blob)).ok).toBe(true);
		expect(await getSession(id)).toEqual(before);
	});

	it('keeps an assessment’s breathing rates until there is room, saying so, then saves them', async () => {
		const id = await finished();
		const { clock, advance } = fakeClock();
		const recorder = {
			start: vi.fn(async () => undefined),
			stop: vi.fn(async () => id),
			followBreathing: () => undefined
		};
		const flow = new ResonanceFlow(recorder, { saveSteps: saveAssessmentSteps }, clock);
		flow.stepMinutes = 1;
		await flow.start();
		disk.full = true;
		await advance(FIRST_REST_S * 1000 + 5 * 60_000 + 4 * REST_S * 1000);
		expect(flow.phase).toBe('saving');
		await vi.waitFor(() => expect(flow.error).toBeDefined());
		expect(flow.error).toMatch(
			/^The breathing rates of this assessment could not be saved: this browser's storage for Settle is full\. .*Settle tries again every few seconds/
		);
		await vi.advanceTimersByTimeAsync(30_000);
		expect((await getSession(id))?.assessment).toBeUndefined();
		expect(await (await getDb()).events.count()).toBe(0);
		disk.full = false;
		await vi.waitFor(async () => {
			await vi.advanceTimersByTimeAsync(5000);
			expect(flow.phase).toBe('done');
		});
		expect(flow.error).toBeUndefined();
		expect((await getSession(id))?.assessment?.steps).toHaveLength(5);
		expect(await (await getDb()).events.where('sessionId').equals(id).count()).toBe(5);
	});
});
