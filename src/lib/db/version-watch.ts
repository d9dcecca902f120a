/**
 * Another tab running a newer Settle upgrades the database schema. This tab then runs code for the
 * old schema, so it must let go and reload; but never in the middle of a recording, whose beats are
 * still being written. While one records, the connection stays open and the upgrade waits (the
 * other tab is told it is blocked) until this tab stops and reloads.
 */
import type { Dexie } from 'dexie';

export type DatabaseNotice = 'reload-needed' | 'upgrade-blocked';

type Listener = (notice: DatabaseNotice) => void;

const listeners = new Set<Listener>();
let isRecording: () => boolean = () => false;

export function onDatabaseNotice(listener: Listener): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

/** The recorder says whether closing the connection now would interrupt a recording. */
export function guardUpgradesWhile(recording: () => boolean): void {
	isRecording = recording;
}

export function watchVersionChanges(db: Dexie): void {
	db.on('versionchange', () => {
		if (!isRecording()) db.close();
		for (const l of listeners) l('reload-needed');
		// false: we decided ourselves whether to close (Dexie's default closes unconditionally).
		return false;
	});
	db.on('blocked', () => {
		for (const l of listeners) l('upgrade-blocked');
	});
}
