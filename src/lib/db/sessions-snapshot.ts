/**
 * The finished sessions as one JSON record, in a database of its own, for History and Compare
 * opening in a new tab (the inline script in src/app.html reads it while the app's code loads).
 * Measured in Chromium with 2,000 sessions: IndexedDB takes 16–37 ms to read them as 2,000 records
 * (longer while the same browser serves the app's code), and 8–14 ms of main thread to turn them
 * into objects; one record takes 2–5 ms, and its JSON 3–5 ms to parse.
 *
 * It must never show what is no longer stored, so every transaction writing the sessions table
 * (through Dexie: this app's, another tab's, a sync's or an import's) changes a mark in
 * localStorage, once as it starts and once after it ends, and deletes the copy. A copy keeps the mark
 * read before the rows it holds were read, and counts only while the mark is the same. A copy is
 * written only from a read that no write overlapped, and only when the page is idle.
 */
import type { Dexie, DBCoreMutateRequest } from 'dexie';
import type { SessionRow } from './schema';
import { whenIdle } from '$lib/when-idle';
import { forgetHistoryPicture } from '$lib/history-picture-names';

interface Snapshot {
	mark: string;
	name: string;
	version: number;
	json: string;
}

const STORE = 'snapshot';
const KEY = 'finished';
const snapshotDb = (name: string) => `${name}-snapshot`;
const markKey = (name: string) => `${name}-sessions-changed`;

/** The mark of the sessions' last change, or null where there is no storage for it. */
export function sessionsMark(name: string): string | null {
	try {
		return localStorage.getItem(markKey(name));
	} catch {
		return null;
	}
}

/** The mark before a read of the sessions (one is set if there was none: no copy exists then). */
export function markBeforeRead(name: string): string | null {
	if (sessionsMark(name) === null) markChanged(name);
	return sessionsMark(name);
}

/**
 * The mark of the copy last written, by any tab: no tab writes the same copy again, a write to the
 * sessions opens the copy's database only when there may be a copy to delete, and a new tab's
 * inline script opens it only when the copy may hold the sessions as they are (this mark equals
 * theirs).
 */
const heldKey = (name: string) => `${name}-snapshot-mark`;

function heldMark(name: string): string | null {
	try {
		return localStorage.getItem(heldKey(name));
	} catch {
		return null;
	}
}

function markChanged(name: string): void {
	try {
		localStorage.setItem(markKey(name), `${Date.now()}-${Math.random().toString(36).slice(2)}`);
	} catch {
		// Storage full or blocked: no mark at all, so that no copy counts (one would match a mark
		// that stayed put).
		try {
			localStorage.removeItem(markKey(name));
		} catch {
			// No storage whatever: no mark can be read either.
		}
	}
}

function openSnapshots(name: string, afresh = false): Promise<IDBDatabase | undefined> {
	return new Promise((resolve) => {
		if (typeof indexedDB === 'undefined') return resolve(undefined);
		const request = indexedDB.open(snapshotDb(name), 1);
		request.onupgradeneeded = () => request.result.createObjectStore(STORE);
		request.onsuccess = () => {
			const db = request.result;
			db.onversionchange = () => db.close();
			if (db.objectStoreNames.contains(STORE)) return resolve(db);
			// Created without its store by someone else (a tool, a test): started afresh, once.
			db.close();
			if (afresh) return resolve(undefined);
			const drop = indexedDB.deleteDatabase(snapshotDb(name));
			drop.onsuccess = () => resolve(openSnapshots(name, true));
			drop.onerror = drop.onblocked = () => resolve(undefined);
		};
		request.onerror = () => resolve(undefined);
		request.onblocked = () => resolve(undefined);
	});
}

/** Applies `edit` to the copy's store; true once its transaction has committed. */
async function change(name: string, edit: (store: IDBObjectStore) => void): Promise<boolean> {
	const db = await openSnapshots(name);
	if (!db) return false;
	try {
		const tx = db.transaction(STORE, 'readwrite');
		edit(tx.objectStore(STORE));
		return await new Promise<boolean>((resolve) => {
			tx.oncomplete = () => resolve(true);
			tx.onabort = tx.onerror = () => resolve(false);
		});
	} catch {
		// Quota or a closing database: there is simply no copy, and the app reads the sessions.
		return false;
	} finally {
		db.close();
	}
}

/** Deletes the copy, if one may exist (its mark is forgotten first, so no tab relies on it). */
function dropSnapshot(name: string): void {
	if (heldMark(name) === null) return;
	try {
		localStorage.removeItem(heldKey(name));
	} catch {
		// The mark of the sessions has moved anyway: the copy no longer counts.
	}
	void change(name, (store) => store.delete(KEY));
}

/**
 * Every transaction that writes the sessions table moves the mark as it starts and after it ends,
 * and deletes the copy (and one that deletes sessions, History's picture): once per transaction, however many rows it writes (a re-analysis rewrites
 * thousands in one), and without opening the copy's database when there is no copy (a recording
 * writes every 5 s).
 */
export function watchSessionWrites(db: Dexie): void {
	const name = db.name;
	const endOf = new WeakMap<object, () => void>();
	/** Transactions that delete sessions: History's picture must not show them to a new tab. */
	const deleting = new WeakSet<object>();
	const onceEnded = (trans: object): (() => void) => {
		let after = endOf.get(trans);
		if (after) return after;
		markChanged(name);
		let done = false;
		after = () => {
			if (done) return;
			done = true;
			markChanged(name);
			dropSnapshot(name);
			if (deleting.has(trans)) forgetHistoryPicture();
		};
		endOf.set(trans, after);
		// After the transaction ends: a read started before then may not see its writes.
		const events = trans as Partial<IDBTransaction>;
		if (typeof events.addEventListener === 'function')
			for (const type of ['complete', 'abort', 'error']) events.addEventListener(type, after);
		return after;
	};
	db.use({
		stack: 'dbcore',
		name: 'sessions-snapshot',
		create: (down) => ({
			...down,
			table: (tableName) => {
				const table = down.table(tableName);
				if (tableName !== 'sessions') return table;
				return {
					...table,
					mutate: (req: DBCoreMutateRequest) => {
						if (req.type === 'delete' || req.type === 'deleteRange') deleting.add(req.trans);
						const after = onceEnded(req.trans);
						return table.mutate(req).catch((err: unknown) => {
							after();
							throw err;
						});
					}
				};
			}
		})
	});
}

/**
 * Keeps `rows`, read after `mark` was read, as the copy once the page is idle: unless the sessions
 * changed since, or the copy already holds them.
 */
export function keepSnapshot(
	db: { name: string; verno: number },
	mark: string | null,
	rows: readonly SessionRow[]
): void {
	if (mark === null || mark === heldMark(db.name)) return;
	whenIdle(() => writeSnapshot(db, mark, rows), 5000, 500);
}

function writeSnapshot(
	db: { name: string; verno: number },
	mark: string,
	rows: readonly SessionRow[]
): void {
	if (sessionsMark(db.name) !== mark || mark === heldMark(db.name)) return;
	const snapshot: Snapshot = {
		mark,
		name: db.name,
		// Dexie keeps version n as IndexedDB version n × 10, which the inline script sees.
		version: Math.round(db.verno * 10),
		json: JSON.stringify(rows)
	};
	let put = false;
	void change(db.name, (store) => {
		if (sessionsMark(db.name) !== mark) return;
		store.put(snapshot, KEY);
		put = true;
	}).then((committed) => {
		if (!committed || !put) return;
		try {
			localStorage.setItem(heldKey(db.name), mark);
		} catch {
			// Only a saving: without it, the next visit writes the same copy again.
		}
	});
}
