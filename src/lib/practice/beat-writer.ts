/**
 * Writes beats to storage in chunks, one write at a time, keeping every beat in memory until the
 * database confirms it: a refused write (disk full) loses nothing and is retried at the next flush.
 */
import type { StoredBeat } from '$lib/db/beats';
import type { NewSession } from '$lib/db/sessions';
import type { SessionEventRow, SessionRow, SessionSummary } from '$lib/db/schema';
import type { BreathingRecord } from '$lib/db/breathing';

/** The part of the database the recorder needs; tests pass an in-memory one. */
export interface SessionStore {
	createSession(input: NewSession): Promise<SessionRow>;
	appendBeats(sessionId: string, seq: number, beats: readonly StoredBeat[]): Promise<void>;
	addEvent(event: SessionEventRow): Promise<void>;
	finishSession(sessionId: string, patch: { summary?: SessionSummary }): Promise<void>;
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

export class BeatWriter {
	private pending: StoredBeat[] = [];
	private running: Promise<void>;

	/** `ready`: the session row's creation; no chunk is written before it exists. */
	constructor(
		private store: SessionStore,
		private sessionId: string,
		private onProblem: (message: string | undefined) => void,
		ready: Promise<unknown> = Promise.resolve(),
		private seq = 0
	) {
		this.running = ready.then(
			() => undefined,
			() => undefined
		);
	}

	get pendingCount(): number {
		return this.pending.length;
	}

	push(beats: readonly StoredBeat[]): void {
		this.pending.push(...beats);
	}

	flush(): Promise<void> {
		this.running = this.running.then(() => this.writePending());
		return this.running;
	}

	private async writePending(): Promise<void> {
		if (this.pending.length === 0) return;
		const batch = this.pending.slice();
		try {
			await this.store.appendBeats(this.sessionId, this.seq, batch);
			this.seq++;
			this.pending.splice(0, batch.length);
			this.onProblem(undefined);
		} catch (err) {
			this.onProblem(storageProblem(err));
		}
	}
}

export function storageProblem(err: unknown): string {
	const name = err instanceof Error ? err.name : '';
	const inner = (err as { inner?: { name?: string } } | undefined)?.inner?.name;
	if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
		return 'Storage is full. Recording continues in memory and saving is retried; free some space to keep this session.';
	}
	return 'Saving beats failed; they are kept in memory and saving is retried every few seconds.';
}
