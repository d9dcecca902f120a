/**
 * The integrity check with years of recordings: each session's beats are read once, after they
 * change, and beats left without a session are still found.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DBCoreTable } from 'dexie';
import {
	appendBeats,
	backupBlob,
	checkIntegrity,
	checkSessionRows,
	createSession,
	deleteSession,
	finishSession,
	forgetIntegrityChecks,
	getDb,
	removeDamaged,
	undoDelete,
	useDatabase,
	type IntegrityProgress
} from '$lib/db';
import { localKeeper, type RecordKeeper } from '$lib/db/integrity';
import { SettleDB } from '$lib/db/schema';
import { YourData } from '$lib/data/your-data.svelte';

/** What was read from the beat chunks table, counted below Dexie (not by the check itself). */
interface Reads {
	values: number;
	keys: number;
	cursors: number;
}

let reads: Reads;
let n = 0;
beforeEach(() => {
	const db = new SettleDB(`integrity-incremental-${n++}`);
	const seen: Reads = { values: 0, keys: 0, cursors: 0 };
	db.use({
		stack: 'dbcore',
		name: 'count-chunk-reads',
		create: (down) => ({
			...down,
			table: (name) => {
				const t = down.table(name);
				if (name !== 'beatChunks') return t;
				const counted: DBCoreTable = {
					...t,
					query: async (req) => {
						const res = await t.query(req);
						if (req.values) seen.values += res.result.length;
						else seen.keys += res.result.length;
						return res;
					},
					get: async (req) => {
						const row = await t.get(req);
						if (row !== undefined) seen.values++;
						return row;
					},
					getMany: async (req) => {
						const rows = await t.getMany(req);
						seen.values += rows.filter((r) => r !== undefined).length;
						return rows;
					},
					openCursor: (req) => {
						seen.cursors++;
						return t.openCursor(req);
					}
				};
				return counted;
			}
		})
	});
	useDatabase(db);
	reads = seen;
});

const readNothing = () => {
	reads.values = reads.keys = reads.cursors = 0;
};

const tick = () => new Promise((r) => setTimeout(r, 2));

const beats = (from: number, count: number) =>
	Array.from({ length: count }, (_, i) => ({ timeMs: (from + i + 1) * 800, rrMs: 800, flags: 0 }));

/** A finished session of `chunks` chunks of 10 beats, as the recorder writes them. */
async function savedSession(id: string, chunks = 3) {
	await createSession({ id, source: 'demo', strapName: 'Demo', startedAt: 1_700_000_000_000 });
	for (let seq = 0; seq < chunks; seq++) await appendBeats(id, seq, beats(seq * 10, 10));
	await finishSession(id, { summary: { meanHr: 75 }, beatCount: chunks * 10 });
}

async function history(count: number, chunks = 3): Promise<string[]> {
	const ids = Array.from({ length: count }, (_, i) => `s${String(i).padStart(3, '0')}`);
	for (const id of ids) await savedSession(id, chunks);
	// Later writes get a later updatedAt than anything recorded now.
	await tick();
	return ids;
}

const badChunk = (sessionId: string, seq: number) =>
	({
		sessionId,
		seq,
		t0Ms: 0,
		rrMs: 'garbage',
		offsetMs: new Float32Array(2),
		flags: new Uint8Array(2)
	}) as never;

describe('the incremental integrity check', () => {
	it('reads every session’s beats the first time, in batches, with progress', async () => {
		await history(10);
		readNothing();
		const progress: IntegrityProgress[] = [];
		const { damaged, stats } = await checkIntegrity({
			batchSize: 4,
			onProgress: (p) => progress.push(p)
		});
		expect(damaged).toEqual([]);
		expect(progress).toEqual([
			{ done: 0, total: 10 },
			{ done: 4, total: 10 },
			{ done: 8, total: 10 },
			{ done: 10, total: 10 }
		]);
		expect(stats).toEqual({
			sessions: 10,
			sessionsChecked: 10,
			chunksRead: 30,
			keysRead: 0,
			restarts: 0
		});
		expect(reads).toEqual({ values: 30, keys: 0, cursors: 0 });
	});

	it('reads no beats the second time', async () => {
		await history(10);
		await checkIntegrity();
		readNothing();
		const progress: IntegrityProgress[] = [];
		const { damaged, stats } = await checkIntegrity({ onProgress: (p) => progress.push(p) });
		expect(damaged).toEqual([]);
		expect(progress).toEqual([{ done: 0, total: 0 }]);
		expect(stats).toMatchObject({ sessions: 10, sessionsChecked: 0, chunksRead: 0, keysRead: 0 });
		expect(reads).toEqual({ values: 0, keys: 0, cursors: 0 });
	});

	it('reads again only the session that gained beats', async () => {
		await history(10);
		await checkIntegrity();
		await appendBeats('s004', 3, beats(30, 10));
		readNothing();
		const { stats } = await checkIntegrity();
		expect(stats).toMatchObject({ sessionsChecked: 1, chunksRead: 4, keysRead: 0 });
		expect(reads.values).toBe(4);
		readNothing();
		expect((await checkIntegrity()).stats.sessionsChecked).toBe(0);
		expect(reads.values).toBe(0);
	});

	it('notices beats added within the same millisecond as the last check (by their count)', async () => {
		await history(3);
		await checkIntegrity();
		const row = await (await getDb()).sessions.get('s001');
		// A chunk written past appendBeats, the row's updatedAt unchanged.
		await (await getDb()).beatChunks.put(badChunk('s001', 7));
		expect((await (await getDb()).sessions.get('s001'))?.updatedAt).toBe(row?.updatedAt);
		const { damaged, stats } = await checkIntegrity();
		expect(damaged.map((d) => [d.sessionId, d.key, d.reason])).toEqual([
			['s001', ['s001', 7], 'RR values are not a number array']
		]);
		// Keys only, to see whose chunks disagree; then that session's beats.
		expect(stats).toMatchObject({ sessionsChecked: 1, chunksRead: 4, keysRead: 10 });
	});

	it('names a damaged chunk every time until it is removed', async () => {
		await history(5);
		await checkIntegrity();
		await appendBeats('s002', 3, beats(30, 10));
		await (await getDb()).beatChunks.put(badChunk('s002', 4));
		for (let i = 0; i < 3; i++) {
			readNothing();
			const { damaged, stats } = await checkIntegrity();
			expect(damaged.map((d) => [d.table, d.sessionId, d.reason])).toEqual([
				['beatChunks', 's002', 'RR values are not a number array']
			]);
			// Its session is never recorded as sound, so its beats are read each time (only its own).
			expect(stats).toMatchObject({ sessionsChecked: 1, chunksRead: 5, keysRead: 0 });
		}
		await removeDamaged((await checkIntegrity()).damaged);
		expect((await checkIntegrity()).damaged).toEqual([]);
		readNothing();
		expect((await checkIntegrity()).stats.sessionsChecked).toBe(0);
		expect(reads.values).toBe(0);
	});

	it('finds beats whose session no longer exists, without reading them, and removes them', async () => {
		await history(4);
		await checkIntegrity();
		// A row removed past the app (removing a damaged row leaves its beats the same way).
		await (await getDb()).sessions.delete('s001');
		await (
			await getDb()
		).beatChunks.put({
			...(await (await getDb()).beatChunks.get(['s000', 0]))!,
			sessionId: 'ghost'
		});
		readNothing();
		const { damaged, stats } = await checkIntegrity();
		// In key order, each group once, however many chunks it has.
		expect(damaged).toEqual([
			{
				table: 'beatChunks',
				key: 'ghost',
				sessionId: 'ghost',
				chunks: 1,
				reason: 'left behind by a session that no longer exists (1 stored record)'
			},
			{
				table: 'beatChunks',
				key: 's001',
				sessionId: 's001',
				chunks: 3,
				reason: 'left behind by a session that no longer exists (3 stored records)'
			}
		]);
		expect(stats).toMatchObject({ sessionsChecked: 0, chunksRead: 0, keysRead: 13 });
		expect(reads).toEqual({ values: 0, keys: 13, cursors: 0 });
		// Found again until removed.
		expect((await checkIntegrity()).damaged).toHaveLength(2);
		await removeDamaged(damaged);
		expect(await (await getDb()).beatChunks.count()).toBe(9);
		readNothing();
		expect(await checkIntegrity()).toMatchObject({ damaged: [], stats: { keysRead: 0 } });
		expect(reads.values + reads.keys).toBe(0);
	});

	it('keeps beats that were named as left behind once their session is back (an undo)', async () => {
		await history(2);
		const deleted = await deleteSession('s000');
		await (await getDb()).beatChunks.bulkPut(deleted!.chunks);
		const { damaged } = await checkIntegrity();
		expect(damaged.map((d) => d.chunks)).toEqual([3]);
		await (await getDb()).beatChunks.where('sessionId').equals('s000').delete();
		await undoDelete(deleted!);
		await removeDamaged(damaged);
		expect(await (await getDb()).beatChunks.where('sessionId').equals('s000').count()).toBe(3);
	});

	it('reads everything again once the record is forgotten (a backup restored, all deleted)', async () => {
		await history(6);
		await checkIntegrity();
		// A chunk replaced in place past the app, updatedAt and count unchanged: not seen, as the
		// record vouches for the session (only a restore does this, and it forgets the record).
		await (await getDb()).beatChunks.put(badChunk('s003', 1));
		expect((await checkIntegrity()).damaged).toEqual([]);
		forgetIntegrityChecks();
		readNothing();
		const { damaged, stats } = await checkIntegrity();
		expect(stats).toMatchObject({ sessionsChecked: 6, chunksRead: 18 });
		expect(damaged.map((d) => d.key)).toEqual([['s003', 1]]);
	});

	it('starts again when the record is forgotten while it runs (a restore in another tab)', async () => {
		await history(6);
		let forgotten = false;
		const { stats } = await checkIntegrity({
			batchSize: 2,
			onProgress: (p) => {
				if (p.done === 2 && !forgotten) {
					forgotten = true;
					forgetIntegrityChecks();
				}
			}
		});
		// The batch read after the forgetting is not recorded (it may predate the restore): the
		// check notices when it would record it, and reads all six again.
		expect(stats).toMatchObject({ restarts: 1, sessionsChecked: 4 + 6 });
		readNothing();
		expect((await checkIntegrity()).stats.sessionsChecked).toBe(0);
	});

	it('keeps what it read when stopped halfway, and reads the rest next time', async () => {
		await history(6);
		const stop = new AbortController();
		await expect(
			checkIntegrity({
				batchSize: 2,
				signal: stop.signal,
				onProgress: (p) => p.done === 4 && stop.abort()
			})
		).rejects.toThrow();
		readNothing();
		expect((await checkIntegrity()).stats).toMatchObject({ sessionsChecked: 2, chunksRead: 6 });
	});

	it('forgets deleted sessions and reads a new one', async () => {
		await history(3);
		await checkIntegrity();
		await deleteSession('s000');
		await savedSession('new');
		readNothing();
		const { damaged, stats } = await checkIntegrity();
		expect(damaged).toEqual([]);
		expect(stats).toMatchObject({ sessions: 3, sessionsChecked: 1, keysRead: 0 });
	});

	it('still names damaged session rows, and reads the beats of such a session each time', async () => {
		await history(2);
		await (await getDb()).sessions.update('s001', { startedAt: 'yesterday' as never });
		for (let i = 0; i < 2; i++) {
			const { damaged, stats } = await checkIntegrity();
			expect(damaged.map((d) => [d.table, d.key, d.reason])).toEqual([
				['sessions', 's001', 'no valid start time']
			]);
			expect(stats.sessionsChecked).toBe(i === 0 ? 2 : 1);
		}
	});
});

describe('the sessions list’s check', () => {
	it('checks rows only, never the beats', async () => {
		await history(3);
		await (
			await getDb()
		).sessions.put({
			id: 'bad-row',
			startedAt: 'yesterday',
			status: 'finished'
		} as never);
		await (await getDb()).beatChunks.put(badChunk('s000', 9));
		readNothing();
		expect((await checkSessionRows()).map((d) => [d.table, d.sessionId, d.reason])).toEqual([
			['sessions', 'bad-row', 'no valid start time']
		]);
		expect(reads).toEqual({ values: 0, keys: 0, cursors: 0 });
	});
});

describe('where the record is kept', () => {
	class MemoryStorage {
		items = new Map<string, string>();
		full = false;
		getItem(k: string) {
			return this.items.get(k) ?? null;
		}
		setItem(k: string, v: string) {
			if (this.full) throw new DOMException('full', 'QuotaExceededError');
			this.items.set(k, v);
		}
		removeItem(k: string) {
			this.items.delete(k);
		}
	}
	let storage: MemoryStorage;
	beforeEach(() => {
		storage = new MemoryStorage();
		(globalThis as { localStorage?: unknown }).localStorage = storage;
	});
	afterEach(() => {
		delete (globalThis as { localStorage?: unknown }).localStorage;
	});

	it('is one small localStorage entry per database, shared by the tabs', async () => {
		await history(3);
		await checkIntegrity();
		const key = `settle.integrity-checked.${(await getDb()).name}`;
		const record = JSON.parse(storage.getItem(key)!);
		expect(Object.keys(record.sessions)).toEqual(['s000', 's001', 's002']);
		const row = await (await getDb()).sessions.get('s000');
		expect(record.sessions.s000).toEqual([row!.updatedAt, 3]);
		readNothing();
		expect((await checkIntegrity()).stats.sessionsChecked).toBe(0);
		// Another tab forgets it (a restore there): this tab reads everything again.
		storage.setItem(key, JSON.stringify({ gen: 'other-tab', sessions: {} }));
		expect((await checkIntegrity()).stats.sessionsChecked).toBe(3);
	});

	it('trusts nothing when the record cannot be written', async () => {
		await history(3);
		await checkIntegrity();
		storage.full = true;
		await appendBeats('s000', 3, beats(30, 10));
		expect((await checkIntegrity()).stats.sessionsChecked).toBe(1);
		// The entry written before is gone rather than out of date.
		expect([...storage.items.keys()].filter((k) => k.includes('integrity'))).toEqual([]);
		expect((await checkIntegrity()).stats.sessionsChecked).toBe(3);
	});

	it('is kept less often when asked (a worker’s page writes it), but always at the end', async () => {
		await history(12);
		const writes: number[] = [];
		const keeper = localKeeper((await getDb()).name);
		const counting: RecordKeeper = {
			read: () => keeper.read(),
			write: (record, stored) => {
				writes.push(Object.keys(record.sessions).length);
				return keeper.write(record, stored);
			}
		};
		await checkIntegrity({ batchSize: 4, keeper: counting });
		expect(writes).toEqual([4, 8, 12, 12]);
		writes.length = 0;
		forgetIntegrityChecks();
		await checkIntegrity({ batchSize: 4, keeper: counting, keepEveryMs: 60_000 });
		// The first batch, then nothing for a minute, then the end: all 12 known sound.
		expect(writes).toEqual([4, 12]);
		readNothing();
		expect((await checkIntegrity()).stats.sessionsChecked).toBe(0);
	});

	it('ignores a record edited by hand', async () => {
		await history(2);
		storage.setItem(
			`settle.integrity-checked.${(await getDb()).name}`,
			JSON.stringify({ gen: 'x', sessions: { s000: ['soon', 3], s001: null } })
		);
		expect((await checkIntegrity()).stats.sessionsChecked).toBe(2);
	});
});

describe('the Your data page', () => {
	it('checks after a restore everything the backup brought, and shows what it read', async () => {
		await history(3);
		const page = new YourData();
		await page.refresh();
		expect(page.checkMessage).toBe('Checked your recordings: 3 sessions.');
		expect(page.checkProgress).toBeUndefined();
		await page.refresh();
		expect(page.checkMessage).toBeUndefined();

		const backup = await backupBlob();
		await page.restore(new File([backup], 'backup.json'));
		expect(page.restoreMessage).toEqual({
			ok: true,
			text: 'Backup restored: 3 sessions in total.'
		});
		expect(page.checkMessage).toBe('Checked your recordings: 3 sessions.');

		await page.deleteAll();
		expect(page.damaged).toEqual([]);
		expect(page.checkMessage).toBeUndefined();
	});

	it('shows progress while it reads beats, and stops when the page closes', async () => {
		await history(120, 1);
		const page = new YourData();
		const seen: (IntegrityProgress | undefined)[] = [];
		const running = page.check();
		for (let i = 0; i < 200 && seen.length < 2; i++) {
			await tick();
			if (page.checkProgress && !seen.includes(page.checkProgress)) seen.push(page.checkProgress);
		}
		page.stop();
		await running;
		expect(seen[0]).toMatchObject({ total: 120 });
		expect(page.checkProgress).toBeUndefined();
		expect(page.checkMessage).toBeUndefined();
		// What it read before stopping is kept.
		expect((await checkIntegrity()).stats.sessionsChecked).toBeLessThan(120);
	});
});
