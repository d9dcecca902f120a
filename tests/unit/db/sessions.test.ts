import { beforeEach, describe, expect, it } from 'vitest';
import {
	SettleDB,
	appendBeats,
	createSession,
	deleteSession,
	finishSession,
	getDb,
	getBeats,
	getSession,
	unfinishedSessions,
	useDatabase
} from '$lib/db';

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

	it('stores a beat in at most 16 bytes', async () => {
		const s = await createSession({ source: 'demo', strapName: 'Demo' });
		const beats = Array.from({ length: 100 }, (_, i) => beat(i * 1000, 1000));
		await appendBeats(s.id, 0, beats);
		const [chunk] = await getDb().beatChunks.where('sessionId').equals(s.id).toArray();
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
