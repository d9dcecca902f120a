import { firstValueFrom } from './observable';
import { finishedSessions } from '$lib/db/finished-sessions';
import { beforeEach, describe, expect, it } from 'vitest';
import {
	appendBeats,
	checkIntegrity,
	createSession,
	finishSession,
	getBeats,
	getDb,
	getSession,
	removeDamaged,
	useDatabase
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';

let n = 0;
beforeEach(() => {
	useDatabase(new SettleDB(`integrity-${n++}`));
});

async function savedSession(id: string, beats = 20) {
	await createSession({ id, source: 'demo', strapName: 'Demo', startedAt: 1_700_000_000_000 });
	await appendBeats(
		id,
		0,
		Array.from({ length: beats }, (_, i) => ({ timeMs: (i + 1) * 800, rrMs: 800, flags: 0 }))
	);
	await finishSession(id, { summary: { meanHr: 75 }, beatCount: beats, durationMs: beats * 800 });
}

describe('a database with damaged records', () => {
	it('opens, names each damaged record with a reason, and keeps the rest intact', async () => {
		await savedSession('good-1');
		await savedSession('good-2');
		await savedSession('beats-hurt');
		const db = await getDb();
		// What a disk error or an old bug might leave behind, written past the app's own code.
		await db.sessions.put({ id: 'bad-row', startedAt: 'yesterday', status: 'finished' } as never);
		await db.beatChunks.put({
			sessionId: 'beats-hurt',
			seq: 1,
			t0Ms: 16_800,
			rrMs: 'garbage',
			offsetMs: new Float32Array(2),
			flags: new Uint8Array(2)
		} as never);

		const { damaged } = await checkIntegrity();
		expect(damaged.map((d) => [d.table, d.sessionId, d.reason])).toEqual([
			['sessions', 'bad-row', 'no valid start time'],
			['beatChunks', 'beats-hurt', 'RR values are not a number array']
		]);

		const listed = await firstValueFrom(finishedSessions());
		expect(listed.map((s) => s.id).sort()).toEqual(['beats-hurt', 'good-1', 'good-2']);
		expect(await getSession('bad-row')).toBeUndefined();
		// The session with a damaged chunk still gives back its sound beats.
		expect((await getBeats('beats-hurt')).rrMs.length).toBe(20);
		expect((await getBeats('good-1')).rrMs.length).toBe(20);

		await removeDamaged(damaged);
		expect((await checkIntegrity()).damaged).toEqual([]);
		expect(await db.sessions.count()).toBe(3);
		expect(await db.beatChunks.count()).toBe(3);
	});

	it('reports chunks whose arrays disagree in length or hold non-numbers', async () => {
		await savedSession('s');
		await (
			await getDb()
		).beatChunks.put({
			sessionId: 's',
			seq: 5,
			t0Ms: 0,
			rrMs: Float64Array.of(800, NaN),
			offsetMs: new Float32Array(2),
			flags: new Uint8Array(2)
		});
		await (
			await getDb()
		).beatChunks.put({
			sessionId: 's',
			seq: 6,
			t0Ms: 0,
			rrMs: Float64Array.of(800, 810),
			offsetMs: new Float32Array(1),
			flags: new Uint8Array(2)
		});
		expect((await checkIntegrity()).damaged.map((d) => d.reason)).toEqual([
			'beat 2 is not a number',
			'RR values, times and flags differ in length'
		]);
	});
});
