/**
 * Everything as one JSON backup (dexie-export-import, which keeps typed arrays), carrying the
 * schema version; and restoring it. A backup from a newer Settle, or not a Settle backup at all,
 * is refused with a reason and the database is left as it was.
 */
import { getDb } from './db';

// Only the Your data page needs it: fetched on first use, not with every page.
const exportImport = () => import('dexie-export-import');
const SETTLE_TABLES = ['sessions', 'beatChunks', 'events'];

export async function backupBlob(): Promise<Blob> {
	const { exportDB } = await exportImport();
	return exportDB(await getDb());
}

export type RestoreResult = { ok: true; sessions: number } | { ok: false; reason: string };

export async function restoreBackup(file: Blob): Promise<RestoreResult> {
	const db = await getDb();
	const { importInto, peakImportFile } = await exportImport();
	let meta;
	try {
		meta = await peakImportFile(file);
	} catch {
		return { ok: false, reason: 'This file is not a Settle backup (it is not readable as one).' };
	}
	// A Settle backup is known by its tables (the database name differs in tests and forks).
	const tables = new Set((meta.data?.tables ?? []).map((t) => t.name));
	if (meta.formatName !== 'dexie' || !SETTLE_TABLES.every((t) => tables.has(t))) {
		return { ok: false, reason: 'This file is not a Settle backup.' };
	}
	if (meta.data.databaseVersion > db.verno) {
		return {
			ok: false,
			reason: `This backup comes from a newer Settle (data version ${meta.data.databaseVersion}; this one reads up to ${db.verno}). Update Settle, then restore it.`
		};
	}
	try {
		// One transaction: a broken file leaves the database as it was.
		await importInto(db, file, {
			overwriteValues: true,
			acceptVersionDiff: true,
			acceptNameDiff: true
		});
	} catch (err) {
		return { ok: false, reason: `The backup could not be restored: ${(err as Error).message}` };
	}
	return { ok: true, sessions: await db.sessions.count() };
}
