/** Every read and write of sessions and their beats. */
import { isSound, isSoundChunk } from './integrity';
import { Dexie } from 'dexie';
import { packChunk, unpackChunks, type BeatSeries, type StoredBeat } from './beats';
import type {
	AssessmentStepRow,
	BeatChunkRow,
	ReadingPhase,
	SessionEventRow,
	SessionRow,
	SessionSource,
	SessionSummary
} from './schema';
import { getDb } from './db';
import { takeEarlySessions } from './early-read';
import { noteDeletions, unnoteDeletions } from './deletions';

export interface NewSession {
	id?: string;
	source: SessionSource;
	strapName: string;
	routine?: string;
	phase?: ReadingPhase;
	plannedMinutes?: number;
	tensionBefore?: number;
	tags?: string[];
	startedAt?: number;
}

export async function createSession(input: NewSession): Promise<SessionRow> {
	const now = input.startedAt ?? Date.now();
	const row: SessionRow = {
		id: input.id ?? crypto.randomUUID(),
		startedAt: now,
		status: 'recording',
		source: input.source,
		strapName: input.strapName,
		routine: input.routine ?? 'Constructive rest',
		phase: input.phase ?? 'none',
		plannedMinutes: input.plannedMinutes,
		tensionBefore: input.tensionBefore,
		tags: input.tags ?? [],
		beatCount: 0,
		durationMs: 0,
		updatedAt: now
	};
	await getDb().sessions.add(row);
	return row;
}

/** Appends one chunk of beats and bumps the session's counters in the same transaction. */
export async function appendBeats(
	sessionId: string,
	seq: number,
	beats: readonly StoredBeat[]
): Promise<void> {
	if (beats.length === 0) return;
	const db = getDb();
	await db.transaction('rw', db.sessions, db.beatChunks, async () => {
		await db.beatChunks.put(packChunk(sessionId, seq, beats));
		const last = beats[beats.length - 1];
		await db.sessions
			.where('id')
			.equals(sessionId)
			.modify((s) => {
				s.beatCount += beats.length;
				s.durationMs = Math.max(s.durationMs, last.timeMs);
				s.updatedAt = Date.now();
			});
	});
}

export async function addEvent(event: SessionEventRow): Promise<void> {
	await getDb().events.add(event);
}

export async function finishSession(
	sessionId: string,
	patch: { summary?: SessionSummary; endedAt?: number } & Partial<SessionRow> = {}
): Promise<void> {
	await getDb().sessions.update(sessionId, {
		...patch,
		status: 'finished',
		endedAt: patch.endedAt ?? Date.now(),
		updatedAt: Date.now()
	});
}

export async function updateSession(sessionId: string, patch: Partial<SessionRow>): Promise<void> {
	await getDb().sessions.update(sessionId, { ...patch, updatedAt: Date.now() });
}

export async function getSession(sessionId: string): Promise<SessionRow | undefined> {
	const row = await getDb().sessions.get(sessionId);
	return isSound(row) ? row : undefined;
}

export async function getBeats(sessionId: string): Promise<BeatSeries> {
	const chunks = (await getDb().beatChunks.where('sessionId').equals(sessionId).toArray()).filter(
		isSoundChunk
	);
	return unpackChunks(chunks);
}

export async function getEvents(sessionId: string): Promise<SessionEventRow[]> {
	return getDb().events.where('sessionId').equals(sessionId).sortBy('startMs');
}

/** What watching a query gives back: stop listening. */
export interface Watch {
	unsubscribe(): void;
}

/** Hears each answer of a watched query, and why one could not be given. */
export interface Watcher<T> {
	next(value: T): void;
	error(err: unknown): void;
}

/**
 * Finished sessions, newest first; answers again whenever a session is written, here or in
 * another tab.
 *
 * Not a liveQuery: with thousands of sessions, liveQuery's bookkeeping (a range per key read, a
 * deep copy of the answer for its cache) cost about as much as the read itself, and this view only
 * needs to know that the sessions table changed, which Dexie's storagemutated event says.
 */
export function finishedSessions(): { subscribe(watcher: Watcher<SessionRow[]>): Watch } {
	return {
		subscribe: (watcher) => {
			const early = takeEarlySessions();
			return watchTable(
				'sessions',
				readFinishedSessions,
				watcher,
				early?.then((rows) => rows && soundNewestFirst(rows))
			);
		}
	};
}

async function readFinishedSessions(): Promise<SessionRow[]> {
	// getAll on the status index, sorted here: a cursor walk in startedAt order costs a step per
	// row (about 150 ms for 2,000 sessions); this is one request.
	const rows = await getDb().sessions.where('status').equals('finished').toArray();
	return soundNewestFirst(rows);
}

function soundNewestFirst(rows: SessionRow[]): SessionRow[] {
	return rows.filter(isSound).sort((a, b) => b.startedAt - a.startedAt);
}

/**
 * Runs `read` now and after every write to `table`; answers only with the newest read. An answer
 * read before this code ran (`first`) is given at once, then checked against a read of our own
 * once the page is built and idle, for a write that may have come in between (another tab's:
 * this tab's storagemutated listener was not there yet).
 */
function watchTable<T>(
	table: string,
	read: () => Promise<T>,
	watcher: Watcher<T>,
	first?: Promise<T | undefined>
): Watch {
	const part = `idb://${getDb().name}/${table}/`;
	let closed = false;
	let reading = false;
	let stale = false;
	let answered = false;
	const run = async (unless?: string) => {
		if (reading) {
			stale = true;
			return;
		}
		reading = true;
		try {
			do {
				stale = false;
				const value = await read();
				if (closed || stale) continue;
				if (unless !== undefined && JSON.stringify(value) === unless) continue;
				answered = true;
				watcher.next(value);
			} while (stale && !closed);
		} catch (err) {
			if (!closed) watcher.error(err);
		} finally {
			reading = false;
		}
	};
	const onWrite = (parts: Record<string, unknown>) => {
		if (Object.keys(parts).some((k) => k.startsWith(part))) void run();
	};
	Dexie.on('storagemutated', onWrite);
	if (!first) void run();
	else
		void first.then((value) => {
			// A write meanwhile has already been answered with a read of our own.
			if (closed || answered || reading) return;
			if (value === undefined) return void run();
			answered = true;
			watcher.next(value);
			whenIdle(() => {
				if (!closed && !reading) void run(JSON.stringify(value));
			});
		});
	return {
		unsubscribe() {
			closed = true;
			Dexie.on('storagemutated').unsubscribe(onWrite);
		}
	};
}

/**
 * A while after the page is built, when the main thread is idle: an idle moment while the page is
 * still starting (waiting for the database, say) would put the check in the way of the first answer.
 */
function whenIdle(fn: () => void): void {
	setTimeout(() => {
		if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 2000 });
		else fn();
	}, CHECK_AFTER_MS);
}

const CHECK_AFTER_MS = 1000;

/** Keeps an assessment's paced steps with its session, each step marked as an event. */
export async function saveAssessmentSteps(
	sessionId: string,
	steps: AssessmentStepRow[],
	stepMinutes: number
): Promise<void> {
	const db = getDb();
	await db.transaction('rw', db.sessions, db.events, async () => {
		await db.sessions.update(sessionId, { assessment: { stepMinutes, steps } });
		for (const s of steps)
			await db.events.add({
				sessionId,
				type: 'marker',
				startMs: s.startMs,
				endMs: s.endMs,
				label: `${s.rateBpm} breaths/min`
			});
	});
}

/** Finished sessions whose summary was computed by another version of the analysis. */
export async function sessionsWithStaleSummary(
	version: number
): Promise<{ id: string; summary?: SessionSummary }[]> {
	const rows = await getDb().sessions.where('status').equals('finished').toArray();
	return rows
		.filter((s) => isSound(s) && s.summary?.analysisVersion !== version)
		.sort((a, b) => b.startedAt - a.startedAt)
		.map((s) => ({ id: s.id, summary: s.summary }));
}

/**
 * Stores recomputed summaries in one transaction (one refresh of every open list, not one per
 * session). A derived figure, so updatedAt is left alone; a session deleted meanwhile stays gone.
 */
export async function replaceSummaries(
	summaries: ReadonlyMap<string, SessionSummary>
): Promise<void> {
	const db = getDb();
	await db.transaction('rw', db.sessions, async () => {
		for (const [id, summary] of summaries) await db.sessions.update(id, { summary });
	});
}

/** Recordings that never finished (tab killed, browser crashed): offered for recovery. */
export async function unfinishedSessions(): Promise<SessionRow[]> {
	return (await getDb().sessions.where('status').equals('recording').toArray()).filter(isSound);
}

/** What a deletion removed, kept by the caller so the person can undo it. */
export interface DeletedSession {
	session: SessionRow;
	chunks: BeatChunkRow[];
	events: SessionEventRow[];
}

export async function deleteSession(sessionId: string): Promise<DeletedSession | undefined> {
	const db = getDb();
	return db
		.transaction('rw', db.sessions, db.beatChunks, db.events, async () => {
			const session = await db.sessions.get(sessionId);
			if (!session) return undefined;
			const chunks = await db.beatChunks.where('sessionId').equals(sessionId).toArray();
			const events = await db.events.where('sessionId').equals(sessionId).toArray();
			await db.beatChunks.where('sessionId').equals(sessionId).delete();
			await db.events.where('sessionId').equals(sessionId).delete();
			await db.sessions.delete(sessionId);
			return { session, chunks, events };
		})
		.then((deleted) => {
			if (deleted) noteDeletions([sessionId]);
			return deleted;
		});
}

/** Puts a deleted session back exactly as it was. */
export async function undoDelete(deleted: DeletedSession): Promise<void> {
	const db = getDb();
	await db.transaction('rw', db.sessions, db.beatChunks, db.events, async () => {
		await db.sessions.put(deleted.session);
		await db.beatChunks.bulkPut(deleted.chunks);
		await db.events.bulkPut(deleted.events);
	});
	unnoteDeletions([deleted.session.id]);
}

/** Removes every session, beat and event: the person confirmed it twice. */
export async function deleteEverything(): Promise<void> {
	const db = getDb();
	const ids = await db.transaction(
		'rw',
		db.sessions,
		db.beatChunks,
		db.events,
		db.routines,
		async () => {
			const ids = (await db.sessions.toCollection().primaryKeys()) as string[];
			await Promise.all([
				db.sessions.clear(),
				db.beatChunks.clear(),
				db.events.clear(),
				db.routines.clear()
			]);
			return ids;
		}
	);
	noteDeletions(ids);
}
