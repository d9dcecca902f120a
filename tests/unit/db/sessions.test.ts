import { beforeEach, describe, expect, it } from 'vitest';
import {
	appendBeats,
	createSession,
	deleteSession,
	finishSession,
	getDb,
	getBeats,
	getSession,
	addEvent,
	getEvents,
	saveAssessmentSteps,
	unfinishedSessions,
	useDatabase
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { retimeBeats } from '$lib/db/retime';

let n = 0;
beforeEach(() => {
	useDatabase(new SettleDB(`test-${n++}`));
});

const beat = (timeMs: number, rrMs: number, flags = 0) => ({ timeMs, rrMs, flags });

describe('sessions', () => {
	it('creates a session that is recording until finished', async () => {
		const s = await createSession({ source: 'demo', strapName: 'Demo' });
		expect((await unfinishedSessions()).map((r) => r.id)).toEqual([s.id]);
		await finishSession(s.id, { summary: { meanHr: 60 } });
		expect(await unfinishedSessions()).toEqual([]);
		expect((await getSession(s.id))?.status).toBe('finished');
	});

	it('keeps beats at full precision across chunks, in order', async () => {
		const s = await createSession({ source: 'bluetooth', strapName: 'Polar H10' });
		const rr = [812.5, 813.4765625, 0.9765625, 1000, 999.0234375];
		let t = 0;
		const beats = rr.map((r, i) => beat((t += r), r, i === 2 ? 1 : 0));
		// Written out of order on purpose: order comes from seq.
		await appendBeats(s.id, 1, beats.slice(3));
		await appendBeats(s.id, 0, beats.slice(0, 3));
		const back = await getBeats(s.id);
		expect([...back.rrMs]).toEqual(rr);
		expect([...back.flags]).toEqual([0, 0, 1, 0, 0]);
		back.timeMs.forEach((tm, i) => expect(tm).toBeCloseTo(beats[i].timeMs, 3));
		const row = await getSession(s.id);
		expect(row?.beatCount).toBe(5);
		expect(row?.durationMs).toBeCloseTo(t, 6);
	});

	it('retimes the beats of a recording from a chunk on, and moves its start, all at once', async () => {
		const s = await createSession({
			source: 'bluetooth',
			strapName: 'Polar H10',
			startedAt: 50_000
		});
		await appendBeats(s.id, 0, [beat(1000, 1000), beat(2000, 1000)]);
		await appendBeats(s.id, 1, [beat(3000, 1000), beat(4000, 1000)]);
		await appendBeats(s.id, 2, [beat(5000, 1000)]);
		await addEvent({ sessionId: s.id, type: 'pause', startMs: 1500, endMs: 2500 });
		await saveAssessmentSteps(
			s.id,
			[{ rateBpm: 6, inhaleS: 4, exhaleS: 6, startMs: 1000, endMs: 4000 }],
			1
		);
		// The beats from chunk 1 on come 700 ms earlier; the start moves 200 ms earlier.
		await retimeBeats(s.id, 1, [2500, 3500, 4500], 200);
		const back = await getBeats(s.id);
		expect([...back.timeMs]).toEqual([1200, 2200, 2500, 3500, 4500]);
		const row = (await getSession(s.id))!;
		expect(row.startedAt).toBe(49_800);
		expect(row.durationMs).toBe(4500);
		expect(row.assessment?.steps[0]).toMatchObject({ startMs: 1200, endMs: 4200 });
		const events = await getEvents(s.id);
		expect(events.find((e) => e.type === 'pause')).toMatchObject({ startMs: 1700, endMs: 2700 });
		expect(events.find((e) => e.type === 'marker')).toMatchObject({ startMs: 1200, endMs: 4200 });
		// Times for other beats than those stored: nothing changes.
		await expect(retimeBeats(s.id, 1, [1, 2], 300)).rejects.toThrow(/2 beat times for 3/);
		expect([...(await getBeats(s.id)).timeMs]).toEqual([1200, 2200, 2500, 3500, 4500]);
		expect((await getSession(s.id))!.startedAt).toBe(49_800);
	});

	it('stores a beat in at most 16 bytes', async () => {
		const s = await createSession({ source: 'demo', strapName: 'Demo' });
		const beats = Array.from({ length: 100 }, (_, i) => beat(i * 1000, 1000));
		await appendBeats(s.id, 0, beats);
		const [chunk] = await (await getDb()).beatChunks.where('sessionId').equals(s.id).toArray();
		const bytes = chunk.rrMs.byteLength + chunk.offsetMs.byteLength + chunk.flags.byteLength;
		expect(bytes / beats.length).toBeLessThanOrEqual(16);
		expect((await getBeats(s.id)).timeMs[99]).toBe(99000);
	});

	it('deletes a session with its beats', async () => {
		const s = await createSession({ source: 'demo', strapName: 'Demo' });
		await appendBeats(s.id, 0, [beat(1000, 1000)]);
		await deleteSession(s.id);
		expect(await getSession(s.id)).toBeUndefined();
		expect((await getBeats(s.id)).rrMs.length).toBe(0);
	});
});
