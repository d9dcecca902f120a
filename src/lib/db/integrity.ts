/**
 * Damaged records (a disk error, a half-written row from an old bug, a hand-edited backup) must not
 * take the rest of the history down with them: every reader skips what it cannot trust, and the
 * integrity check names each damaged record so the person knows what was lost and what was not.
 *
 * Years of recordings are a million beats and more, so the check is incremental: session rows are
 * read every time (one getAll), but a session's beats are read only when the session is new or has
 * changed since its beats were last found sound. What was found sound is remembered per browser
 * (see CheckRecord), with each session's updatedAt and chunk count.
 */
import { databaseName, getDb } from './db';
import type { BeatChunkRow, SessionRow } from './schema';

export interface DamagedRecord {
	table: 'sessions' | 'beatChunks';
	/** The session the record belongs to, when it can still be read. */
	sessionId?: string;
	/**
	 * The database key, to remove exactly this record. For a group of beats (`chunks` set): the
	 * session id they are filed under, every chunk of which goes.
	 */
	key: unknown;
	reason: string;
	/**
	 * Set for beats that stand together: those left behind by a session that no longer exists, or
	 * filed under something that is not a session id. How many chunks (stored records) they are.
	 */
	chunks?: number;
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

/** Stored records a list of damaged ones stands for (a group of beats counts each chunk). */
export const damagedCount = (records: readonly DamagedRecord[]): number =>
	records.reduce((n, r) => n + (r.chunks ?? 1), 0);

function rowDamage(row: unknown): DamagedRecord | undefined {
	const reason = sessionProblem(row);
	if (!reason) return undefined;
	// Keys are inline (id), so every stored row carries its own key even when the rest is damaged.
	const id = (row as { id: unknown }).id;
	return { table: 'sessions', key: id, sessionId: typeof id === 'string' ? id : undefined, reason };
}

/**
 * Session rows only, every one (getAll, not a cursor walk: a step per row). Cheap, so lists run it
 * on every visit; the beats are left to checkIntegrity on Your data.
 */
export async function checkSessionRows(): Promise<DamagedRecord[]> {
	const rows = (await (await getDb()).sessions.toArray()) as unknown[];
	return rows.map(rowDamage).filter((d) => d !== undefined);
}

// ---- What was found sound, per browser ------------------------------------------------------

/**
 * Sessions whose beats were read and found sound: id → [updatedAt, chunks] as they were then. A
 * session whose row still has that updatedAt still has those chunks, as beats change only with
 * it: appendBeats bumps it in the same transaction, deleteSession takes the row with its beats,
 * imports write new sessions, undoDelete puts back the very chunks deleted. Two appends in one
 * millisecond, or changes made outside Settle, would slip past updatedAt; the chunk counts catch
 * those (see checkIntegrity).
 *
 * Not caught by updatedAt: restoreBackup merges a backup's rows and chunks with their updatedAt
 * AS IN THE BACKUP (importInto writes values unchanged), so a session restored with the same
 * updatedAt but other (e.g. hand-edited) beats would look checked. Hence the Your data page calls
 * forgetIntegrityChecks after every restore and deleteEverything. The record lives in
 * localStorage, which every tab of the site shares, so a restore in another tab is forgotten here
 * too; and `gen` changes with every forgetting, so a check running meanwhile in another tab
 * notices before it writes what it read before the restore, and starts again.
 *
 * Kept in localStorage rather than a Dexie table: a table would need a schema version (which
 * older Settles would then refuse in backups) and would travel inside backups, vouching for beats
 * checked in another browser. Where localStorage is unavailable, the record lasts as long as the
 * page (the check is then incremental within a visit only).
 */
export interface CheckRecord {
	gen: string;
	sessions: Record<string, [updatedAt: number, chunks: number]>;
}

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const inMemory = new Map<string, string>();
const memoryStore: KeyValueStore = {
	getItem: (k) => inMemory.get(k) ?? null,
	setItem: (k, v) => void inMemory.set(k, v),
	removeItem: (k) => void inMemory.delete(k)
};

function recordStore(): KeyValueStore {
	try {
		const ls = globalThis.localStorage;
		if (ls && typeof ls.getItem === 'function') return ls;
	} catch {
		// Storage blocked by the browser's settings: remember within this page only.
	}
	return memoryStore;
}

/** One record per database (tests and forks use other names). */
const recordKey = (dbName: string) => `settle.integrity-checked.${dbName}`;

function readRecord(key: string): CheckRecord | undefined {
	try {
		const raw = recordStore().getItem(key);
		const r = raw ? (JSON.parse(raw) as Partial<CheckRecord>) : undefined;
		if (r && typeof r.gen === 'string' && r.sessions && typeof r.sessions === 'object')
			return { gen: r.gen, sessions: r.sessions };
	} catch {
		// Unreadable (blocked, or edited by hand): nothing is taken as checked.
	}
	return undefined;
}

/** False when it could not be kept (and any older record was removed). */
function writeRecord(key: string, record: CheckRecord): boolean {
	const store = recordStore();
	try {
		store.setItem(key, JSON.stringify(record));
		return true;
	} catch {
		// Storage full or blocked: keep nothing rather than a record that may be out of date.
		try {
			store.removeItem(key);
		} catch {
			// Nothing stored, nothing to trust.
		}
		return false;
	}
}

/**
 * Where the record is kept and read back. The check running on the page uses localStorage
 * directly; run in a worker (integrity-off-thread.ts), which has no localStorage, it asks the
 * page, which answers with this same keeper.
 */
export interface RecordKeeper {
	/** The record as stored now. */
	read(): CheckRecord | undefined | Promise<CheckRecord | undefined>;
	/**
	 * Stores `record` unless the stored one is no longer of its generation: 'forgotten' when it was
	 * forgotten or replaced since (`stored`: one of this generation was stored before), 'full' when
	 * storage refused it (and any older record was removed).
	 */
	write(record: CheckRecord, stored: boolean): KeeperAnswer | Promise<KeeperAnswer>;
}

export type KeeperAnswer = 'saved' | 'forgotten' | 'full';

/** The keeper of this page's localStorage, for the database named `dbName`. */
export function localKeeper(dbName: string): RecordKeeper {
	const key = recordKey(dbName);
	return {
		read: () => readRecord(key),
		write(record, stored) {
			const now = readRecord(key);
			if (now ? now.gen !== record.gen : stored) return 'forgotten';
			return writeRecord(key, record) ? 'saved' : 'full';
		}
	};
}

/**
 * Forgets which sessions were found sound, so the next check reads every beat again: after the
 * data was replaced wholesale (a backup restored, everything deleted).
 */
export function forgetIntegrityChecks(): void {
	writeRecord(recordKey(databaseName()), { gen: crypto.randomUUID(), sessions: {} });
}

// ---- The check --------------------------------------------------------------------------------

export interface IntegrityProgress {
	/** Sessions whose beats were read so far. */
	done: number;
	/** Sessions whose beats need reading (new, changed, or damaged before): 0 when none do. */
	total: number;
}

export interface IntegrityStats {
	/** Session rows read and checked (all of them, every time). */
	sessions: number;
	/** Sessions whose beats were read. */
	sessionsChecked: number;
	/** Beat chunks read, with their values. */
	chunksRead: number;
	/** Chunk keys read (no values) to find beats without a session: only when the counts disagree. */
	keysRead: number;
	/** Times the check started again because the data was replaced while it ran. */
	restarts: number;
}

export interface IntegrityReport {
	damaged: DamagedRecord[];
	stats: IntegrityStats;
}

export interface IntegrityOptions {
	/** Called before the first batch ({done: 0, total}) and after each. */
	onProgress?: (progress: IntegrityProgress) => void;
	/** Stops between batches (the promise rejects with the signal's reason); work done is kept. */
	signal?: AbortSignal;
	/** Sessions whose beats are read in one transaction. */
	batchSize?: number;
	/** Where what was found sound is kept (default: this page's localStorage). */
	keeper?: RecordKeeper;
	/**
	 * Keeps the record after a batch only when this long has passed since it was last kept (the
	 * end of the check always keeps it): a worker's record is written by the page, which parses
	 * and writes the whole record each time. 0 (default): after every batch.
	 */
	keepEveryMs?: number;
}

/** Lets the page handle input and draw between batches. */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Starting again this often in a row (restores racing the check) ends in a check that records nothing. */
const MAX_RESTARTS = 3;

/**
 * Names every damaged record: each session row, the beats of each session that is new or changed
 * since its beats were last found sound (batches of `batchSize` sessions, one transaction each,
 * yielding between them, with progress), and beats left without a session.
 *
 * Beats without a session are found without reading the beats: the chunks counted in the same
 * transaction that read the rows must equal the chunks the sessions are known to have. Only when
 * they differ are the chunk keys read (keys only, one request) to see whose chunks they are.
 */
export async function checkIntegrity(options: IntegrityOptions = {}): Promise<IntegrityReport> {
	const stats: IntegrityStats = {
		sessions: 0,
		sessionsChecked: 0,
		chunksRead: 0,
		keysRead: 0,
		restarts: 0
	};
	for (;;) {
		const damaged = await checkOnce(options, stats, stats.restarts < MAX_RESTARTS);
		if (damaged) return { damaged, stats };
		stats.restarts++;
	}
}

/** One pass; undefined when the record was forgotten meanwhile (another tab restored a backup). */
async function checkOnce(
	{ onProgress, signal, batchSize = 50, keeper: given, keepEveryMs = 0 }: IntegrityOptions,
	stats: IntegrityStats,
	remember: boolean
): Promise<DamagedRecord[] | undefined> {
	const db = await getDb();
	const keeper = given ?? localKeeper(db.name);
	const before = await keeper.read();
	const gen = before?.gen ?? crypto.randomUUID();
	/** Sessions known sound, as of the rows read: pruned of deleted and changed sessions. */
	const sound: CheckRecord['sessions'] = Object.create(null);
	/** A record of this generation is stored (a missing one was then forgotten, or lost). */
	let stored = before !== undefined;
	/** Keeps what is known sound; false when the record was forgotten or replaced meanwhile. */
	let keptAt = -Infinity;
	const save = async (always = true): Promise<boolean> => {
		if (!remember) return true;
		if (!always && performance.now() - keptAt < keepEveryMs) return true;
		keptAt = performance.now();
		const answer = await keeper.write({ gen, sessions: sound }, stored);
		if (answer === 'forgotten') return false;
		stored = answer === 'saved';
		// Storage full: record nothing more this time (the next check reads everything).
		if (!stored) remember = false;
		return true;
	};

	// The rows and the number of chunks, as of one moment.
	const [rows, totalChunks] = await db.transaction('r', db.sessions, db.beatChunks, () =>
		Promise.all([db.sessions.toArray() as Promise<unknown[]>, db.beatChunks.count()])
	);
	stats.sessions += rows.length;
	const damaged: DamagedRecord[] = [];
	const toCheck: string[] = [];
	/** Chunks the sessions are known to have: recorded, or counted when read. */
	let knownChunks = 0;
	for (const row of rows) {
		const hurt = rowDamage(row);
		if (hurt) damaged.push(hurt);
		const { id, updatedAt } = row as { id: unknown; updatedAt?: unknown };
		// A row whose id is not a string has no beats of its own (chunks under such an id are damaged
		// themselves, and found with the orphans).
		if (typeof id !== 'string') continue;
		const was = before?.sessions[id];
		if (
			!hurt &&
			Array.isArray(was) &&
			isNum(was[0]) &&
			was[0] === updatedAt &&
			isNum(was[1]) &&
			was[1] >= 0
		) {
			sound[id] = [was[0], was[1]];
			knownChunks += was[1];
		} else toCheck.push(id);
	}

	let done = 0;
	let total = toCheck.length;
	/** Reads the beats of these sessions, in batches; false when the record was forgotten meanwhile. */
	const readBeats = async (ids: readonly string[]): Promise<boolean> => {
		for (let i = 0; i < ids.length; i += batchSize) {
			signal?.throwIfAborted();
			const batch = ids.slice(i, i + batchSize);
			// One getAll per session, not where('sessionId').anyOf(): Dexie walks anyOf with a cursor,
			// a step per chunk (recordings write a chunk every 5 s). Rows and beats as of one moment,
			// so the updatedAt recorded is the one these beats had.
			const [now, beats] = await db.transaction('r', db.sessions, db.beatChunks, () =>
				Promise.all([
					db.sessions.bulkGet(batch) as Promise<unknown[]>,
					Promise.all(
						batch.map(
							(id) => db.beatChunks.where('sessionId').equals(id).toArray() as Promise<unknown[]>
						)
					)
				])
			);
			batch.forEach((id, j) => {
				const chunks = beats[j];
				stats.sessionsChecked++;
				stats.chunksRead += chunks.length;
				knownChunks += chunks.length;
				let whole = true;
				for (const c of chunks) {
					const reason = chunkProblem(c);
					if (!reason) continue;
					whole = false;
					const { seq } = c as { seq: number };
					damaged.push({ table: 'beatChunks', key: [id, seq], sessionId: id, reason });
				}
				const row = now[j];
				// Damaged beats or a damaged row are not recorded: they are named until removed.
				if (whole && isSound(row) && isNum(row.updatedAt))
					sound[id] = [row.updatedAt, chunks.length];
				else delete sound[id];
			});
			// Kept after every batch (or every keepEveryMs): leaving the page halfway loses little.
			if (!(await save(false))) return false;
			done += batch.length;
			onProgress?.({ done, total });
			await yieldToPage();
		}
		return true;
	};

	onProgress?.({ done, total });
	if (!(await readBeats(toCheck))) return undefined;

	if (knownChunks !== totalChunks) {
		// Chunks nobody accounts for, or a session's chunks changed without its updatedAt: see whose
		// (keys only, [sessionId, seq]; the rows' keys in the same transaction).
		signal?.throwIfAborted();
		const [chunkKeys, ids] = await db.transaction('r', db.sessions, db.beatChunks, () =>
			Promise.all([
				db.beatChunks.toCollection().primaryKeys() as Promise<unknown[]>,
				db.sessions.toCollection().primaryKeys() as Promise<unknown[]>
			])
		);
		stats.keysRead += chunkKeys.length;
		const present = new Set(ids);
		const perSession = new Map<unknown, number>();
		for (const k of chunkKeys) {
			const sid = (k as unknown[])[0];
			perSession.set(sid, (perSession.get(sid) ?? 0) + 1);
		}
		for (const [sid, n] of perSession) {
			const group = (reason: string) =>
				damaged.push({
					table: 'beatChunks',
					key: sid,
					sessionId: typeof sid === 'string' ? sid : undefined,
					reason,
					chunks: n
				});
			if (typeof sid !== 'string') group('no session or sequence number');
			else if (!present.has(sid))
				group(
					`left behind by a session that no longer exists (${n} stored record${n === 1 ? '' : 's'})`
				);
		}
		// A recorded session whose chunks are not the number recorded: read its beats again.
		const recheck = Object.keys(sound).filter((id) => (perSession.get(id) ?? 0) !== sound[id][1]);
		for (const id of recheck) delete sound[id];
		total += recheck.length;
		if (recheck.length && !(await readBeats(recheck))) return undefined;
	}
	return (await save()) ? damaged : undefined;
}

/** Removes exactly the records the check named (after the person has kept a backup). */
export async function removeDamaged(records: readonly DamagedRecord[]): Promise<void> {
	const db = await getDb();
	await db.transaction('rw', db.sessions, db.beatChunks, async () => {
		for (const r of records) {
			if (r.table === 'sessions') await db.sessions.delete(r.key as string);
			else if (r.chunks === undefined) await db.beatChunks.delete(r.key as [string, number]);
			// Beats left behind go only while their session is still missing (an undo or a restore
			// may have brought it back since the check).
			else if (typeof r.key !== 'string' || !(await db.sessions.get(r.key)))
				await db.beatChunks
					.where('sessionId')
					.equals(r.key as string)
					.delete();
		}
	});
}
