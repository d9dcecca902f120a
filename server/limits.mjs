/**
 * What one device may send: a hostile or broken client cannot fill the server's memory or disk.
 *
 * - One message: at most maxMessageBytes. The WebSocket library refuses a longer one before
 *   reading it whole (close code 1009, "message too big"), so it never sits in memory.
 * - One document: it may grow to maxDocBytes of stored updates; a change that would take it past
 *   that is refused unapplied (close code TOO_LARGE, which y-websocket clients do not retry).
 * - The disk: while it has less free space than the reserve, changes are refused unapplied
 *   (STORAGE_FAILED, retried later); reading what is stored still works.
 *
 * The figures are counted in what Yjs really adds (a document's 'update' events), so a device
 * that re-sends what the server already has is not counted twice.
 */
import * as Y from 'yjs';
import { STORAGE_FAILED } from './storage.mjs';

/** Close code for "more than the server's limits allow": not retried by y-websocket (44xx). */
export const TOO_LARGE = 4413;

export const DEFAULT_LIMITS = {
	maxMessageMB: 64,
	maxDocMB: 128,
	minFreeMB: 256
};

const MB = 1024 * 1024;
/** Message types of the y-websocket protocol (a varUint each, one byte below 128). */
const SYNC = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** @type {WeakMap<Y.Doc, { bytes: number }>} */
const sizes = new WeakMap();

/**
 * The document's size in stored update bytes: measured once (when first guarded, after it was read
 * from disk), then kept up to date from its updates.
 * @param {Y.Doc} doc
 */
function sizeOf(doc) {
	let size = sizes.get(doc);
	if (!size) {
		const counted = { bytes: Y.encodeStateAsUpdate(doc).byteLength };
		doc.on('update', (/** @type {Uint8Array} */ update) => (counted.bytes += update.byteLength));
		sizes.set(doc, counted);
		size = counted;
	}
	return size;
}

/**
 * Whether a sync message carries no change: a device with nothing the server lacks answers the
 * server's first message with an empty update, and must still be let in to read (also while the
 * disk is nearly full). Only tiny messages are looked into.
 * @param {Uint8Array} message
 */
function emptyUpdate(message) {
	if (message.length > 16) return false;
	try {
		// [sync type, message type, update length (one byte below 128), update…]
		const { structs, ds } = Y.decodeUpdate(message.subarray(3));
		return structs.length === 0 && ds.clients.size === 0;
	} catch {
		return false;
	}
}

/** A size for people: KB below a megabyte, else MB with one decimal. @param {number} bytes */
const size = (bytes) =>
	bytes < MB ? `${Math.ceil(bytes / 1024)} KB` : `${Math.round((bytes / MB) * 10) / 10} MB`;

/**
 * Puts the checks in front of the stock server's message handling of one connection (call it
 * right after setupWSConnection, which adds that handling).
 * @param {import('ws').WebSocket} ws
 * @param {Y.Doc} doc
 * @param {{ maxDocBytes: number, lowDisk?: () => boolean }} limits
 */
export function guardMessages(ws, doc, { maxDocBytes, lowDisk }) {
	const handlers = ws.listeners('message');
	ws.removeAllListeners('message');
	const stored = sizeOf(doc);
	let refused = false;
	// A message over --max-message-mb (or any broken frame) is an 'error' on the socket, which ws
	// then closes with its code (1009 for the size); unheard, it would stop the whole server.
	ws.on('error', () => undefined);
	ws.on('message', (/** @type {ArrayBuffer | Buffer} */ data, /** @type {boolean} */ isBinary) => {
		if (refused) return;
		const bytes =
			data instanceof ArrayBuffer
				? new Uint8Array(data)
				: new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
		const writes =
			bytes[0] === SYNC &&
			(bytes[1] === SYNC_STEP_2 || bytes[1] === SYNC_UPDATE) &&
			!emptyUpdate(bytes);
		if (writes) {
			const length = data.byteLength;
			if (stored.bytes + length > maxDocBytes) {
				refused = true;
				ws.close(
					TOO_LARGE,
					`document limit: ${size(stored.bytes)} stored, ${size(length)} more is over ${size(maxDocBytes)}`
				);
				return;
			}
			if (lowDisk?.()) {
				refused = true;
				ws.close(STORAGE_FAILED, "the server's disk is nearly full");
				return;
			}
		}
		for (const handler of handlers) handler.call(ws, data, isBinary);
	});
}

/**
 * The limits in bytes from the options in MB.
 * @param {{ maxMessageMB?: number, maxDocMB?: number, minFreeMB?: number }} [given]
 */
export function limitsInBytes(given = {}) {
	const { maxMessageMB, maxDocMB, minFreeMB } = { ...DEFAULT_LIMITS, ...given };
	return {
		maxMessageBytes: Math.round(maxMessageMB * MB),
		maxDocBytes: Math.round(maxDocMB * MB),
		minFreeBytes: Math.round(minFreeMB * MB)
	};
}
