/**
 * Two (or more) devices in one process: each has its own app database, sync bookkeeping and Yjs
 * documents, and a bridge. `connect` relays document updates between devices the way the server
 * does (whole state on connect, then every update), `disconnect` takes a device offline.
 */
import * as Y from 'yjs';
import { SettleDB } from '$lib/db/schema';
import { SyncStateDB } from '$lib/db/sync-state';
import { SyncBridge, type SyncDocs } from '$lib/sync/bridge';
import type { VaultKeys } from '$lib/sync/crypto';

let n = 0;
const REMOTE = Symbol('remote');

export interface Device {
	db: SettleDB;
	state: SyncStateDB;
	docs: Map<string, Y.Doc>;
	bridge: SyncBridge;
	online: boolean;
	/** What the person deleted here (the app notes it in localStorage; tests, here). */
	deleted: Set<string>;
}

export interface Net {
	devices: Device[];
	/** Every update that went over the "network", as the server would see it. */
	traffic: Uint8Array[];
}

export function network(): Net {
	return { devices: [], traffic: [] };
}

function relay(net: Net, from: Device, room: string, update: Uint8Array) {
	net.traffic.push(update);
	for (const d of net.devices)
		if (d !== from && d.online) Y.applyUpdate(docOf(net, d, room), update, REMOTE);
}

function docOf(net: Net, device: Device, room: string): Y.Doc {
	let doc = device.docs.get(room);
	if (!doc) {
		doc = new Y.Doc();
		device.docs.set(room, doc);
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== REMOTE && device.online) relay(net, device, room, update);
		});
		// A newly opened document gets what the others already hold (the server's copy).
		for (const d of net.devices) {
			const other = d.docs.get(room);
			if (d !== device && other && device.online && d.online)
				Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), REMOTE);
		}
	}
	return doc;
}

export function addDevice(net: Net, keys: VaultKeys): Device {
	const id = n++;
	const device = {
		db: new SettleDB(`sync-device-${id}`),
		state: new SyncStateDB(`sync-state-${id}`),
		docs: new Map<string, Y.Doc>(),
		online: true,
		deleted: new Set<string>()
	} as Device;
	net.devices.push(device);
	device.bridge = bridgeOf(net, device, keys);
	return device;
}

function bridgeOf(net: Net, device: Device, keys: VaultKeys): SyncBridge {
	const docs: SyncDocs = {
		index: { doc: docOf(net, device, 'index'), room: 'index' },
		beats: async (year) => ({ doc: docOf(net, device, `beats-${year}`), room: `beats-${year}` })
	};
	return new SyncBridge(device.db, device.state, keys, docs, {
		noted: () => [...device.deleted],
		forget: (ids) => ids.forEach((id) => device.deleted.delete(id))
	});
}

/**
 * The app started again on this device (after an update): a new bridge over the same database,
 * bookkeeping and documents, reading what it keeps afresh.
 */
export function restart(net: Net, device: Device, keys: VaultKeys): void {
	device.bridge = bridgeOf(net, device, keys);
}

/** The person deletes a session here, as the app does: the row, its beats, events and breathing. */
export async function deleteHere(device: Device, id: string) {
	const db = device.db;
	await db.transaction('rw', [db.sessions, db.beatChunks, db.events, db.breathing], async () => {
		await db.beatChunks.where('sessionId').equals(id).delete();
		await db.events.where('sessionId').equals(id).delete();
		await db.breathing.delete(id);
		await db.sessions.delete(id);
	});
	device.deleted.add(id);
}

/** One room's state from one device to another, as the server would deliver just that room. */
export function deliver(from: Device, to: Device, room: string) {
	const source = from.docs.get(room);
	const target = to.docs.get(room);
	if (!source || !target) throw new Error(`No document ${room} on both devices.`);
	Y.applyUpdate(target, Y.encodeStateAsUpdate(source, Y.encodeStateVector(target)), REMOTE);
}

export function disconnect(device: Device) {
	device.online = false;
}

/** Back online: both sides exchange what the other lacks, as a y-websocket reconnect does. */
export function connect(net: Net, device: Device) {
	device.online = true;
	for (const [room, doc] of device.docs)
		for (const d of net.devices) {
			const other = d.docs.get(room);
			if (d === device || !other || !d.online) continue;
			const toOther = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other));
			const toMe = Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc));
			net.traffic.push(toOther, toMe);
			Y.applyUpdate(other, toOther, REMOTE);
			Y.applyUpdate(doc, toMe, REMOTE);
		}
}

/** Waits until every device's bridge has nothing left to do (jobs can queue jobs elsewhere). */
export async function settle(net: Net) {
	for (let round = 0; round < 5; round++)
		for (const d of net.devices) {
			await d.bridge.push();
			await d.bridge.idle();
		}
}
