/**
 * The finished sessions that the inline script in src/app.html read while the app's code was still
 * loading (History and Compare in a new tab). Usable once, and only if read from this database at
 * the version this code declares: an older database is upgraded first, so it is read again after.
 */
import type { SessionRow } from './schema';
import { databaseName } from './db';
import { DB_VERSION } from './rows';

interface EarlyAnswer {
	name: string;
	version: number;
	rows: SessionRow[];
	/** Read from the copy of the sessions with this mark (db/sessions-snapshot.ts), if it was. */
	snapshot?: string;
}

declare global {
	var __settleEarlySessions: Promise<EarlyAnswer | undefined> | undefined;
}

export function takeEarlySessions(): Promise<SessionRow[] | undefined> | undefined {
	const early = globalThis.__settleEarlySessions;
	if (!early) return undefined;
	globalThis.__settleEarlySessions = undefined;
	// Dexie keeps version n as IndexedDB version n × 10.
	const version = Math.round(DB_VERSION * 10);
	return early.then(
		(answer) =>
			answer?.name === databaseName() && answer.version === version && Array.isArray(answer.rows)
				? answer.rows
				: undefined,
		() => undefined
	);
}
