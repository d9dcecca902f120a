/**
 * Where the sync server keeps the encrypted documents: LevelDB (y-leveldb), bound to the stock
 * server by hand so that
 * - the folder is ours to choose;
 * - a connection waits until its document is read from disk (the stock binding answers a device
 *   at once, so the first device after a restart would be told "empty" and only later get the rest);
 * - a write that fails (disk full, folder made read-only, a broken disk) is told to the devices of
 *   the devices (close code STORAGE_FAILED, which they show in words and retry after), said once
 *   a minute in the log and in /health, and never crashes the server. What is already stored stays
 *   as it was: LevelDB keeps a log it recovers from, and after a failed write it refuses all
 *   writes until reopened, so the documents are dropped from memory, the database is reopened
 *   before the next device is let in, and what is on disk is read back as it really is. The
 *   devices still hold what did not land and send it again on their next sync;
 * - new data is refused while the disk has less free space than the reserve (minFreeBytes), so
 *   the server never fills the disk it shares with the rest of the machine.
 */
import { statfsSync } from 'node:fs';
import * as Y from 'yjs';
import { LeveldbPersistence } from 'y-leveldb';
import { docs, getPersistence, getYDoc, setPersistence } from '@y/websocket-server/utils';

/**
 * Close code for "the server could not store this": 4500–4599 tells y-websocket clients to try
 * again later (src/lib/sync/rooms.ts shows it in words).
 */
export const STORAGE_FAILED = 4507;

/** How long a measured free space is trusted (statfs is cheap, but not per message). */
const DISK_CHECK_MS = 2000;
const LOG_EVERY_MS = 60_000;

/**
 * @param {string} dir the LevelDB folder
 * @param {{ minFreeBytes?: number, log?: (line: string) => void }} [options]
 */
export function useLevelDb(dir, { minFreeBytes = 0, log } = {}) {
	let ldb = new LeveldbPersistence(dir);
	/** Set after a failed write: LevelDB refuses every write after one fails until it is reopened. */
	let broken = false;
	/** @type {Promise<void> | undefined} */
	let reopening;
	/** @type {Map<string, Promise<void>>} */
	const loading = new Map();
	/** @type {{ at: number, message: string } | undefined} */
	let failure;
	let loggedAt = 0;
	let disk = { at: 0, low: false };

	/** @param {unknown} e */
	const failed = (e) => {
		const message = e instanceof Error ? e.message : String(e);
		failure = { at: Date.now(), message };
		if (Date.now() - loggedAt > LOG_EVERY_MS) {
			loggedAt = Date.now();
			log?.(
				`Could not write to the data folder (${message}). The devices are told and keep what they ` +
					'sent; nothing already stored is lost. Free space or fix the folder: they sync again by themselves.'
			);
		}
		// Every document goes (the database is reopened before the next device is let in, and its
		// documents read back as they really are on disk); every device hears why.
		broken = true;
		for (const doc of docs.values())
			for (const conn of doc.conns.keys())
				conn.close(STORAGE_FAILED, 'the server could not store this (its disk is full or failing)');
	};
	/** @param {string} name @param {Uint8Array} update */
	const store = (name, update) =>
		ldb.storeUpdate(name, update).then(
			// y-leveldb catches a failed write itself (it warns on the console with the cause) and
			// answers null instead of the update's number.
			(clock) =>
				typeof clock === 'number'
					? (failure = undefined)
					: failed('a write failed; the warning above says why'),
			failed
		);
	/** A fresh LevelDB handle after a failure (a full disk freed, a folder made writable again). */
	const reopen = () =>
		(reopening ??= (async () => {
			broken = false;
			const old = ldb;
			await old.destroy().catch(() => undefined);
			ldb = new LeveldbPersistence(dir);
			persistence.provider = ldb;
		})().finally(() => (reopening = undefined)));

	const persistence = {
		provider: ldb,
		/** @param {string} name @param {Y.Doc} doc */
		bindState: (name, doc) => {
			const loaded = (async () => {
				await reopening;
				// (y-leveldb answers null for a document it could not read.)
				const stored = await ldb.getYDoc(name);
				if (!stored) throw new Error('the document could not be read from the data folder');
				// A document is bound as it is made, empty: nothing to write (so a read-only or full
				// disk can still serve what it holds).
				if (doc.store.clients.size > 0) await store(name, Y.encodeStateAsUpdate(doc));
				Y.applyUpdate(doc, Y.encodeStateAsUpdate(stored));
				doc.on('update', (/** @type {Uint8Array} */ update) => void store(name, update));
			})();
			loading.set(name, loaded);
			// A document is dropped from memory when its last device leaves; read it again next time.
			doc.on('destroy', () => loading.get(name) === loaded && loading.delete(name));
			// Whoever waits on it hears of a failure (ready below); nobody else must crash on it.
			loaded.catch(() => undefined);
			return loaded;
		},
		writeState: async () => {}
	};
	setPersistence(persistence);
	return {
		/**
		 * Resolves once the document is read from disk; rejects if it cannot be (the device is
		 * then told with STORAGE_FAILED), and forgets it so the next device tries afresh.
		 * @param {string} name
		 */
		ready: async (name) => {
			if (broken) await reopen();
			const doc = getYDoc(name);
			try {
				await (loading.get(name) ?? Promise.resolve());
			} catch (e) {
				if (docs.get(name) === doc && doc.conns.size === 0) {
					docs.delete(name);
					doc.destroy();
				}
				failed(e);
				throw e;
			}
		},
		/** The last write's error, while writes fail. */
		failing: () => failure?.message,
		/** Whether the disk has less free space than the reserve. */
		lowDisk: () => {
			if (minFreeBytes <= 0) return false;
			if (Date.now() - disk.at > DISK_CHECK_MS) {
				try {
					const s = statfsSync(dir);
					disk = { at: Date.now(), low: s.bavail * s.bsize < minFreeBytes };
				} catch {
					disk = { at: Date.now(), low: false };
				}
			}
			return disk.low;
		},
		close: async () => {
			if (getPersistence() === persistence) setPersistence(null);
			await reopening;
			return ldb.destroy();
		}
	};
}
