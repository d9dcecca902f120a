import { afterEach, describe, expect, it } from 'vitest';
import {
	createSession,
	getSession,
	guardUpgradesWhile,
	onDatabaseNotice,
	useDatabase,
	watchVersionChanges,
	type DatabaseNotice
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';

let n = 0;

/** Opens the database as a newer Settle in another tab would: a higher version, one more store. */
function openNewer(name: string, version: number): Promise<{ blocked: boolean }> {
	return new Promise((resolve, reject) => {
		let blocked = false;
		const req = indexedDB.open(name, version);
		req.onblocked = () => {
			blocked = true;
		};
		req.onupgradeneeded = () => req.result.createObjectStore(`future-${version}`);
		req.onsuccess = () => {
			req.result.close();
			resolve({ blocked });
		};
		req.onerror = () => reject(req.error);
	});
}

afterEach(() => guardUpgradesWhile(() => false));

describe('an upgrade from another tab', () => {
	it('closes this tab’s connection and asks for a reload when nothing is recording', async () => {
		const name = `watch-${n++}`;
		const db = new SettleDB(name);
		watchVersionChanges(db);
		useDatabase(db);
		await createSession({ id: 'a', source: 'demo', strapName: 'Demo' });
		const notices: DatabaseNotice[] = [];
		const off = onDatabaseNotice((x) => notices.push(x));
		const result = await openNewer(name, db.verno * 10 + 10);
		off();
		expect(result.blocked).toBe(false);
		expect(notices).toEqual(['reload-needed']);
		expect(db.isOpen()).toBe(false);
	});

	it('keeps the connection (the other tab waits, blocked) while a recording is running', async () => {
		const name = `watch-${n++}`;
		const db = new SettleDB(name);
		watchVersionChanges(db);
		useDatabase(db);
		await createSession({ id: 'rec', source: 'demo', strapName: 'Demo' });
		guardUpgradesWhile(() => true);
		const notices: DatabaseNotice[] = [];
		const off = onDatabaseNotice((x) => notices.push(x));
		const upgrade = openNewer(name, db.verno * 10 + 10);
		await new Promise((r) => setTimeout(r, 50));
		// The recording can still write while the other tab waits.
		expect(db.isOpen()).toBe(true);
		expect((await getSession('rec'))?.id).toBe('rec');
		expect(notices).toContain('reload-needed');
		db.close();
		expect((await upgrade).blocked).toBe(true);
		off();
	});
});
