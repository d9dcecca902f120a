/** Every read and write of sessions and their beats. */
import { isSound, isSoundChunk } from './integrity';
import { packChunk, unpackChunks, type BeatSeries, type StoredBeat } from './beats';
import type {
	BreathingRow,
	AssessmentStepRow,
	BeatChunkRow,
	ReadingPhase,
	SessionEventRow,
	SessionRow,
	SessionSource,
	SessionSummary
} from './schema';
import { getDb } from './db';
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
	await (await getDb()).sessions.add(row);
	return row;
}

/** Appends one chunk of beats and bumps the session's counters in the same transaction. */
export async function appendBeats(
	sessionId: string,
	seq: number,
	beats: readonly StoredBeat[]
): Promise<void> {
	if (beats.length === 0) return;
	const db = await getDb();
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
	await (await getDb()).events.add(event);
}

export async function finishSession(
	sessionId: string,
	patch: { summary?: SessionSummary; endedAt?: number } & Partial<SessionRow> = {}
): Promise<void> {
	await (
		await getDb()
	).sessions.update(sessionId, {
		...patch,
		status: 'finished',
		endedAt: patch.endedAt ?? Date.now(),
		updatedAt: Date.now()
	});
}

/**
 * Ends a recording: its events and its finished state with the summary, in one transaction, so a
 * refused write (a full disk) leaves the session as it was, with no events, and can be repeated.
 */
export async function finishRecording(
	sessionId: string,
	summary: SessionSummary,
	events: readonly SessionEventRow[]
): Promise<void> {
	const db = await getDb();
	await db.transaction('rw', db.sessions, db.events, async () => {
		if (events.length > 0) await db.events.bulkAdd(events.map((e) => ({ ...e, sessionId })));
		const now = Date.now();
		await db.sessions.update(sessionId, {
			summary,
			status: 'finished',
			endedAt: now,
			updatedAt: now
		});
	});
}

export async function updateSession(sessionId: string, patch: Partial<SessionRow>): Promise<void> {
	await (await getDb()).sessions.update(sessionId, { ...patch, updatedAt: Date.now() });
}

export async function getSession(sessionId: string): Promise<SessionRow | undefined> {
	const row = await (await getDb()).sessions.get(sessionId);
	return isSound(row) ? row : undefined;
}

export async function getBeats(sessionId: string): Promise<BeatSeries> {
	const chunks = (
		await (await getDb()).beatChunks.where('sessionId').equals(sessionId).toArray()
	).filter(isSoundChunk);
	return unpackChunks(chunks);
}

export async function getEvents(sessionId: string): Promise<SessionEventRow[]> {
	return (await getDb()).events.where('sessionId').equals(sessionId).sortBy('startMs');
}

/** Keeps an assessment's paced steps with its session, each step marked as an event. */
export async function saveAssessmentSteps(
	sessionId: string,
	steps: AssessmentStepRow[],
	stepMinutes: number
): Promise<void> {
	const db = await getDb();
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

/** Rows per request in finishedRowsInSteps: a few milliseconds of decoding each. */
export const ROWS_PER_STEP = 400;

/**
 * Every finished session, in no set order, read in steps of ROWS_PER_STEP rows by primary key
 * within one read-only transaction (one consistent view). Each step's answer is a task of its own,
 * so reading thousands of sessions in the background never blocks input for long; one request for
 * 2,000 rows is a task of 10–18 ms on a 2-core machine. Unfinished rows (few) are read too and left
 * out here.
 */
export async function finishedRowsInSteps(): Promise<SessionRow[]> {
	const db = await getDb();
	return db.transaction('r', db.sessions, async () => {
		const finished: SessionRow[] = [];
		let step = await db.sessions.orderBy(':id').limit(ROWS_PER_STEP).toArray();
		while (step.length > 0) {
			for (const row of step) if (row.status === 'finished') finished.push(row);
			if (step.length < ROWS_PER_STEP) break;
			const last = step[step.length - 1].id;
			step = await db.sessions.where(':id').above(last).limit(ROWS_PER_STEP).toArray();
		}
		return finished;
	});
}

/**
 * Finished sessions whose summary was computed by another version of the analysis. Read in steps:
 * this runs in the background after every start of the app.
 */
export async function sessionsWithStaleSummary(version: number): Promise<
	{
		id: string;
		summary?: SessionSummary;
		analysisSettings?: unknown;
		assessment?: SessionRow['assessment'];
	}[]
> {
	const rows = await finishedRowsInSteps();
	return rows
		.filter((s) => isSound(s) && s.summary?.analysisVersion !== version)
		.sort((a, b) => b.startedAt - a.startedAt)
		.map((s) => ({
			id: s.id,
			summary: s.summary,
			analysisSettings: s.analysisSettings,
			assessment: s.assessment
		}));
}

/**
 * Stores recomputed summaries in one transaction (one refresh of every open list, not one per
 * session). A derived figure, so updatedAt is left alone; a session deleted meanwhile stays gone.
 */
export async function replaceSummaries(
	summaries: ReadonlyMap<string, SessionSummary>
): Promise<void> {
	const db = await getDb();
	await db.transaction('rw', db.sessions, async () => {
		for (const [id, summary] of summaries) await db.sessions.update(id, { summary });
	});
}

/** Recordings that never finished (tab killed, browser crashed): offered for recovery. */
export async function unfinishedSessions(): Promise<SessionRow[]> {
	return (await (await getDb()).sessions.where('status').equals('recording').toArray()).filter(
		isSound
	);
}

/** What a deletion removed, kept by the caller so the person can undo it. */
export interface DeletedSession {
	session: SessionRow;
	chunks: BeatChunkRow[];
	events: SessionEventRow[];
	breathing?: BreathingRow;
}

export async function deleteSession(sessionId: string): Promise<DeletedSession | undefined> {
	const db = await getDb();
	return db
		.transaction('rw', [db.sessions, db.beatChunks, db.events, db.breathing], async () => {
			const session = await db.sessions.get(sessionId);
			if (!session) return undefined;
			const chunks = await db.beatChunks.where('sessionId').equals(sessionId).toArray();
			const events = await db.events.where('sessionId').equals(sessionId).toArray();
			const breathing = await db.breathing.get(sessionId);
			await db.beatChunks.where('sessionId').equals(sessionId).delete();
			await db.events.where('sessionId').equals(sessionId).delete();
			await db.breathing.delete(sessionId);
			await db.sessions.delete(sessionId);
			return { session, chunks, events, breathing };
		})
		.then((deleted) => {
			if (deleted) noteDeletions([sessionId]);
			return deleted;
		});
}

/** Puts a deleted session back exactly as it was. */
export async function undoDelete(deleted: DeletedSession): Promise<void> {
	const db = await getDb();
	await db.transaction('rw', [db.sessions, db.beatChunks, db.events, db.breathing], async () => {
		await db.sessions.put(deleted.session);
		await db.beatChunks.bulkPut(deleted.chunks);
		await db.events.bulkPut(deleted.events);
		if (deleted.breathing) await db.breathing.put(deleted.breathing);
	});
	unnoteDeletions([deleted.session.id]);
}

/**
 * Removes every session, beat, event, routine and measured breath, and deletes every experiment:
 * the person confirmed it twice. Experiments become tombstones (as deleteExperiment makes them,
 * so sync carries the deletion) holding nothing of what the person wrote: their day logs and
 * notes go.
 */
export async function deleteEverything(): Promise<void> {
	const db = await getDb();
	const now = Date.now();
	const ids = await db.transaction(
		'rw',
		[db.sessions, db.beatChunks, db.events, db.routines, db.breathing, db.experiments],
		async () => {
			const ids = (await db.sessions.toCollection().primaryKeys()) as string[];
			await Promise.all([
				db.sessions.clear(),
				db.beatChunks.clear(),
				db.events.clear(),
				db.routines.clear(),
				db.breathing.clear(),
				db.experiments.toCollection().modify((e) => {
					e.deletedAt ??= now;
					e.days = {};
					e.updatedAt = now;
				})
			]);
			return ids;
		}
	);
	noteDeletions(ids);
}
