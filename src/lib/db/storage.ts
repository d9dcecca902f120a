/**
 * The browser's storage for this site: asking it to keep our data (persistent storage), how much
 * is used, and recognising a full disk. Everything is safe where an API is missing.
 */
export const PERSIST_EXPLANATION =
	"Settle keeps your sessions in this browser's storage. Allowing persistent storage stops the browser from clearing them when space runs low.";

export async function requestPersistence(): Promise<'granted' | 'denied' | 'unsupported'> {
	if (typeof navigator === 'undefined' || !navigator.storage?.persist) return 'unsupported';
	try {
		if (await navigator.storage.persisted()) return 'granted';
		return (await navigator.storage.persist()) ? 'granted' : 'denied';
	} catch {
		return 'denied';
	}
}

export async function isPersisted(): Promise<boolean | undefined> {
	try {
		return await navigator.storage?.persisted?.();
	} catch {
		return undefined;
	}
}

export async function storageUse(): Promise<{ usedBytes: number; quotaBytes: number } | undefined> {
	try {
		const e = await navigator.storage?.estimate?.();
		return e ? { usedBytes: e.usage ?? 0, quotaBytes: e.quota ?? 0 } : undefined;
	} catch {
		return undefined;
	}
}

/** Dexie wraps the DOM error; either may say the quota was exceeded. */
export function isQuotaError(err: unknown): boolean {
	const e = err as { name?: string; inner?: { name?: string } } | undefined;
	return e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError';
}

/**
 * What was not saved, why, and what to do. The writes it names are single transactions, so
 * nothing of them was written. `retried`: the caller tries again by itself.
 */
export function refusedWriteMessage(what: string, err: unknown, retried = false): string {
	const again = retried ? 'Settle tries again every few seconds; keep this page open.' : '';
	if (isQuotaError(err)) {
		return `${what} could not be saved: this browser's storage for Settle is full. Free space on this device (or download a backup and delete sessions you no longer need)${retried ? `. ${again}` : ', then try again.'}`;
	}
	const reason = err instanceof Error ? err.message : String(err);
	return `${what} could not be saved (${reason}). Nothing of it was written; ${again || 'try again.'}`;
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`;
	if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
	return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
