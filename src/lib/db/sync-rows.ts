/**
 * The reads and writes sync makes on the app's database. They take the database as an argument:
 * tests run two devices in one process. Writes coming from another device replace a session
 * whole (row, beats, events, measured breathing) in one transaction, so a half-arrived session is
 * never shown.
 */
import { isSound, isSoundChunk } from './integrity';
import type {
	BeatChunkRow,
	BreathingRow,
	RoutineRow,
	SessionEventRow,
	SessionRow,
	SettleDB
} from './schema';
import type { KnownRecord } from './sync-state';

/** One session arriving from another device: written whole, or removed. */
export type Incoming =
	| { id: string; remove: true; prints: KnownRecord }
	| {
			id: string;
			remove?: false;
			row: SessionRow;
			/** Replaced when given; otherwise the beats here are already the same. */
			chunks?: readonly BeatChunkRow[];
			events?: readonly Omit<SessionEventRow, 'id'>[];
			/** Replaced when given; otherwise the breathing here (if any) is kept. */
			breathing?: BreathingRow;
			prints: KnownRecord;
	  };

/** Finished sessions: only those travel (a recording in progress is still being written). */
export async function finishedRows(db: SettleDB): Promise<SessionRow[]> {
	return (await db.sessions.where('status').equals('finished').toArray()).filter(isSound);
}

/**
 * Every session id stored, sound or not: a row that is only damaged here must not read as deleted
 * (that would delete the healthy copies on the other devices).
 */
export async function storedSessionIds(db: SettleDB): Promise<Set<string>> {
	return new Set((await db.sessions.toCollection().primaryKeys()) as string[]);
}

export async function sessionRow(db: SettleDB, id: string): Promise<SessionRow | undefined> {
	const row = await db.sessions.get(id);
	return isSound(row) ? row : undefined;
}

export async function sessionChunks(db: SettleDB, id: string): Promise<BeatChunkRow[]> {
	return (await db.beatChunks.where('sessionId').equals(id).toArray()).filter(isSoundChunk);
}

export async function sessionEvents(db: SettleDB, id: string): Promise<SessionEventRow[]> {
	return db.events.where('sessionId').equals(id).toArray();
}

/** Sessions with measured breathing: keys only, so a scan reads no breathing row. */
export async function breathingIds(db: SettleDB): Promise<Set<string>> {
	return new Set((await db.breathing.toCollection().primaryKeys()) as string[]);
}

export async function sessionBreathing(
	db: SettleDB,
	id: string
): Promise<BreathingRow | undefined> {
	return db.breathing.get(id);
}

export async function recordingNow(db: SettleDB): Promise<boolean> {
	return (await db.sessions.where('status').equals('recording').count()) > 0;
}

/**
 * Sessions from another device, in one transaction: each row with its beats and events, or
 * removed with them. One transaction means one refresh of every open page, not one per session.
 */
export async function applySyncedSessions(db: SettleDB, batch: readonly Incoming[]): Promise<void> {
	if (!batch.length) return;
	await db.transaction('rw', [db.sessions, db.beatChunks, db.events, db.breathing], async () => {
		for (const s of batch) {
			if (s.remove || s.chunks) await db.beatChunks.where('sessionId').equals(s.id).delete();
			if (s.remove || s.events) await db.events.where('sessionId').equals(s.id).delete();
			if (s.remove) {
				await db.breathing.delete(s.id);
				await db.sessions.delete(s.id);
				continue;
			}
			await db.sessions.put(s.row);
			if (s.chunks) await db.beatChunks.bulkPut([...s.chunks]);
			if (s.events) await db.events.bulkAdd(s.events.map((e) => ({ ...e, sessionId: s.id })));
			if (s.breathing) await db.breathing.put(s.breathing);
		}
	});
}

export async function allRoutines(db: SettleDB): Promise<RoutineRow[]> {
	return db.routines.toArray();
}

export async function putRoutine(db: SettleDB, routine: RoutineRow): Promise<void> {
	await db.routines.put(routine);
}
