/** The one database handle; tests swap in a fresh database per test. */
import { SettleDB } from './schema';

let db: SettleDB | undefined;

export function getDb(): SettleDB {
	db ??= new SettleDB();
	return db;
}

export function useDatabase(next: SettleDB): void {
	db?.close();
	db = next;
}
