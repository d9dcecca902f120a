/**
 * Sync on this device: the Yjs documents (kept in IndexedDB by y-indexeddb, relayed by the
 * y-websocket server), the bridge to the app's database, and the status the pages show.
 * Loaded only when sync is on (see status.svelte.ts), so it costs nothing to anyone else.
 *
 * One tab syncs at a time (a Web Lock): two tabs would send the same changes twice. The app's
 * database stays the truth; sync reads from it and writes into it, so recording never waits
 * for the network, and a session recorded offline goes out when the server is reachable again.
 */
import { Dexie } from 'dexie';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { getDb } from '$lib/db/db';
import { recordingNow } from '$lib/db/sync-rows';
import { notedDeletions, unnoteDeletions } from '$lib/db/deletions';
import {
	SyncStateDB,
	forgetInStep,
	patchSyncConfig,
	readSyncConfig,
	writeSyncConfig,
	type SyncConfig
} from '$lib/db/sync-state';
import { LOCAL, READS, SyncBridge, indexApplied, type SyncDocs } from './bridge';
import {
	SyncKeyError,
	base64url,
	deriveKeys,
	fromBase64url,
	nameOf,
	newVaultSecret,
	openJson,
	sealJson,
	type VaultKeys,
	type VaultSecret
} from './crypto';
import { decodePairingCode, encodePairingCode, pairingLink } from './pairing-code';
import { setSyncMembership, syncStatus } from './status.svelte';
import {
	ControlError,
	OLD_SERVER,
	deleteRooms,
	deviceLabel,
	enrol,
	inviteDevice,
	listDevices,
	renameDevice,
	revokeDevice,
	type DeviceView
} from './devices';
import {
	GONE,
	REMOVED,
	closedText,
	errorText,
	ACCESS_CODES,
	REACH_TIMEOUT_MS,
	openRoom,
	serverAddress,
	reachServer,
	settleRoom,
	unreachableText,
	watchRoom,
	type Room
} from './rooms';

const LOCK = 'settle-sync';

interface Running {
	config: SyncConfig;
	keys: VaultKeys;
	rooms: Map<string, Promise<Room>>;
	bridge: SyncBridge;
	stopWatching: () => void;
	releaseLock: () => void;
}

let running: Running | undefined;
let starting: Promise<void> | undefined;
let stateDb: SyncStateDB | undefined;
const state = () => (stateDb ??= new SyncStateDB());

/** The entry that tells a joining device it has the right code (and passphrase). */
async function checkKey(keys: VaultKeys) {
	return nameOf(keys, 'check');
}

async function writeCheck(keys: VaultKeys, room: Room) {
	const key = await checkKey(keys);
	const env = await sealJson(keys, `${room.room}/${key}`, { id: '', part: 'check', v: 1 });
	room.doc.transact(() => room.doc.getMap<Uint8Array>('v').set(key, env), LOCAL);
}

async function hasCheck(keys: VaultKeys, room: Room): Promise<boolean> {
	const key = await checkKey(keys);
	const env = room.doc.getMap<Uint8Array>('v').get(key);
	if (!env) return false;
	await openJson(keys, `${room.room}/${key}`, env);
	return true;
}

async function firstContact(config: SyncConfig, keys: VaultKeys) {
	const room = await openRoom(config, await nameOf(keys, 'index'));
	try {
		await reachServer(room.provider, config.serverUrl);
		return room;
	} catch (e) {
		room.provider.destroy();
		await room.store.destroy();
		room.doc.destroy();
		throw e;
	}
}

/**
 * A token this page got but could not use yet (a mistyped pairing code): used again on the next
 * try, since an invitation adds one device only.
 */
let spare: { serverUrl: string; credential: string; id: string; token: string } | undefined;

/**
 * This device's own token, in exchange for the person's first token or an invitation. A server
 * from before per-device tokens has none to give: there the shared token goes on working.
 */
async function ownToken(serverUrl: string, credential: string) {
	if (spare?.serverUrl === serverUrl && spare.credential === credential)
		return { token: spare.token, deviceId: spare.id };
	try {
		const { id, token } = await enrol(serverUrl, credential, deviceLabel());
		spare = { serverUrl, credential, id, token };
		return { token, deviceId: id };
	} catch (e) {
		if (e instanceof ControlError && e.code === OLD_SERVER) return { token: credential };
		throw e;
	}
}

/** Starts a new sync group on this device. */
export async function createGroup(
	serverUrl: string,
	token: string,
	passphrase?: string,
	deviceName?: string
) {
	const secret = newVaultSecret(Boolean(passphrase));
	const keys = await deriveKeys(secret, passphrase);
	const url = serverAddress(serverUrl);
	const own = await ownToken(url, token);
	const config = {
		...makeConfig(url, own.token, secret, keys),
		deviceId: own.deviceId,
		deviceName: deviceName?.trim() || undefined
	};
	const room = await firstContact(config, keys);
	await writeCheck(keys, room);
	await settleRoom(room);
	await dropContact(room);
	await writeSyncConfig(state(), config);
	spare = undefined;
	await begin(config, keys);
	await sendName(config);
}

/** Lets go of a first contact's room (its copy in IndexedDB stays, for begin to open). */
async function dropContact(room: Room) {
	room.provider.destroy();
	await room.store.destroy();
	room.doc.destroy();
}

/** Joins the group another device shows the pairing code of. */
export async function joinGroup(
	serverUrl: string,
	token: string,
	code: string,
	passphrase?: string,
	deviceName?: string
) {
	const secret = decodePairingCode(code);
	const keys = await deriveKeys(secret, passphrase);
	const url = serverAddress(serverUrl);
	const own = await ownToken(url, token);
	const config = {
		...makeConfig(url, own.token, secret, keys),
		deviceId: own.deviceId,
		deviceName: deviceName?.trim() || undefined
	};
	await checkCode(config, keys);
	await writeSyncConfig(state(), config);
	spare = undefined;
	await begin(config, keys);
	await sendName(config);
}

/** What a device's name is sealed with: its id, so the server cannot swap names around. */
const nameAad = (deviceId: string) => `device-name/${deviceId}`;

/**
 * Sends this device's name, sealed with the group's key, so only the group's devices read it.
 * Best effort: without it the list shows the browser and system.
 */
async function sendName(config: SyncConfig): Promise<void> {
	if (!config.deviceId) return;
	try {
		const sealed = config.deviceName
			? base64url(await sealJson(keysOf(config), nameAad(config.deviceId), config.deviceName))
			: undefined;
		await renameDevice(config.serverUrl, config.token, sealed);
	} catch {
		// Unreachable now: the name goes with the next rename or renewal.
	}
}

/** Names this device in the group's list (an empty name clears it). */
export async function nameThisDevice(name: string): Promise<void> {
	const config = await readSyncConfig(state());
	if (!config?.deviceId) throw new Error('This device has no access token of its own yet.');
	const deviceName = name.trim() || undefined;
	const sealed = deviceName
		? base64url(await sealJson(keysOf(config), nameAad(config.deviceId), deviceName))
		: undefined;
	await renameDevice(config.serverUrl, config.token, sealed);
	await patchSyncConfig(state(), { deviceName });
}

/** Makes sure a pairing code (and passphrase) opens a group on the server; says why not. */
async function checkCode(config: SyncConfig, keys: VaultKeys) {
	const room = await firstContact(config, keys);
	let found = false;
	try {
		found = await hasCheck(keys, room);
	} finally {
		room.provider.destroy();
		if (!found) await room.store.clearData();
		room.doc.destroy();
	}
	if (!found)
		throw new SyncKeyError(
			'wrong-key',
			config.passphrase
				? 'No sync group on this server opens with this pairing code and passphrase. Check both, and the server address.'
				: 'No sync group on this server opens with this pairing code. Check the code and the server address.'
		);
}

function makeConfig(
	serverUrl: string,
	token: string,
	secret: { master: Uint8Array; passphrase: boolean },
	keys: VaultKeys
): SyncConfig {
	return {
		key: 'config',
		serverUrl,
		token,
		master: secret.master,
		passphrase: secret.passphrase,
		vaultId: keys.vaultId,
		encKey: keys.encKey,
		nameKey: keys.nameKey,
		enabled: true
	};
}

/** Starts sync at page load (when it is on) or after the Your data page turned it on. */
export async function startSync(): Promise<void> {
	starting ??= (async () => {
		const config = await readSyncConfig(state());
		if (!config?.enabled) {
			setSyncMembership(config ? 'off' : undefined);
			syncStatus.state = 'off';
			return;
		}
		const own = await ownTokenAtStart(config);
		if (!own) return;
		await begin(own, keysOf(own));
		void deleteOldRooms();
	})().finally(() => (starting = undefined));
	return starting;
}

const keysOf = ({ vaultId, encKey, nameKey }: SyncConfig): VaultKeys => ({
	vaultId,
	encKey,
	nameKey
});

/** The server closed this device's connections for good: says why, in words. */
function stoppedByServer(code: number, reason: string) {
	syncStatus.state = code === GONE ? 'renewed' : code === REMOVED ? 'removed' : 'refused';
	syncStatus.problem = closedText(code, reason, syncStatus.serverUrl ?? 'the sync server');
}

/**
 * A device paired before per-device tokens sends the person's first token: at its next start
 * it trades it for a token of its own. Unreachable, or an older server: it carries on with the
 * first token (next time, then). Refused or retired: it stops and says so (resolves undefined).
 */
async function ownTokenAtStart(config: SyncConfig): Promise<SyncConfig | undefined> {
	if (config.deviceId) return config;
	try {
		const { id, token } = await enrol(config.serverUrl, config.token, deviceLabel());
		await patchSyncConfig(state(), { token, deviceId: id });
		return { ...config, token, deviceId: id };
	} catch (e) {
		if (e instanceof ControlError && e.code !== undefined && ACCESS_CODES.includes(e.code)) {
			setSyncMembership('on');
			syncStatus.serverUrl = config.serverUrl;
			stoppedByServer(e.code, e.reason);
			return undefined;
		}
		return config;
	}
}

async function begin(config: SyncConfig, keys: VaultKeys): Promise<void> {
	if (running) return;
	setSyncMembership('on');
	listenToOtherTabs();
	syncStatus.serverUrl = config.serverUrl;
	syncStatus.lastSyncedAt = config.lastSyncedAt;
	syncStatus.problem = undefined;
	syncStatus.state = 'starting';
	const releaseLock = await takeLock();
	if (!releaseLock) return;

	const rooms = new Map<string, Promise<Room>>();
	const room = (name: string) => {
		let r = rooms.get(name);
		if (!r) {
			r = openRoom(config, name).then((opened) =>
				watchRoom(opened, refresh, stoppedByServer, (text) => {
					syncStatus.state = 'error';
					syncStatus.problem = text;
				})
			);
			rooms.set(name, r);
		}
		return r;
	};
	const index = await room(await nameOf(keys, 'index'));
	const docs: SyncDocs = {
		index: { doc: index.doc, room: index.room },
		beats: async (year) => room(await nameOf(keys, `beats/${year}`))
	};
	const bridge = new SyncBridge(await getDb(), state(), keys, docs, {
		noted: notedDeletions,
		forget: unnoteDeletions
	});
	bridge.onProgress = (p) => {
		syncStatus.progress = p.phase === 'idle' ? undefined : { ...p, phase: p.phase };
		refresh();
	};
	bridge.onError = (e) => {
		syncStatus.state = 'error';
		syncStatus.problem = errorText(e);
	};
	running = { config, keys, rooms, bridge, stopWatching: watchDatabase(bridge), releaseLock };
	window.addEventListener('online', onOnline);
	window.addEventListener('offline', onOffline);
	refresh();
	// What changed here while sync was off goes out; what arrived but was never applied here
	// (everything, on a first sync) comes in. An unchanged index needs no second look.
	const same = indexApplied(config, Y.encodeStateVector(index.doc));
	void (same ? bridge.push() : bridge.pullAll()).then(refresh, () => undefined);
}

/** Set while this tab waits for another tab to stop syncing; turning sync off ends the wait. */
let lockWait: AbortController | undefined;

/**
 * Holds the sync lock; while another tab holds it, says so and waits its turn. Resolves with the
 * release function, or with nothing when the wait was given up.
 */
function takeLock(): Promise<(() => void) | undefined> {
	if (typeof navigator === 'undefined' || !navigator.locks) return Promise.resolve(() => {});
	return new Promise((resolve) => {
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		void navigator.locks.request(LOCK, { ifAvailable: true }, async (lock) => {
			if (lock) {
				resolve(release);
				return held;
			}
			syncStatus.state = 'other-tab';
			const wait = (lockWait = new AbortController());
			navigator.locks
				.request(LOCK, { signal: wait.signal }, async () => {
					lockWait = undefined;
					resolve(release);
					return held;
				})
				.catch(() => resolve(undefined));
		});
	});
}

/** Sends local changes shortly after the app's database changes (a burst is sent once). */
function watchDatabase(bridge: SyncBridge): () => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const onChange = (parts: Record<string, unknown>) => {
		if (!Object.keys(parts).some((k) => k.startsWith('idb://settle/'))) return;
		clearTimeout(timer);
		timer = setTimeout(async () => {
			// A recording writes every few seconds; it goes out once, when it is finished.
			if (await recordingNow(await getDb())) return;
			void bridge.push().then(refresh, () => undefined);
		}, 1000);
	};
	Dexie.on('storagemutated', onChange);
	return () => {
		clearTimeout(timer);
		Dexie.on('storagemutated').unsubscribe(onChange);
	};
}

/**
 * Offline, the connections are closed rather than left to time out one by one; back online
 * they open at once instead of after the back-off, and what was recorded meanwhile goes out.
 */
async function eachProvider(act: (p: WebsocketProvider) => void) {
	for (const room of await Promise.all(running?.rooms.values() ?? [])) act(room.provider);
	refresh();
}
const onOffline = () => void eachProvider((p) => p.disconnect());
const onOnline = () => void eachProvider((p) => p.connect());

/** Sync stopped on something only the person can resolve: refresh leaves the state alone. */
const halted = () => ['refused', 'removed', 'renewed', 'error'].includes(syncStatus.state);

/** Works out the state the pages show from the connections and the bridge. */
function refresh() {
	const r = running;
	if (!r || halted()) return;
	void (async () => {
		const rooms = await Promise.all(r.rooms.values());
		// The server may have closed the door meanwhile (the close comes after the disconnect).
		if (halted()) return;
		const lost = rooms.map((x) => x.lostSince).filter((t): t is number => t !== undefined);
		if (typeof navigator !== 'undefined' && navigator.onLine === false) {
			syncStatus.state = 'offline';
			syncStatus.problem =
				'This device is offline. Sessions recorded now are kept here and sync when it is back online.';
		} else if (rooms.some((x) => x.serverTrouble)) {
			syncStatus.state = 'server-trouble';
			syncStatus.problem = rooms.find((x) => x.serverTrouble)?.serverTrouble;
		} else if (lost.some((t) => Date.now() - t >= REACH_TIMEOUT_MS)) {
			syncStatus.state = 'unreachable';
			syncStatus.problem = unreachableText(r.config.serverUrl);
		} else if (syncStatus.progress || rooms.some((x) => !x.provider.synced)) {
			syncStatus.state = rooms.some((x) => x.provider.wsconnected) ? 'syncing' : 'connecting';
			syncStatus.problem = undefined;
		} else if (rooms.some((x) => (x.provider.ws?.bufferedAmount ?? 0) > 0)) {
			// Still sending: "synced" only once everything has left this device.
			syncStatus.state = 'syncing';
			setTimeout(refresh, 300);
		} else {
			await r.bridge.idle();
			if (running !== r || syncStatus.progress || halted()) return;
			if (r.bridge.incomplete > 0) {
				// Rows whose beats are still on their way: not synced yet.
				syncStatus.state = 'syncing';
				return;
			}
			syncStatus.state = 'synced';
			syncStatus.problem = undefined;
			syncStatus.lastSyncedAt = Date.now();
			const index = await r.rooms.values().next().value;
			await patchSyncConfig(state(), {
				lastSyncedAt: syncStatus.lastSyncedAt,
				appliedState: index && Y.encodeStateVector(index.doc),
				appliedReads: READS
			});
		}
	})();
}

/** Sends and fetches now (the person pressed "Sync now"). */
export async function syncNow(): Promise<void> {
	const r = running;
	if (!r) return;
	// A retry after an error or a refusal starts from a clean slate.
	syncStatus.problem = undefined;
	syncStatus.state = 'syncing';
	for (const room of await Promise.all(r.rooms.values())) room.provider.connect();
	await r.bridge.pullAll();
	refresh();
}

async function shutDown(): Promise<Room[]> {
	lockWait?.abort();
	await starting;
	const r = running;
	running = undefined;
	if (!r) return [];
	r.stopWatching();
	window.removeEventListener('online', onOnline);
	window.removeEventListener('offline', onOffline);
	await r.bridge.idle();
	const rooms = await Promise.all(r.rooms.values());
	for (const room of rooms) {
		room.provider.destroy();
		room.doc.destroy();
	}
	r.releaseLock();
	return rooms;
}

/** Another tab of this device turned sync off or forgot the device: this tab stops too. */
const CONTROL = 'settle-sync-control';
let control: BroadcastChannel | undefined;

function listenToOtherTabs(): void {
	if (control || typeof BroadcastChannel === 'undefined') return;
	control = new BroadcastChannel(CONTROL);
	control.onmessage = () =>
		void shutDown().then(() => {
			syncStatus.state = 'off';
			syncStatus.progress = undefined;
			syncStatus.problem = undefined;
		});
}

function tellOtherTabs(): void {
	if (typeof BroadcastChannel === 'undefined') return;
	const channel = new BroadcastChannel(CONTROL);
	channel.postMessage('stop');
	channel.close();
}

/** Turns sync off on this device; everything recorded stays here, and it can be turned on again. */
export async function stopSync(): Promise<void> {
	tellOtherTabs();
	await shutDown();
	setSyncMembership('off');
	await patchSyncConfig(state(), { enabled: false });
	syncStatus.state = 'off';
	syncStatus.progress = undefined;
	syncStatus.problem = undefined;
}

/** Turns sync back on with the group this device already belongs to. */
export async function resumeSync(): Promise<void> {
	await patchSyncConfig(state(), { enabled: true });
	await startSync();
}

/**
 * Leaves the sync group on this device: keys, the encrypted copies and the bookkeeping go;
 * the sessions stay, and nothing is deleted on the other devices or the server.
 */
export async function forgetDevice(): Promise<void> {
	const config = await readSyncConfig(state());
	tellOtherTabs();
	const opened = await shutDown();
	setSyncMembership(undefined);
	if (config) {
		// Its token is no use to anyone now; off the list (when the server can be reached).
		if (config.deviceId)
			void revokeDevice(config.serverUrl, config.token, config.deviceId).catch(() => undefined);
		await forgetLocalRooms(await roomNames(keysOf(config), opened));
	}
	state().close();
	await Dexie.delete('settle-sync');
	stateDb = undefined;
	syncStatus.state = 'off';
	syncStatus.lastSyncedAt = undefined;
	syncStatus.progress = undefined;
	syncStatus.problem = undefined;
}

/** A group's rooms as this device knows them: the index, and the beats of each year it has. */
async function roomNames(keys: VaultKeys, opened: Room[] = []): Promise<string[]> {
	const names = new Set([await nameOf(keys, 'index'), ...opened.map((r) => r.room)]);
	const years = new Set(
		(await (await getDb()).sessions.toArray()).map((s) => new Date(s.startedAt).getUTCFullYear())
	);
	for (const y of years) names.add(await nameOf(keys, `beats/${y}`));
	return [...names];
}

const forgetLocalRooms = (names: string[]) =>
	Promise.all(names.map((n) => Dexie.delete(`settle-sync-${n}`)));

/**
 * What this device needs to show to add another: the code as text, a one-time invitation for
 * the server (or why none could be made), and a link carrying both for a QR code.
 */
export async function pairingDetails(appUrl: string) {
	const config = await readSyncConfig(state());
	if (!config) return undefined;
	const code = encodePairingCode({ master: config.master, passphrase: config.passphrase });
	let invite: { invite: string; expiresAt: number } | undefined;
	let inviteProblem: string | undefined;
	if (config.deviceId) {
		try {
			invite = await inviteDevice(config.serverUrl, config.token);
		} catch (e) {
			inviteProblem = e instanceof Error ? e.message : String(e);
		}
	} else {
		// Not yet with a token of its own (an older server): the shared token, as before.
		invite = { invite: config.token, expiresAt: 0 };
	}
	return {
		code,
		passphrase: config.passphrase,
		serverUrl: config.serverUrl,
		invite,
		inviteProblem,
		link: pairingLink(appUrl, config.serverUrl, invite?.invite ?? '', code)
	};
}

/** The group's devices as the server lists them; undefined before this device has its own token. */
export async function groupDevices(): Promise<
	{ devices: DeviceView[]; admissionOpen: boolean } | undefined
> {
	const config = await readSyncConfig(state());
	if (!config?.deviceId) return undefined;
	const listed = await listDevices(config.serverUrl, config.token);
	const keys = keysOf(config);
	for (const d of listed.devices) {
		if (!d.name) continue;
		try {
			d.name = await openJson<string>(keys, nameAad(d.id), fromBase64url(d.name));
		} catch {
			// Sealed under a group's old key (a removed device's): the browser and system it is.
			d.name = undefined;
		}
	}
	return listed;
}

/**
 * Removes a (lost) device: the server refuses its token from now on, and the group is renewed
 * (a new secret, new rooms, everything here encrypted again and sent, the old rooms deleted from
 * the server), so its copy of the old secret opens nothing written after this. The other devices
 * must be paired again with the new code. A group with a passphrase needs one for the renewed
 * group (the same or a new one). Resolves with the new pairing code.
 */
export async function removeDevice(id: string, passphrase?: string): Promise<string> {
	const config = await readSyncConfig(state());
	if (!config?.deviceId)
		throw new Error(
			'This device has no access token of its own yet: let it reach the sync server once, then try again.'
		);
	if (id === config.deviceId)
		throw new Error('To take this device out of the group, use Forget this device.');
	if (config.passphrase && !passphrase)
		throw new SyncKeyError(
			'passphrase-needed',
			'Enter a passphrase for the renewed group (the same as before, or a new one).'
		);
	// The lost device is locked out first: from now on the server refuses its token. Should the
	// renewal then fail (the network), this device remembers to finish it (renewGroup).
	// The names as the old key opens them, to seal again under the new one.
	const named = (await groupDevices().catch(() => undefined))?.devices ?? [];
	await revokeDevice(config.serverUrl, config.token, id);
	await patchSyncConfig(state(), { renewPending: true });
	const code = await renewGroup(passphrase);
	await resealNames(named.filter((d) => !d.you));
	return code;
}

/**
 * Seals the other devices' names again under the renewed group's key, so the list still says
 * which is which (the removed one too) before each is paired again. Best effort.
 */
async function resealNames(devices: DeviceView[]): Promise<void> {
	const config = await readSyncConfig(state());
	if (!config) return;
	for (const d of devices) {
		if (!d.name) continue;
		const sealed = base64url(await sealJson(keysOf(config), nameAad(d.id), d.name));
		await renameDevice(config.serverUrl, config.token, sealed, undefined, d.id).catch(
			() => undefined
		);
	}
}

/**
 * Renews the group: a new secret and new rooms, everything here encrypted again and sent, then
 * the old rooms deleted from the server. Resolves with the new pairing code.
 */
export async function renewGroup(passphrase?: string): Promise<string> {
	const config = await readSyncConfig(state());
	if (!config) throw new Error('This device is not in a sync group.');
	if (config.passphrase && !passphrase)
		throw new SyncKeyError(
			'passphrase-needed',
			'Enter a passphrase for the renewed group (the same as before, or a new one).'
		);
	const secret = newVaultSecret(config.passphrase);
	const keys = await deriveKeys(secret, passphrase);
	const next = renewed(config, secret, keys);
	const room = await firstContact(next, keys);
	await writeCheck(keys, room);
	await settleRoom(room);
	await dropContact(room);
	const old = await moveTo(config, next, keys);
	// Only now that this device holds the new group: the old rooms go from the server, and the
	// devices still in them hear that the group was renewed (at the next start, if not now).
	await patchSyncConfig(state(), { oldRooms: old });
	await deleteOldRooms();
	return encodePairingCode(secret);
}

/** Deletes a renewed group's old rooms from the server, if any are left to delete. */
async function deleteOldRooms(): Promise<void> {
	const config = await readSyncConfig(state());
	if (!config?.oldRooms?.length) return;
	try {
		await deleteRooms(config.serverUrl, config.token, config.oldRooms);
		await patchSyncConfig(state(), { oldRooms: undefined });
	} catch {
		// The lost device is locked out already (its token); the rest can wait for the next start.
	}
}

/** A device's membership of the renewed group: the same server, token and id, new keys. */
function renewed(config: SyncConfig, secret: VaultSecret, keys: VaultKeys): SyncConfig {
	return {
		...makeConfig(config.serverUrl, config.token, secret, keys),
		deviceId: config.deviceId,
		deviceName: config.deviceName
	};
}

/** Pairs this device again after another one renewed the group (it keeps its own token). */
export async function rejoinGroup(code: string, passphrase?: string): Promise<void> {
	const config = await readSyncConfig(state());
	if (!config) throw new Error('This device is not in a sync group.');
	const secret = decodePairingCode(code);
	const keys = await deriveKeys(secret, passphrase);
	if (keys.vaultId === config.vaultId)
		throw new SyncKeyError(
			'wrong-key',
			'This is the old pairing code. Enter the new one, shown on the device that removed a device.'
		);
	const next = renewed(config, secret, keys);
	await checkCode(next, keys);
	await moveTo(config, next, keys);
}

/**
 * Moves this device from its group to the renewed one: what was in step is forgotten, so every
 * session here goes to the new rooms (sessions deleted go as deletions), and the old rooms' copies
 * on this device are deleted. Resolves with the old rooms' names.
 */
async function moveTo(config: SyncConfig, next: SyncConfig, keys: VaultKeys): Promise<string[]> {
	tellOtherTabs();
	const opened = await shutDown();
	const old = await roomNames(keysOf(config), opened);
	const deleted = await forgetInStep(state());
	await writeSyncConfig(state(), next);
	await forgetLocalRooms(old);
	await begin(next, keys);
	await running?.bridge.sendDeletions(deleted);
	// Its name sealed again, with the renewed group's key.
	await sendName(next);
	return old;
}

/** Whether this device belongs to a sync group (on or off), and whether a renewal is unfinished. */
export async function membership(): Promise<
	| {
			enabled: boolean;
			serverUrl: string;
			passphrase: boolean;
			renewPending: boolean;
			deviceName?: string;
	  }
	| undefined
> {
	const config = await readSyncConfig(state());
	return (
		config && {
			enabled: config.enabled,
			serverUrl: config.serverUrl,
			passphrase: config.passphrase,
			renewPending: Boolean(config.renewPending),
			deviceName: config.deviceName
		}
	);
}
