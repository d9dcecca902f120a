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
	/**
	 * The access token this device sends: its own (see deviceId), or, on a device paired before
	 * per-device tokens, the person's first token until it trades it for its own.
	 */
	token: string;
	/** This device's id at the server, once it has a token of its own. */
	deviceId?: string;
	/** The name the person gave this device (the server holds it sealed with the group's key). */
	deviceName?: string;
	/** A device was removed from here but the group not yet renewed (the network failed). */
	renewPending?: boolean;
	/** The rooms of the group this device renewed, still to be deleted from the server. */
	oldRooms?: string[];
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
	/**
	 * What the bridge could read when appliedState was saved (see READS in the bridge): an older
	 * Settle passed over entries it did not know, so after an update the index is read again.
	 */
	appliedReads?: number;
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

/**
 * Forgets what was in step with the group (a renewed group starts with nothing in it), except
 * which sessions were deleted: those go to the new group as deletions. Resolves with their ids.
 */
export async function forgetInStep(state: SyncStateDB): Promise<string[]> {
	const all = await state.known.toArray();
	await state.known.bulkDelete(all.filter((k) => !k.deleted).map((k) => k.id));
	return all.filter((k) => k.deleted).map((k) => k.id);
}
