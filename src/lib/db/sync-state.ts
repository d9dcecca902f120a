/**
 * Sync's own bookkeeping, in a database of its own ("settle-sync") so the app's schema is
 * untouched and forgetting this device is deleting one database. It holds what each session
 * looked like when it was last in step with the sync group (fingerprints per part), so a change
 * is seen by comparing, and which sessions were deleted, so a deletion is sent even when the
 * app deleted the row outright.
 */
import { Dexie, type EntityTable } from 'dexie';

export interface KnownRecord {
	/** A session id, "routine:" + name, or "experiment:" + id. */
	id: string;
	/** Fingerprint of each part as last sent or received. */
	parts: Record<string, string>;
	deleted?: boolean;
}

/** This device's membership of a sync group. The keys are non-extractable CryptoKeys. */
export interface SyncConfig {
	key: 'config';
	serverUrl: string;
	token: string;
	/** The group's secret, kept so this device can show the pairing code to add another. */
	master: Uint8Array;
	passphrase: boolean;
	vaultId: string;
	encKey: CryptoKey;
	nameKey: CryptoKey;
	enabled: boolean;
	lastSyncedAt?: number;
	/**
	 * The index document's Yjs state vector when everything in it had been applied here: a
	 * start that finds the same state skips decrypting the whole history again.
	 */
	appliedState?: Uint8Array;
}

export class SyncStateDB extends Dexie {
	known!: EntityTable<KnownRecord, 'id'>;
	config!: EntityTable<SyncConfig, 'key'>;

	constructor(name = 'settle-sync') {
		super(name);
		this.version(1).stores({ known: 'id', config: 'key' });
	}
}

export async function knownRecords(state: SyncStateDB): Promise<Map<string, KnownRecord>> {
	return new Map((await state.known.toArray()).map((r) => [r.id, r]));
}

export async function putKnown(state: SyncStateDB, records: readonly KnownRecord[]): Promise<void> {
	if (records.length) await state.known.bulkPut([...records]);
}

export async function readSyncConfig(state: SyncStateDB): Promise<SyncConfig | undefined> {
	return state.config.get('config');
}

export async function writeSyncConfig(state: SyncStateDB, config: SyncConfig): Promise<void> {
	await state.config.put(config);
}

export async function patchSyncConfig(
	state: SyncStateDB,
	patch: Partial<Omit<SyncConfig, 'key'>>
): Promise<void> {
	await state.config.update('config', patch);
}
