/**
 * Deleting a session notes it for sync, on a device that syncs only, and putting it back (undo)
 * takes the note back: sync tells the group of a deletion only when the person made one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	createSession,
	deleteEverything,
	deleteSession,
	notedDeletions,
	undoDelete,
	useDatabase
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';

let n = 0;
const store = new Map<string, string>();
beforeEach(() => {
	useDatabase(new SettleDB(`deletions-${n++}`));
	store.clear();
	(globalThis as { localStorage?: unknown }).localStorage = {
		getItem: (k: string) => store.get(k) ?? null,
		setItem: (k: string, v: string) => void store.set(k, v),
		removeItem: (k: string) => void store.delete(k)
	};
});
afterEach(() => {
	delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('deletions noted for sync', () => {
	it('notes nothing on a device that does not sync', async () => {
		const s = await createSession({ source: 'demo', strapName: 'Demo' });
		await deleteSession(s.id);
		expect(notedDeletions()).toEqual([]);
	});

	it('notes a deleted session, and forgets it again on undo', async () => {
		store.set('settle-sync', 'on');
		const [a, b] = [
			await createSession({ source: 'demo', strapName: 'Demo' }),
			await createSession({ source: 'demo', strapName: 'Demo' })
		];
		const deleted = await deleteSession(a.id);
		await deleteSession(b.id);
		expect(notedDeletions().sort()).toEqual([a.id, b.id].sort());
		await undoDelete(deleted!);
		expect(notedDeletions()).toEqual([b.id]);
	});

	it('notes every session when everything is deleted, also with sync off', async () => {
		store.set('settle-sync', 'off');
		const a = await createSession({ source: 'demo', strapName: 'Demo' });
		const b = await createSession({ source: 'demo', strapName: 'Demo' });
		await deleteEverything();
		expect(notedDeletions().sort()).toEqual([a.id, b.id].sort());
	});
});
