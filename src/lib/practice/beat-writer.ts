/**
 * Writes beats to storage in chunks, one write at a time, keeping every beat in memory until the
 * database confirms it: a refused write (disk full) loses nothing and is retried at the next flush.
 * The session's own row is written the same way: a recording started on a full disk creates it
 * at the first flush that finds room.
 */
import type { StoredBeat } from '$lib/db/beats';
import type { NewSession } from '$lib/db/sessions';
import type { SessionEventRow, SessionRow, SessionSummary } from '$lib/db/schema';
import { WRITE_CHUNK_BEATS } from './storage-hold';
import type { BreathingRecord } from '$lib/db/breathing';

/** The part of the database the recorder needs; tests pass an in-memory one. */
export interface SessionStore {
	createSession(input: NewSession): Promise<SessionRow>;
	appendBeats(sessionId: string, seq: number, beats: readonly StoredBeat[]): Promise<void>;
	/**
	 * Marks the session finished with its summary and writes its events (gaps, pauses, contact
	 * losses), all in one transaction: a refused write leaves none of it (db/sessions.ts).
	 */
	finishRecording(
		sessionId: string,
		summary: SessionSummary,
		events: readonly SessionEventRow[]
	): Promise<void>;
	/**
	 * Gives the beats stored from chunk `fromSeq` on the times `timesMs` (in order) and moves the
	 * session's start `originShiftMs` earlier, all at once (db/sessions.ts retimeBeats). Without
	 * it, stored beat times stay as placed live.
	 */
	retimeBeats?(
		sessionId: string,
		fromSeq: number,
		timesMs: Float64Array,
		originShiftMs: number
	): Promise<void>;
	/** Keeps the breathing the strap measured (absent: it is not kept). */
	saveBreathing?(
		sessionId: string,
		record: Omit<BreathingRecord, 'analysisVersion'>
	): Promise<void>;
	/** One recording tab at a time: null when another tab holds the lock. */
	acquireLock?(): Promise<{ release(): void } | null>;
	/** Called after a session is saved (e.g. to ask for persistent storage). */
	afterSave?(): Promise<unknown>;
}

/** What a flush found: `error` when a write was refused, else how many beats it wrote. */
export type FlushOutcome = { ok: true; wrote: number } | { ok: false; error: unknown };

export class BeatWriter {
	private pending: StoredBeat[] = [];
	private running: Promise<void> = Promise.resolve();
	private created: boolean;

	/**
	 * `create`: writes the session's row; until it has worked no chunk is written, and each flush
	 * tries it again. Left out when the row exists (a resumed session).
	 */
	constructor(
		private store: SessionStore,
		private sessionId: string,
		private onFlush: (outcome: FlushOutcome) => void,
		private create?: () => Promise<unknown>,
		private seq = 0
	) {
		this.created = !create;
	}

	/** Beats waiting to be written. */
	get pendingCount(): number {
		return this.pending.length;
	}

	/** True when everything pushed, and the session's row, is in the database. */
	get allWritten(): boolean {
		return this.created && this.pending.length === 0;
	}

	push(beats: readonly StoredBeat[]): void {
		this.pending.push(...beats);
	}

	flush(): Promise<void> {
		this.running = this.running.then(() => this.writePending());
		return this.running;
	}

	private async writePending(): Promise<void> {
		let wrote = 0;
		try {
			if (!this.created) {
				await this.create!();
				this.created = true;
			}
			while (this.pending.length > 0) {
				const batch = this.pending.slice(0, WRITE_CHUNK_BEATS);
				await this.store.appendBeats(this.sessionId, this.seq, batch);
				this.seq++;
				this.pending.splice(0, batch.length);
				wrote += batch.length;
			}
		} catch (error) {
			this.onFlush({ ok: false, error });
			return;
		}
		this.onFlush({ ok: true, wrote });
	}
}
