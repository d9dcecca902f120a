/**
 * The one database handle; tests swap in a fresh database per test.
 *
 * Dexie is not in any page's first JavaScript: the handle loads it (open.ts) once the page has
 * painted, so a first visit shows the page before the database code is fetched and compiled. Every
 * read and write is asynchronous anyway; the first waits for the load.
 */
import type { Dexie } from 'dexie';
import type { SettleDB } from './schema';
import { DB_NAME } from './rows';

type Opener = typeof import('./open');

let opener: Promise<Opener> | undefined;
let pending: Promise<SettleDB> | undefined;
let current: SettleDB | undefined;
let name = DB_NAME;

/** The database, opened on first use. */
export function getDb(): Promise<SettleDB> {
	pending ??= loadOpener().then((m) => {
		current ??= m.openDatabase();
		return current;
	});
	return pending;
}

/** Dexie's class, for its events that concern every database (storagemutated). */
export function getDexie(): Promise<typeof Dexie> {
	return loadOpener().then((m) => m.Dexie);
}

/** The database's name, known before it is opened (the copy of the sessions is kept under it). */
export function databaseName(): string {
	return name;
}

export function useDatabase(next: SettleDB): void {
	current?.close();
	current = next;
	name = next.name;
	pending = Promise.resolve(next);
}

function loadOpener(): Promise<Opener> {
	opener ??= afterFirstPaint().then(() => import('./open'));
	return opener;
}

/**
 * Resolves once the page has painted: at once if it has (the browser's paint timing says so), else
 * at its first paint entry or at the frame after the next one (the next frame's callbacks run
 * before it paints), whichever comes first; at once where nothing is to be painted (a hidden tab,
 * whose frames wait until it is shown; no document, as in Node's tests). Frames that never come
 * are not waited for beyond 200 ms.
 */
function afterFirstPaint(): Promise<void> {
	if (
		typeof document === 'undefined' ||
		typeof requestAnimationFrame !== 'function' ||
		document.visibilityState === 'hidden' ||
		painted()
	)
		return Promise.resolve();
	return new Promise((resolve) => {
		let observer: PerformanceObserver | undefined;
		const done = () => {
			observer?.disconnect();
			clearTimeout(timer);
			resolve();
		};
		const timer = setTimeout(done, 200);
		requestAnimationFrame(() => requestAnimationFrame(done));
		// Paint entries come from the browser itself, so they arrive even when the page's timers
		// and frames are held (a test's paused clock). Buffered: the page may have painted already,
		// and a faked clock's `performance` (Playwright's) lists no entries for painted() to see.
		try {
			observer = new PerformanceObserver(done);
			observer.observe({ type: 'paint', buffered: true });
		} catch {
			// No paint timing here: the frames and the timer decide.
		}
	});
}

function painted(): boolean {
	try {
		return performance.getEntriesByType('paint').length > 0;
	} catch {
		return false;
	}
}
