/**
 * Watching the finished sessions, for the pages that list or chart them all (History, Compare,
 * Sessions, Journal, Breathing). Imported from here, not from the `$lib/db` index, so that pages
 * which never watch them (the practice page, on every start) do not load this code.
 */
import { databaseName, getDb, getDexie } from './db';
import { finishedRowsInSteps } from './sessions';
import { isSound } from './integrity';
import type { SessionRow } from './schema';
import { takeEarlySessions } from './early-read';
import { keepSnapshot, markBeforeRead } from './sessions-snapshot';
import { whenIdle } from '$lib/when-idle';
import { nextTask } from '$lib/next-task';

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
				() => readFinished(false),
				watcher,
				early?.then((rows) => rows && soundNewestFirst(rows)),
				() => readFinished(true)
			);
		}
	};
}

/**
 * The finished sessions, newest first, read one way or the other, and kept as the copy the next
 * new tab starts from. For the first answer, one request (getAll on the status index, sorted here:
 * a cursor walk in startedAt order costs a step per row, about 150 ms for 2,000 sessions). For the
 * check of an early answer a second after the page opened, in steps (finishedRowsInSteps): one
 * request for 2,000 rows was a task of 10–18 ms there, in the way of input and counted by
 * Lighthouse as blocking time.
 */
async function readFinished(inSteps: boolean): Promise<SessionRow[]> {
	const db = await getDb();
	const mark = markBeforeRead(db.name);
	const rows = inSteps
		? await finishedRowsInSteps()
		: await db.sessions.where('status').equals('finished').toArray();
	keepSnapshot(db, mark, rows);
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
	first?: Promise<T | undefined>,
	readToCheck: () => Promise<T> = read
): Watch {
	const part = `idb://${databaseName()}/${table}/`;
	let closed = false;
	let reading = false;
	let stale = false;
	let answered = false;
	const run = async (unless?: { same: T }) => {
		if (reading) {
			stale = true;
			return;
		}
		reading = true;
		try {
			do {
				stale = false;
				const value = await (unless ? readToCheck() : read());
				if (closed || stale) continue;
				// Compared field by field: writing both answers out as JSON (2,000 rows) made the
				// check a task of 15–22 ms a second after the page opened.
				if (unless && sameAsJson(value, unless.same)) continue;
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
		// Read in a task of its own: Dexie says so while the write's 'complete' event is still being
		// dispatched, before the copy's watch (sessions-snapshot.ts) moves the sessions' mark past
		// it, and a read marked before that move could never be kept as the copy.
		if (Object.keys(parts).some((k) => k.startsWith(part))) void nextTask().then(() => run());
	};
	// Dexie's own event, once Dexie is loaded; the first read waits for that load anyway.
	const listening = getDexie().then((Dexie) => {
		if (!closed) Dexie.on('storagemutated', onWrite);
		return Dexie;
	});
	if (!first) void listening.then(() => run());
	else
		void first.then((value) => {
			// A write meanwhile has already been answered with a read of our own.
			if (closed || answered || reading) return;
			if (value === undefined) return void run();
			answered = true;
			watcher.next(value);
			afterStartUp(() => {
				if (!closed && !reading) void run({ same: value });
			});
		});
	return {
		unsubscribe() {
			closed = true;
			void listening.then((Dexie) => Dexie.on('storagemutated').unsubscribe(onWrite));
		}
	};
}

/** How long after its first answer a watch checks an early read. */
const CHECK_AFTER_MS = 1000;

/**
 * A while after the page is built, when the main thread is idle: an idle moment while the page is
 * still starting (waiting for the database, say) would put the check in the way of the first answer.
 */
function afterStartUp(fn: () => void): void {
	setTimeout(() => whenIdle(fn, 2000), CHECK_AFTER_MS);
}

/**
 * Whether two answers would be written out as the same JSON (an early answer may have been read
 * from JSON): keys set to undefined count as absent, numbers that are not finite as null.
 */
export function sameAsJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a === 'number' || typeof b === 'number') {
		const norm = (v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
		return norm(a) === norm(b);
	}
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		for (let i = 0; i < a.length; i++) {
			// JSON writes undefined in an array as null.
			if (!sameAsJson(a[i] === undefined ? null : a[i], b[i] === undefined ? null : b[i]))
				return false;
		}
		return true;
	}
	const x = a as Record<string, unknown>;
	const y = b as Record<string, unknown>;
	let keys = 0;
	for (const k in x) {
		if (x[k] === undefined) continue;
		keys++;
		if (!sameAsJson(x[k], y[k])) return false;
	}
	for (const k in y) if (y[k] !== undefined) keys--;
	return keys === 0;
}
