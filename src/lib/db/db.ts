/** The one database handle; tests swap in a fresh database per test. */
import { SettleDB } from './schema';
import { watchVersionChanges } from './version-watch';

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
