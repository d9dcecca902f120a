/**
 * Damaged records (a disk error, a half-written row from an old bug, a hand-edited backup) must not
 * take the rest of the history down with them: every reader skips what it cannot trust, and the
 * integrity check names each damaged record so the person knows what was lost and what was not.
 */
import { getDb } from './db';
import type { BeatChunkRow, SessionRow } from './schema';

export interface DamagedRecord {
	table: 'sessions' | 'beatChunks';
	/** The session the record belongs to, when it can still be read. */
	sessionId?: string;
	/** The database key, to remove exactly this record. */
	key: unknown;
	reason: string;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Why a session row cannot be trusted, or undefined when it can. */
export function sessionProblem(row: unknown): string | undefined {
	if (!row || typeof row !== 'object') return 'not a session record';
	const s = row as Partial<SessionRow>;
	if (typeof s.id !== 'string' || !s.id) return 'no session id';
	if (!isNum(s.startedAt)) return 'no valid start time';
	if (s.status !== 'recording' && s.status !== 'finished') return 'unknown status';
	if (!isNum(s.beatCount) || s.beatCount < 0) return 'no valid beat count';
	if (!isNum(s.durationMs) || s.durationMs < 0) return 'no valid duration';
	if (s.summary !== undefined && (typeof s.summary !== 'object' || s.summary === null))
		return 'damaged summary';
	if (s.tags !== undefined && !Array.isArray(s.tags)) return 'damaged tags';
	return undefined;
}

/** Why a chunk of beats cannot be trusted, or undefined when it can. */
export function chunkProblem(row: unknown): string | undefined {
	if (!row || typeof row !== 'object') return 'not a beat record';
	const c = row as Partial<BeatChunkRow>;
	if (typeof c.sessionId !== 'string' || !isNum(c.seq)) return 'no session or sequence number';
	if (!isNum(c.t0Ms)) return 'no valid start time';
	if (!(c.rrMs instanceof Float64Array)) return 'RR values are not a number array';
	if (!(c.offsetMs instanceof Float32Array) || !(c.flags instanceof Uint8Array))
		return 'beat times or flags are missing';
	if (c.offsetMs.length !== c.rrMs.length || c.flags.length !== c.rrMs.length)
		return 'RR values, times and flags differ in length';
	for (let i = 0; i < c.rrMs.length; i++) {
		if (!Number.isFinite(c.rrMs[i]) || !Number.isFinite(c.offsetMs[i]))
			return `beat ${i + 1} is not a number`;
	}
	return undefined;
}

export const isSound = (row: unknown): row is SessionRow => sessionProblem(row) === undefined;
export const isSoundChunk = (row: unknown): row is BeatChunkRow => chunkProblem(row) === undefined;

/**
 * Reads every record once (raw, past Dexie's typing) and names the damaged ones. Session rows are
 * cheap to check; beats are most of the data, so lists check rows only.
 */
export async function checkIntegrity(
	{ beats }: { beats: boolean } = { beats: true }
): Promise<DamagedRecord[]> {
	const db = getDb();
	const damaged: DamagedRecord[] = [];
	// getAll, not a cursor walk (a step per row). Keys are inline (id; sessionId+seq), so every
	// stored row carries its own key even when the rest of it is damaged.
	for (const row of (await db.sessions.toArray()) as unknown[]) {
		const reason = sessionProblem(row);
		if (!reason) continue;
		const id = (row as { id: string }).id;
		damaged.push({ table: 'sessions', key: id, sessionId: id, reason });
	}
	if (!beats) return damaged;
	for (const row of (await db.beatChunks.toArray()) as unknown[]) {
		const reason = chunkProblem(row);
		if (!reason) continue;
		const { sessionId, seq } = row as { sessionId: string; seq: number };
		damaged.push({ table: 'beatChunks', key: [sessionId, seq], sessionId, reason });
	}
	return damaged;
}

/** Removes exactly the records the check named (after the person has kept a backup). */
export async function removeDamaged(records: readonly DamagedRecord[]): Promise<void> {
	const db = getDb();
	await db.transaction('rw', db.sessions, db.beatChunks, async () => {
		for (const r of records) {
			if (r.table === 'sessions') await db.sessions.delete(r.key as string);
			else await db.beatChunks.delete(r.key as [string, number]);
		}
	});
}
