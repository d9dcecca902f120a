/**
 * What sync is doing, for the pages to show. It lives apart from the sync engine so that pages
 * can read it without loading the engine (which loads only when sync is on).
 */
import { whenIdle } from '$lib/when-idle';

export type SyncState =
	| 'off'
	| 'starting'
	| 'connecting'
	| 'syncing'
	| 'synced'
	| 'offline'
	| 'unreachable'
	| 'refused'
	| 'removed'
	| 'renewed'
	| 'server-trouble'
	| 'other-tab'
	| 'error';

export interface SyncProgressView {
	phase: 'sending' | 'receiving';
	done: number;
	total: number;
}

class SyncStatus {
	state = $state<SyncState>('off');
	lastSyncedAt = $state<number | undefined>();
	progress = $state<SyncProgressView | undefined>();
	/** A sentence for the person when something is wrong. */
	problem = $state<string | undefined>();
	serverUrl = $state<string | undefined>();
	/** A problem worth showing on every page (being offline is normal on a phone, so not that). */
	readonly attention = $derived(
		['unreachable', 'refused', 'removed', 'renewed', 'server-trouble', 'error'].includes(this.state)
			? this.problem
			: undefined
	);
}

export const syncStatus = new SyncStatus();

/**
 * Whether this device belongs to a sync group ("off" or "on"), kept where a page load can read it
 * without opening a database or loading the engine: a person who never set sync up loads nothing.
 */
const SYNC_KEY = 'settle-sync';

function read(): string | null {
	try {
		return localStorage.getItem(SYNC_KEY);
	} catch {
		return null;
	}
}

export const syncWanted = () => read() === 'on';
export const syncMember = () => read() !== null;

export function setSyncMembership(value: 'on' | 'off' | undefined): void {
	try {
		if (value) localStorage.setItem(SYNC_KEY, value);
		else localStorage.removeItem(SYNC_KEY);
	} catch {
		// Storage blocked: sync then starts only from the Your data page.
	}
}

/** The engine, loaded on demand: nothing of it is in a page's initial JavaScript. */
export const loadSyncEngine = () => import('./engine');

/**
 * Starts sync after page load when this device has it on: once the page is idle, so opening the
 * synced history never competes with drawing the page the person came for.
 */
export function startSyncIfWanted(): void {
	if (!syncWanted()) return;
	const start = () => void loadSyncEngine().then((engine) => engine.startSync());
	whenIdle(start, 3000, 1000);
}
