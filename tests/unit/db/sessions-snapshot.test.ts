/**
 * The copy of the finished sessions that History and Compare read in a new tab: read by the page's
 * inline script only while no session was written since it was taken.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	DB_NAME,
	appendBeats,
	createSession,
	finishSession,
	getDb,
	deleteSession,
	replaceSummaries,
	useDatabase,
	type SessionRow
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { finishedSessions } from '$lib/db/finished-sessions';
import { getDexie } from '$lib/db/db';
import { keepSnapshot, sessionsMark } from '$lib/db/sessions-snapshot';
import { PICTURE_KEY } from '$lib/history-picture-names';

interface Early {
	rows: SessionRow[];
	snapshot?: string;
	version: number;
}

function runPageScripts(pathname: string): Promise<Early | undefined> {
	const html = readFileSync('src/app.html', 'utf8');
	for (const [, body] of html.matchAll(/<script>([\s\S]*?)<\/script>/g))
		new Function('location', 'self', body)({ pathname }, globalThis);
	return globalThis.__settleEarlySessions as Promise<Early | undefined>;
}

async function finished(id: string, startedAt: number) {
	await createSession({ id, source: 'demo', strapName: 'Demo', startedAt });
	await finishSession(id, { summary: { meanHr: 70 }, beatCount: 10, durationMs: 8000 });
}

// The tests' own look at the copy's database, not counted with the app's openings of it.
const realOpen = indexedDB.open.bind(indexedDB);

/** The stored copy, read as the inline script does. */
function storedCopy(): Promise<{ mark: string; json: string } | undefined> {
	return new Promise((resolve) => {
		const open = realOpen(`${DB_NAME}-snapshot`, 1);
		open.onupgradeneeded = () => open.result.createObjectStore('snapshot');
		open.onsuccess = () => {
			const get = open.result.transaction('snapshot').objectStore('snapshot').get('finished');
			get.onsuccess = () => {
				open.result.close();
				resolve(get.result);
			};
		};
	});
}

/** Reads the finished sessions as History does, and waits until the page is idle after. */
async function visitHistory(): Promise<void> {
	const answers: SessionRow[][] = [];
	const sub = finishedSessions().subscribe({ next: (rows) => answers.push(rows), error: () => {} });
	await until(async () => answers.length === 1);
	sub.unsubscribe();
	await vi.advanceTimersByTimeAsync(1000);
}

/** Waits (on real time: the fake timers are only the page's idle wait) until `check` holds. */
async function until(check: () => Promise<boolean>): Promise<void> {
	for (let i = 0; i < 200; i++) {
		if (await check()) return;
		await vi.advanceTimersByTimeAsync(50);
		await new Promise((r) => setImmediate(r));
	}
	throw new Error('timed out');
}

const deleteDb = (name: string) =>
	new Promise((r) => (indexedDB.deleteDatabase(name).onsuccess = r));

let storage: Map<string, string>;
beforeEach(async () => {
	vi.useFakeTimers({ toFake: ['setTimeout'] });
	storage = new Map();
	vi.stubGlobal('localStorage', {
		getItem: (k: string) => storage.get(k) ?? null,
		setItem: (k: string, v: string) => void storage.set(k, v),
		removeItem: (k: string) => void storage.delete(k)
	});
	await deleteDb(DB_NAME);
	await deleteDb(`${DB_NAME}-snapshot`);
	useDatabase(new SettleDB());
	// Dexie's module, loaded as a page loads it after its first paint, before the fake timers run.
	await getDexie();
});
afterEach(async () => {
	(await getDb()).close();
	globalThis.__settleEarlySessions = undefined;
	vi.unstubAllGlobals();
	vi.useRealTimers();
});

describe('the copy of the finished sessions', () => {
	it('is read by a new tab once a visit kept it, and not once a session was written', async () => {
		await finished('a', 1_000);
		await finished('b', 3_000);
		// No copy yet: the inline script reads the sessions themselves.
		expect((await runPageScripts('/history'))?.snapshot).toBeUndefined();
		globalThis.__settleEarlySessions = undefined;

		await visitHistory();
		await until(async () => (await storedCopy()) !== undefined);
		const copy = await storedCopy();
		expect(copy?.mark).toBe(sessionsMark(DB_NAME));
		const early = await runPageScripts('/history');
		expect(early?.snapshot).toBe(copy?.mark);
		expect(early?.version).toBe(Math.round((await getDb()).verno * 10));
		expect(early?.rows.map((r) => r.id).sort()).toEqual(['a', 'b']);

		// A new session: the mark moves and the copy is gone, so the next tab reads the sessions.
		await finished('c', 5_000);
		expect(sessionsMark(DB_NAME)).not.toBe(copy?.mark);
		await until(async () => (await storedCopy()) === undefined);
		const after = await runPageScripts('/compare');
		expect(after?.snapshot).toBeUndefined();
		expect(after?.rows.map((r) => r.id).sort()).toEqual(['a', 'b', 'c']);
	});

	it('is not taken from a read that a write overlapped', async () => {
		await finished('a', 1_000);
		const before = sessionsMark(DB_NAME);
		const rows = await (await getDb()).sessions.toArray();
		await deleteSession('a');
		keepSnapshot(await getDb(), before, rows);
		await vi.advanceTimersByTimeAsync(1000);
		expect(await storedCopy()).toBeUndefined();
	});

	it('does not count a copy whose mark is not the current one', async () => {
		await finished('a', 1_000);
		await visitHistory();
		await until(async () => (await storedCopy()) !== undefined);
		// Another tab's write moved the mark (its deletion of the copy not yet done).
		storage.set(`${DB_NAME}-sessions-changed`, 'elsewhere');
		expect((await runPageScripts('/history'))?.snapshot).toBeUndefined();
	});

	it('is the app’s first answer, with no read of its own', async () => {
		await finished('a', 1_000);
		await finished('b', 3_000);
		await visitHistory();
		await until(async () => (await storedCopy()) !== undefined);
		expect((await runPageScripts('/history'))?.snapshot).toBeDefined();
		const where = vi.spyOn((await getDb()).sessions, 'where');
		const answers: string[][] = [];
		const sub = finishedSessions().subscribe({
			next: (rows) => answers.push(rows.map((r) => r.id)),
			error: () => {}
		});
		await until(async () => answers.length === 1);
		expect(answers[0]).toEqual(['b', 'a']);
		expect(where).not.toHaveBeenCalled();
		sub.unsubscribe();
	});

	it('is kept again by an open page after a session is written in the same tab', async () => {
		await finished('a', 1_000);
		const answers: string[][] = [];
		const sub = finishedSessions().subscribe({
			next: (rows) => answers.push(rows.map((r) => r.id)),
			error: () => {}
		});
		await until(async () => (await storedCopy())?.mark === sessionsMark(DB_NAME));
		// In a browser, Dexie tells the page of the write while the write's 'complete' event is still
		// being dispatched (microtasks run between its listeners), before the mark moves past the
		// write: a read marked then could never be kept. fake-indexeddb runs the listeners back to
		// back, so here the mark's listener runs a task later, after Dexie's microtasks, as in a browser.
		const listen = IDBTransaction.prototype.addEventListener;
		const add = vi.spyOn(IDBTransaction.prototype, 'addEventListener').mockImplementation(function (
			this: IDBTransaction,
			type,
			listener,
			options
		) {
			const later =
				type === 'complete' && typeof listener === 'function'
					? (e: Event) => void setImmediate(() => listener.call(this, e))
					: listener;
			return listen.call(this, type, later, options);
		});
		await finished('b', 2_000);
		add.mockRestore();
		await until(async () => answers.at(-1)?.length === 2);
		await until(async () => (await storedCopy())?.mark === sessionsMark(DB_NAME));
		expect(
			JSON.parse((await storedCopy())!.json)
				.map((r: SessionRow) => r.id)
				.sort()
		).toEqual(['a', 'b']);
		sub.unsubscribe();
	});

	it('is never kept without storage for the mark', async () => {
		vi.stubGlobal('localStorage', undefined);
		await finished('a', 1_000);
		await visitHistory();
		expect(await storedCopy()).toBeUndefined();
		expect((await runPageScripts('/history'))?.snapshot).toBeUndefined();
	});
});

describe('the mark of the last change', () => {
	it('is removed when storage is full, so that no copy counts', async () => {
		await finished('a', 1_000);
		expect(sessionsMark(DB_NAME)).not.toBeNull();
		vi.stubGlobal('localStorage', {
			getItem: (k: string) => storage.get(k) ?? null,
			setItem: () => {
				throw new DOMException('full', 'QuotaExceededError');
			},
			removeItem: (k: string) => void storage.delete(k)
		});
		await finished('b', 2_000);
		expect(sessionsMark(DB_NAME)).toBeNull();
		expect((await runPageScripts('/history'))?.snapshot).toBeUndefined();
	});
});

describe('keeping the copy', () => {
	it('writes it once per change of the sessions, whichever tab reads them', async () => {
		await finished('a', 1_000);
		await visitHistory();
		await until(async () => (await storedCopy()) !== undefined);
		const put = vi.spyOn(IDBObjectStore.prototype, 'put');
		// Another tab (this module's memory forgotten) reads the same sessions: nothing to write.
		vi.resetModules();
		const { keepSnapshot: again } = await import('$lib/db/sessions-snapshot');
		again(await getDb(), sessionsMark(DB_NAME), await (await getDb()).sessions.toArray());
		await vi.advanceTimersByTimeAsync(1000);
		expect(put).not.toHaveBeenCalled();
		put.mockRestore();
	});
});

describe('the copy’s database', () => {
	it('is started afresh when something created it without its store', async () => {
		await new Promise<void>((resolve) => {
			const open = indexedDB.open(`${DB_NAME}-snapshot`, 1);
			open.onsuccess = () => {
				open.result.close();
				resolve();
			};
		});
		// Keeping the copy finds the database without its store, and creates it again.
		await finished('a', 1_000);
		await visitHistory();
		await until(async () => (await storedCopy()) !== undefined);
		expect((await runPageScripts('/history'))?.snapshot).toBe(sessionsMark(DB_NAME));
	});
});

describe('writes to the sessions', () => {
	/** Openings of the copy's database from now on. */
	function countOpenings() {
		const open = vi.spyOn(indexedDB, 'open');
		return () => open.mock.calls.filter(([n]) => n === `${DB_NAME}-snapshot`).length;
	}

	it('open the copy’s database only when there is a copy, once per transaction', async () => {
		await finished('a', 1_000);
		await finished('b', 2_000);
		// No copy kept yet: a recording's writes leave the copy's database alone.
		let openings = countOpenings();
		await appendBeats('b', 1, [{ rrMs: 800, timeMs: 9000, flags: 0 }]);
		expect(openings()).toBe(0);
		vi.restoreAllMocks();

		await visitHistory();
		await until(async () => (await storedCopy()) !== undefined);
		const before = sessionsMark(DB_NAME);
		openings = countOpenings();
		// One transaction rewriting both summaries: one mark move after it, one deletion.
		await replaceSummaries(
			new Map([
				['a', { meanHr: 61 }],
				['b', { meanHr: 62 }]
			])
		);
		await until(async () => (await storedCopy()) === undefined);
		expect(openings()).toBe(1);
		expect(sessionsMark(DB_NAME)).not.toBe(before);
		vi.restoreAllMocks();

		// The copy is gone, and known to be: the next write opens nothing.
		openings = countOpenings();
		await appendBeats('b', 2, [{ rrMs: 800, timeMs: 9800, flags: 0 }]);
		expect(openings()).toBe(0);
		vi.restoreAllMocks();
	});

	it('forget History’s picture when they delete a session, and only then', async () => {
		await finished('a', 1_000);
		await finished('b', 2_000);
		storage.set(PICTURE_KEY, '{"v":1}');
		await appendBeats('b', 1, [{ rrMs: 800, timeMs: 9000, flags: 0 }]);
		await replaceSummaries(new Map([['a', { meanHr: 61 }]]));
		// New beats, new figures: the picture is older than the page, which it says, but shows
		// nothing that is gone.
		expect(storage.get(PICTURE_KEY)).toBe('{"v":1}');
		await deleteSession('a');
		expect(storage.has(PICTURE_KEY)).toBe(false);
		// Everything at once (a table cleared), as Delete everything and a restore's wipe do.
		storage.set(PICTURE_KEY, '{"v":1}');
		await (await getDb()).sessions.clear();
		expect(storage.has(PICTURE_KEY)).toBe(false);
	});
});
