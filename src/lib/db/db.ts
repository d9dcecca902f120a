/** The one database handle; tests swap in a fresh database per test. */
import { Dexie } from 'dexie';
import { dev } from '$app/environment';
import { SettleDB } from './schema';
import { watchVersionChanges } from './version-watch';

// Dexie switches its debugging on by itself wherever the address is localhost or 127.0.0.1, which
// is where `npm start` serves the built app: a console task (a stack trace) for every query. Only
// the dev server keeps it.
Dexie.debug = dev;

let db: SettleDB | undefined;

export function getDb(): SettleDB {
	if (!db) {
		db = new SettleDB();
		watchVersionChanges(db);
	}
	return db;
}

export function useDatabase(next: SettleDB): void {
	db?.close();
	db = next;
}
