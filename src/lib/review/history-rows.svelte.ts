/**
 * The finished sessions for History and Compare, whose first answer is shown in steps.
 *
 * With years of sessions, reading the rows, building the page and drawing its charts would be one
 * long task that blocks input (Lighthouse's total blocking time). So the first answer arrives in
 * tasks of its own: the rows are read; in the next task they are shown (`rows`), with the top of
 * the page; in the task after that, `more` turns on for the rest of the first screen (History's
 * trends, Compare's verdict: each half was 10–13 ms, together a task of 21–26 ms); once the main
 * thread is idle (the charts queued meanwhile drawn), `full` turns on for the parts further down
 * the page. Later answers (an edit, another tab) are shown at once. Call during component set-up:
 * the subscription ends with the component.
 *
 * The reading itself can start before the page is built (`readSessionsEarly`, from the route's
 * load): opening the database and reading 2,000 rows takes longer than building the page, so both
 * then happen at once instead of one after the other. In a new tab it starts earlier still, before
 * the app's code has loaded (the inline script in src/app.html; see db/early-read.ts).
 */
import { untrack } from 'svelte';
import type { SessionRow } from '$lib/db';
import { finishedSessions } from '$lib/db/finished-sessions';
import { whenIdle } from '$lib/when-idle';

type Listener = { next: (rows: SessionRow[]) => void; error: (err: unknown) => void };

interface EarlyRead {
	unsubscribe: () => void;
	rows?: SessionRow[];
	error?: unknown;
	listener?: Listener;
}

let early: EarlyRead | undefined;
/** A read started by hovering a link that was never followed ends by itself after this. */
const UNCLAIMED_MS = 10_000;

/** Starts the subscription now, for the page about to be built to take over. */
export function readSessionsEarly(): void {
	if (early) return;
	const read: EarlyRead = { unsubscribe: () => {} };
	const sub = subscribe({
		next: (rows) => (read.listener ? read.listener.next(rows) : (read.rows = rows)),
		error: (err) => (read.listener ? read.listener.error(err) : (read.error = err))
	});
	read.unsubscribe = () => sub.unsubscribe();
	early = read;
	setTimeout(() => {
		if (early !== read) return;
		early = undefined;
		read.unsubscribe();
	}, UNCLAIMED_MS);
}

function subscribe(listener: Listener): { unsubscribe: () => void } {
	return finishedSessions().subscribe(listener);
}

/** The early subscription if one is waiting, else a new one; `listener` hears every answer. */
function claim(listener: Listener): () => void {
	const read = early;
	early = undefined;
	if (!read) {
		const sub = subscribe(listener);
		return () => sub.unsubscribe();
	}
	read.listener = listener;
	if (read.error !== undefined) listener.error(read.error);
	else if (read.rows) listener.next(read.rows);
	return read.unsubscribe;
}

/** The next task, not a microtask: lets the browser handle input and paint in between. */
function nextTask(fn: () => void): () => void {
	const id = setTimeout(fn, 0);
	return () => clearTimeout(id);
}

/**
 * A first answer's steps, each in a task of its own: `show` (the rows, with the top of the page),
 * `more` (the rest of the first screen), and once the main thread is idle (the charts queued
 * meanwhile drawn), `rest`. Returns what cancels the steps not yet taken.
 */
export function inSteps(show: () => void, more: () => void, rest: () => void): () => void {
	let cancel = nextTask(() => {
		show();
		cancel = nextTask(() => {
			more();
			cancel = whenIdle(rest, 500);
		});
	});
	return () => cancel();
}

export class StagedSessions {
	// Raw: rows are replaced whole, and Chart.js must not see proxies of them.
	rows = $state.raw<SessionRow[] | undefined>();
	error = $state<string | undefined>();
	/** The rest of the first screen may be built (one task after `rows`, on first load). */
	more = $state(false);
	/** The parts below the first screen may be built (once idle after `more`, on first load). */
	full = $state(false);

	constructor() {
		$effect(() => {
			let cancel: (() => void) | undefined;
			// Untracked: an answer already waiting is given during claim(), and what it reads
			// (`full`) must not make this effect subscribe again when it changes.
			const stop = untrack(() =>
				claim({
					next: (rows) => {
						cancel?.();
						if (this.full) {
							this.rows = rows;
							return;
						}
						cancel = inSteps(
							() => (this.rows = rows),
							() => (this.more = true),
							() => (this.full = true)
						);
					},
					error: (err) => (this.error = `Sessions could not be read: ${String(err)}`)
				})
			);
			return () => {
				cancel?.();
				stop();
			};
		});
	}
}
