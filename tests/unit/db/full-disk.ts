/**
 * A full disk for fake-indexeddb: a Dexie middleware that refuses every write adding data (add,
 * put) while `full` is set, as Chromium does when a site's quota is used up (deletes still pass;
 * they add no data). The refusal is the browser's DOMException, so it reaches the app through
 * Dexie exactly as a real one: the transaction aborts and nothing of it is written.
 */
import type { DBCore, Middleware } from 'dexie';
import type { SettleDB } from '$lib/db';

export interface FullDisk {
	full: boolean;
	/** Only these tables refuse (all when empty). */
	tables: string[];
	refused: number;
}

export function fillableDisk(db: SettleDB): FullDisk {
	const disk: FullDisk = { full: false, tables: [], refused: 0 };
	const middleware: Middleware<DBCore> = {
		stack: 'dbcore',
		name: 'full-disk',
		create: (down) => ({
			...down,
			table(name) {
				const table = down.table(name);
				return {
					...table,
					mutate(req) {
						const adds = req.type === 'add' || req.type === 'put';
						if (disk.full && adds && (disk.tables.length === 0 || disk.tables.includes(name))) {
							disk.refused++;
							return Promise.reject(
								new DOMException('The quota has been exceeded.', 'QuotaExceededError')
							);
						}
						return table.mutate(req);
					}
				};
			}
		})
	};
	db.use(middleware);
	return disk;
}
