/**
 * One synced document on this device: a Y.Doc, its copy in IndexedDB (y-indexeddb) and its
 * connection to the sync server (y-websocket), with what the status line needs to know of it.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { SyncConfig } from '$lib/db/sync-state';
import { isQuotaError } from '$lib/db/storage';
import { SyncKeyError, base64url } from './crypto';

/** How long to wait for the server before saying it cannot be reached. */
export const REACH_TIMEOUT_MS = 8000;
/** Close codes of the sync server (CLOSE in server/device-gate.mjs). */
export const REFUSED = 4401;
/** This device was removed from the group, or its token retired. */
export const REMOVED = 4403;
/** The room was deleted because the group was renewed on another device. */
export const GONE = 4410;
/** Too many wrong tokens from this address: it must wait. */
export const TOO_MANY = 4429;
/** Prefix of the subprotocol that carries the access token (TOKEN_PROTOCOL in the server). */
export const TOKEN_PROTOCOL = 'settle-token.';

/**
 * The access token as a WebSocket subprotocol, which the browser sends in the handshake's
 * Sec-WebSocket-Protocol header: not in the address, which proxies' access logs keep (a browser
 * cannot set any other header on a WebSocket). base64url, because a subprotocol may hold only
 * some characters and a token may be anything a person chose.
 */
export function tokenProtocol(token: string): string {
	return TOKEN_PROTOCOL + base64url(new TextEncoder().encode(token));
}
export interface Room {
	room: string;
	doc: Y.Doc;
	store: IndexeddbPersistence;
	provider: WebsocketProvider;
	/** Since when the connection has been down (undefined while connected). */
	lostSince?: number;
}

/** "host:1234", "http://…" or "wss://…" as the WebSocket address y-websocket needs. */
export function serverAddress(input: string): string {
	let url = input.trim().replace(/\/+$/, '');
	if (!/^[a-z]+:\/\//i.test(url)) url = `ws://${url}`;
	url = url.replace(/^http(s?):\/\//i, 'ws$1://');
	const parsed = new URL(url);
	if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
		throw new Error('The server address should start with ws://, wss://, http:// or https://.');
	return url;
}

export async function openRoom(config: SyncConfig, room: string): Promise<Room> {
	const doc = new Y.Doc();
	const store = new IndexeddbPersistence(`settle-sync-${room}`, doc);
	await store.whenSynced;
	const provider = new WebsocketProvider(config.serverUrl, room, doc, {
		protocols: [tokenProtocol(config.token)],
		// Only one tab syncs (the lock), so there is nobody to talk to over BroadcastChannel.
		disableBc: true,
		maxBackoffTime: 10_000
	});
	return { room, doc, store, provider };
}

export function unreachableText(url: string) {
	return `Cannot reach the sync server at ${url}. Your sessions are safe on this device and sync when it can be reached again.`;
}
export const REFUSED_TEXT =
	'The sync server refused the access token. Check the token (the server prints it when it starts).';
export const REMOVED_TEXT =
	'This device’s access was removed from another device in your sync group, so it can no longer sync. Its sessions stay here; to sync again, join anew with an invitation from a device in the group.';
export const RETIRED_TEXT =
	'This access token was retired when a device was removed from your sync group. To sync this device, forget it here and join again with an invitation from a device in the group (Add another device).';
export const RENEWED_TEXT =
	'Your sync group was renewed on another device after a device was removed. Enter the new pairing code shown there to carry on syncing; your sessions here are safe.';

/** What a person reads when the server closed the connection for good (a 44xx close code). */
export function closedText(code: number, reason: string, url: string): string {
	if (code === REFUSED) return REFUSED_TEXT;
	if (code === REMOVED) return /retired/.test(reason) ? RETIRED_TEXT : REMOVED_TEXT;
	if (code === GONE) return RENEWED_TEXT;
	if (code === TOO_MANY) {
		const wait = /(\d+) s/.exec(reason)?.[1];
		return `Too many wrong access tokens came from this network, so the sync server waits${wait ? ` ${wait} seconds` : ''} before it checks another. Check the token, then try again.`;
	}
	return unreachableText(url);
}

/** Whether a close code means the server will not take this device back by retrying. */
export const isFinalClose = (code: number) => code >= 4400 && code < 4500;

/** What a person reads when sync stops on an error: what happened and that nothing is lost. */
export function errorText(e: unknown): string {
	if (e instanceof SyncKeyError) return e.message;
	if (isQuotaError(e))
		return 'Sync stopped: this device’s storage is full. Free some space (or delete old sessions), then press Sync now. Your sessions here are safe.';
	const what = e instanceof Error ? e.message : String(e);
	return `Sync stopped on an error: ${what}. Your sessions are safe on this device; press Sync now to try again.`;
}

/** Resolves when the provider has exchanged state with the server; rejects with a clear reason. */
export function reachServer(provider: WebsocketProvider, url: string): Promise<void> {
	return new Promise((resolve, reject) => {
		if (provider.synced) return resolve();
		const timer = setTimeout(() => done(new Error(unreachableText(url))), REACH_TIMEOUT_MS);
		const onSync = (synced: boolean) => synced && done();
		const onClosed = (e: { code: number; reason: string }) =>
			done(new Error(closedText(e.code, e.reason, url)));
		function done(error?: Error) {
			clearTimeout(timer);
			provider.off('sync', onSync);
			provider.off('closed', onClosed);
			if (error) reject(error);
			else resolve();
		}
		provider.on('sync', onSync);
		provider.on('closed', onClosed);
	});
}

/** Waits until what was written into a room has left the browser. */
export async function settleRoom(room: Room) {
	for (let i = 0; i < 100 && (room.provider.ws?.bufferedAmount ?? 0) > 0; i++)
		await new Promise((r) => setTimeout(r, 50));
}

/**
 * Keeps `lostSince` and calls `changed` whenever the connection's state changes, and once more
 * when a loss has lasted long enough to be news (a reconnect usually takes under a second).
 */
export function watchRoom(
	room: Room,
	changed: () => void,
	refused: (code: number, reason: string) => void
): Room {
	room.lostSince = Date.now();
	let timer: ReturnType<typeof setTimeout> | undefined;
	room.provider.on('status', ({ status }: { status: string }) => {
		if (status === 'connected') room.lostSince = undefined;
		else room.lostSince ??= Date.now();
		clearTimeout(timer);
		if (room.lostSince !== undefined) timer = setTimeout(changed, REACH_TIMEOUT_MS);
		changed();
	});
	room.provider.on('sync', () => changed());
	room.provider.on(
		'closed',
		(e: { code: number; reason: string }) => isFinalClose(e.code) && refused(e.code, e.reason)
	);
	return room;
}
