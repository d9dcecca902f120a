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
/** Close code for "over the server's size limits" (server/limits.mjs): not retried. */
export const TOO_LARGE = 4413;
/** The WebSocket's own close code for a message over the server's --max-message-mb. */
export const MESSAGE_TOO_BIG = 1009;
/** Close code for "the server could not store this" (server/storage.mjs): retried later. */
export const STORAGE_FAILED = 4507;
/** How long to wait before trying a server whose storage failed again (Sync now tries at once). */
export const STORAGE_RETRY_MS = 30_000;
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
	/** What the server said when it could not store what this device sent, until it can again. */
	serverTrouble?: string;
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
		maxBackoffTime: 10_000,
		// Retrying at once cannot help a refusal, a message over the size limit, or a server whose
		// disk is full (watchRoom retries that one later, slowly).
		shouldReconnect: (e: CloseEvent) =>
			!(e.code >= 4400 && e.code < 4500) && e.code !== MESSAGE_TOO_BIG && e.code !== STORAGE_FAILED
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

/** What a person reads when the server closed the connection: closeText, else unreachable. */
export function closedText(code: number, reason: string, url: string): string {
	return closeText(code, reason) ?? unreachableText(url);
}

/** Close codes that say this device's access changed: the engine shows them as its own states. */
export const ACCESS_CODES = [REFUSED, REMOVED, GONE, TOO_MANY];

/**
 * What a person reads when the server closed the connection on purpose, in words (its reason, a
 * short technical line, in brackets); undefined for an ordinary close.
 */
export function closeText(code: number, reason = ''): string | undefined {
	const why = reason ? ` (${reason})` : '';
	if (code === REFUSED) return REFUSED_TEXT;
	if (code === REMOVED) return /retired/.test(reason) ? RETIRED_TEXT : REMOVED_TEXT;
	if (code === GONE) return RENEWED_TEXT;
	if (code === TOO_MANY) {
		const wait = /(\d+) s/.exec(reason)?.[1];
		return `Too many wrong access tokens came from this network, so the sync server waits${wait ? ` ${wait} seconds` : ''} before it checks another. Check the token, then try again.`;
	}
	if (code === TOO_LARGE || code === MESSAGE_TOO_BIG)
		return `The sync server refused what this device sent: it is more than the server accepts${why || ' (over its size limit)'}. Your sessions are safe on this device. Whoever runs the server can raise its limits (--max-doc-mb, --max-message-mb); then press Sync now.`;
	if (code === STORAGE_FAILED)
		return `The sync server could not store what this device sent${why || ' (its disk is full or failing)'}. Your sessions are safe on this device, and sync tries again by itself every ${STORAGE_RETRY_MS / 1000} seconds (or press Sync now).`;
	return undefined;
}

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
		const onClosed = (e: { code: number; reason?: string }) =>
			done(new Error(closedText(e.code, e.reason ?? '', url)));
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
 * A refused token calls `refused`; a refusal over the size limits calls `stopped` with the words
 * to show. A server that could not store sets `serverTrouble` and is tried again after
 * STORAGE_RETRY_MS; the trouble is over once a connection has stayed up a few seconds.
 */
export function watchRoom(
	room: Room,
	changed: () => void,
	refused: (code: number, reason: string) => void,
	stopped: (text: string) => void = () => {}
): Room {
	room.lostSince = Date.now();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let calm: ReturnType<typeof setTimeout> | undefined;
	room.provider.on('status', ({ status }: { status: string }) => {
		if (status === 'connected') room.lostSince = undefined;
		else room.lostSince ??= Date.now();
		clearTimeout(timer);
		clearTimeout(calm);
		if (room.lostSince !== undefined) timer = setTimeout(changed, REACH_TIMEOUT_MS);
		else if (room.serverTrouble)
			calm = setTimeout(() => {
				if (room.lostSince !== undefined) return;
				room.serverTrouble = undefined;
				changed();
			}, 3000);
		changed();
	});
	room.provider.on('sync', () => changed());
	room.provider.on('closed', (e: { code: number; reason: string }) => {
		if (ACCESS_CODES.includes(e.code)) return refused(e.code, e.reason);
		const text = closeText(e.code, e.reason);
		if (e.code === STORAGE_FAILED && text) {
			room.serverTrouble = text;
			setTimeout(() => {
				if (!room.doc.isDestroyed && !room.provider.shouldConnect) room.provider.connect();
			}, STORAGE_RETRY_MS);
			changed();
		} else if (text) stopped(text);
	});
	return room;
}
