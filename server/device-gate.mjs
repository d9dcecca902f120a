/**
 * The sync server's door: which token may open which WebSocket, slowed down per address for
 * wrong tokens (rate-limit.mjs), and the small control channel through which devices manage
 * their tokens (device-tokens.mjs). The channel is a WebSocket too, at CONTROL_PATH, so the app
 * needs nothing beyond the ws:/wss: its Content-Security-Policy already allows, and the token
 * travels in the same handshake header as for the rooms.
 *
 * Control requests, one JSON object per message, each answered by one JSON object
 * ({ ok: true, … } or { ok: false, error }):
 *   { op: 'enrol', label }      with the first token or an invitation → { id, token }
 *   { op: 'list' }              → { devices: [{ id, label, addedAt, lastSeen, online, revokedAt?,
 *                                  you }], admissionOpen }
 *   { op: 'revoke', id }        → {}; the device's open connections are closed at once
 *   { op: 'invite' }            → { invite, expiresAt }: one more device may join
 *   { op: 'rename', name, id? } → {}: a device's name, sealed on the device (opaque here): the
 *                                  asking device's, or with an id another's (a renewal seals
 *                                  every name again under the new key)
 *   { op: 'delete-rooms', rooms } → { deleted }: a renewed group's old rooms, gone for good
 * All but enrol need a device's own token.
 */
import { docs, getPersistence } from '@y/websocket-server/utils';
import { openDeviceTokens } from './device-tokens.mjs';
import { createRateLimit } from './rate-limit.mjs';

/** The control channel's path below the sync address (at the root, or under /sync). */
export const CONTROL_PATH = '/.settle/devices';
/** What the channel's path names as a document (see docNameOf in where.mjs); no room has a dot. */
const CONTROL_DOC = CONTROL_PATH.slice(1);

/**
 * WebSocket close codes. 4400–4499 tell y-websocket clients not to retry on their own.
 * REFUSED: unknown token. REMOVED: this device was removed (or its token retired). GONE: the room
 * was deleted because the group was renewed. TOO_MANY: this address must wait.
 */
export const CLOSE = { REFUSED: 4401, REMOVED: 4403, GONE: 4410, TOO_MANY: 4429 };

/** Longest control message accepted: a list of room names is the largest there is. */
const MAX_REQUEST = 64 * 1024;

/**
 * @typedef {import('ws').WebSocket} WebSocket
 * @typedef {{ ok: false, code: number, reason: string } |
 *   { ok: true, control: boolean, deviceId?: string, credential: import('./device-tokens.mjs').Credential }} Verdict
 */

/**
 * @param {{ file?: string, admissionToken: string, trustProxy?: boolean, now?: () => number,
 *   log?: (line: string) => void }} options
 */
export function createDeviceGate({
	file,
	admissionToken,
	trustProxy = false,
	now = Date.now,
	log
}) {
	const tokens = openDeviceTokens({ file, admissionToken, now });
	const limit = createRateLimit({ now });
	/** Open connections per device, to close them when it is removed. @type {Map<string, Set<WebSocket>>} */
	const open = new Map();

	/** @param {import('node:http').IncomingMessage} req */
	const addressOf = (req) => {
		// Behind a reverse proxy every connection comes from the proxy: the client's own address
		// is the last one the proxy added to X-Forwarded-For.
		const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '') : '';
		const last = forwarded.split(',').pop()?.trim();
		return last || req.socket.remoteAddress;
	};

	/**
	 * Who may open what: decided before the WebSocket is answered.
	 * @param {import('node:http').IncomingMessage} req @param {string | null | undefined} token
	 * @param {string} docName the room (or the control channel) asked for
	 * @returns {Verdict}
	 */
	function check(req, token, docName) {
		const address = addressOf(req);
		const wait = limit.waitFor(address);
		if (wait > 0)
			return {
				ok: false,
				code: CLOSE.TOO_MANY,
				reason: `too many wrong tokens; wait ${Math.ceil(wait / 1000)} s`
			};
		const credential = tokens.identify(token);
		const control = docName === CONTROL_DOC;
		switch (credential.kind) {
			case 'unknown':
				limit.failed(address);
				return { ok: false, code: CLOSE.REFUSED, reason: 'access token refused' };
			case 'removed':
				return { ok: false, code: CLOSE.REMOVED, reason: 'device removed' };
			case 'retired':
				return { ok: false, code: CLOSE.REMOVED, reason: 'access token retired' };
			case 'invite':
				// An invitation only adds a device; it opens no room.
				return control
					? { ok: true, control, credential }
					: { ok: false, code: CLOSE.REFUSED, reason: 'an invitation only adds a device' };
		}
		if (!control && tokens.isDeleted(docName))
			return { ok: false, code: CLOSE.GONE, reason: 'sync group renewed' };
		const deviceId = credential.kind === 'device' ? credential.device.id : undefined;
		return { ok: true, control, deviceId, credential };
	}

	/** Counts a device's connection, for "online" and to close it when the device is removed. */
	function track(/** @type {WebSocket} */ ws, /** @type {string | undefined} */ deviceId) {
		if (!deviceId) return;
		tokens.seen(deviceId);
		let mine = open.get(deviceId);
		if (!mine) open.set(deviceId, (mine = new Set()));
		mine.add(ws);
		ws.on('close', () => {
			mine.delete(ws);
			tokens.seen(deviceId);
		});
	}

	/** Deletes rooms from memory and disk; their devices are told the group was renewed. */
	async function deleteRooms(/** @type {string[]} */ rooms) {
		tokens.markDeleted(rooms);
		const persistence =
			/** @type {{ provider?: { clearDocument?: (n: string) => Promise<void> } } | null} */ (
				getPersistence()
			);
		let deleted = 0;
		for (const room of rooms) {
			const doc = docs.get(room);
			if (doc) {
				for (const conn of doc.conns.keys())
					/** @type {WebSocket} */ (conn).close(CLOSE.GONE, 'sync group renewed');
				docs.delete(room);
				doc.destroy();
				deleted++;
			}
			await persistence?.provider?.clearDocument?.(room);
		}
		return deleted;
	}

	/**
	 * @param {Verdict & { ok: true }} who
	 * @param {Record<string, unknown>} request
	 */
	async function answer(who, request) {
		const { deviceId } = who;
		if (request.op === 'enrol') {
			const { id, token } = tokens.enrol(who.credential, request.label);
			return { id, token };
		}
		if (!deviceId) throw new Error('This needs the device’s own token.');
		switch (request.op) {
			case 'list':
				return {
					devices: tokens.list().map((d) => ({
						...d,
						online: (open.get(d.id)?.size ?? 0) > 0,
						you: d.id === deviceId
					})),
					admissionOpen: tokens.admissionOpen
				};
			case 'revoke': {
				const id = String(request.id ?? '');
				if (!tokens.revoke(id, deviceId)) throw new Error('No such device.');
				for (const ws of open.get(id) ?? []) ws.close(CLOSE.REMOVED, 'device removed');
				// The person running the server hears of it: a thief holding a device could remove
				// the owner's others (then start afresh with another --token).
				if (id !== deviceId) log?.(`Device ${id} was removed by device ${deviceId}.`);
				return {};
			}
			case 'rename': {
				const id = request.id === undefined ? deviceId : String(request.id);
				if (!tokens.list().some((d) => d.id === id)) throw new Error('No such device.');
				tokens.rename(id, request.name);
				return {};
			}
			case 'invite':
				return tokens.invite();
			case 'delete-rooms': {
				const rooms = request.rooms;
				if (
					!Array.isArray(rooms) ||
					!rooms.every((r) => typeof r === 'string' && /^[\w-]{1,200}$/.test(r))
				)
					throw new Error('rooms must be a list of room names.');
				return { deleted: await deleteRooms(rooms) };
			}
			default:
				throw new Error(`Unknown request "${String(request.op)}".`);
		}
	}

	/** Serves the control channel on an admitted WebSocket. */
	function control(/** @type {WebSocket} */ ws, /** @type {Verdict & { ok: true }} */ who) {
		track(ws, who.deviceId);
		let queue = Promise.resolve();
		ws.on('message', (data, binary) => {
			queue = queue.then(async () => {
				let reply;
				try {
					const text = binary ? '' : data.toString();
					if (text.length === 0 || text.length > MAX_REQUEST) throw new Error('Bad request.');
					const request = JSON.parse(text);
					if (typeof request !== 'object' || request === null) throw new Error('Bad request.');
					const result = await answer(who, request);
					// An enrolled device goes on as itself (its first token or invitation is spent).
					if ('token' in result) who = { ...who, deviceId: result.id };
					reply = { ok: true, ...result };
				} catch (e) {
					reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
				}
				if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
			});
		});
	}

	return {
		check,
		track,
		control,
		get admissionOpen() {
			return tokens.admissionOpen;
		},
		close() {
			tokens.close();
		}
	};
}
