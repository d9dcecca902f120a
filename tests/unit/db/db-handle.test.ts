import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DB_NAME, DB_VERSION } from '$lib/db/rows';
import { SettleDB } from '$lib/db/schema';

describe('the database handle', () => {
	it('declares, without Dexie, the version and name the schema opens', async () => {
		const db = new SettleDB(`handle-${Math.random()}`);
		await db.open();
		// The inline script's early read counts only at this version (Dexie stores n as n × 10).
		expect(db.verno).toBe(DB_VERSION);
		expect(db.backendDB().version).toBe(DB_VERSION * 10);
		db.close();
		expect(new SettleDB().name).toBe(DB_NAME);
	});

	it('opens the database on first use, once, for every caller at the same time', async () => {
		const { getDb, databaseName } = await import('$lib/db/db');
		expect(databaseName()).toBe(DB_NAME);
		const [a, b] = await Promise.all([getDb(), getDb()]);
		expect(a).toBe(b);
		expect(a.name).toBe(DB_NAME);
		expect(await getDb()).toBe(a);
		a.close();
	});
});
