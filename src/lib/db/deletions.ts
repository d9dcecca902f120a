/**
 * Sessions the person deleted, noted for sync on a device that syncs (and only there), so that
 * a deletion is told to the other devices only when it was one. A session missing for another
 * reason (a damaged record removed by the integrity check) is fetched again from the group
 * instead of being deleted everywhere.
 */
const KEY = 'settle-deleted-sessions';
/** Set by sync while this device belongs to a group (see src/lib/sync/status.svelte.ts). */
const MEMBER_KEY = 'settle-sync';

function read(): string[] {
	try {
		const ids: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
		return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
	} catch {
		return [];
	}
}

function write(ids: string[]): void {
	try {
		if (ids.length) localStorage.setItem(KEY, JSON.stringify(ids));
		else localStorage.removeItem(KEY);
	} catch {
		// No storage: sync then fetches the session again rather than deleting it everywhere.
	}
}

export function noteDeletions(ids: readonly string[]): void {
	try {
		if (localStorage.getItem(MEMBER_KEY) === null) return;
	} catch {
		return;
	}
	write([...new Set([...read(), ...ids])]);
}

/** Put back (undo): no longer a deletion to tell anyone about. */
export function unnoteDeletions(ids: readonly string[]): void {
	const drop = new Set(ids);
	write(read().filter((id) => !drop.has(id)));
}

export function notedDeletions(): string[] {
	return read();
}
