/**
 * Opens the database: the one module of the app's own that brings Dexie (about 34 KB of gzipped
 * JavaScript) into a page. db.ts loads it after the page's first paint.
 */
import { Dexie } from 'dexie';
import { dev } from '$app/environment';
import { SettleDB } from './schema';
import { watchVersionChanges } from './version-watch';

// Dexie switches its debugging on by itself wherever the address is localhost or 127.0.0.1, which
// is where `npm start` serves the built app: a console task (a stack trace) for every query. Only
// the dev server keeps it.
Dexie.debug = dev;

export { Dexie };

export function openDatabase(): SettleDB {
	const db = new SettleDB();
	watchVersionChanges(db);
	return db;
}
