/**
 * Per-device tokens on the real sync server (server/sync-server.mjs, in-process on loopback):
 * the first token admits the first device, later devices join by invitation, each token can be
 * listed and revoked, a revoked token stays refused across a restart, a renewed group's old rooms
 * are gone for good, a removed device's copy of the old secret opens nothing new, and a guesser
 * trying 100 tokens a second gets nowhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { afterEach, describe, expect, it } from 'vitest';
import { startSyncServer } from '../../../server/sync-server.mjs';
import { FREE_FAILURES } from '../../../server/rate-limit.mjs';
import { packChunk, type SessionRow } from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { SyncStateDB } from '$lib/db/sync-state';
import { SyncBridge } from '$lib/sync/bridge';
import {
	SyncKeyError,
	deriveKeys,
	nameOf,
	newVaultSecret,
	open,
	type VaultKeys
} from '$lib/sync/crypto';
import {
	ControlError,
	deleteRooms,
	deviceLabel,
	enrol,
	inviteDevice,
	listDevices,
	OLD_SERVER,
	renameDevice,
	revokeDevice
} from '$lib/sync/devices';
import { tokenProtocol } from '$lib/sync/rooms';

const FIRST = 'the-persons-first-token';
const Ws = WebSocket as unknown as typeof globalThis.WebSocket;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const f of cleanup.splice(0).reverse()) await f();
});

function folder() {
	const dir = mkdtempSync(join(tmpdir(), 'settle-tokens-'));
	cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

async function server(data?: string) {
	const s = await startSyncServer({ host: '127.0.0.1', port: 0, data, token: FIRST });
	let closed = false;
	cleanup.push(() => (closed ? undefined : s.close()));
	return {
		...s,
		url: `ws://127.0.0.1:${s.port}`,
		async stop() {
			closed = true;
			await s.close();
		}
	};
}

/**
 * One WebSocket to a room with a token, as a device opens it: resolves "open" once the server
 * answered the handshake and kept the connection, else the close code and reason.
 */
function attempt(
	port: number,
	token: string,
	room = 'some-room',
	localAddress = '127.0.0.1',
	headers: Record<string, string> = {}
): Promise<{ code: number; reason: string } | 'open'> {
	return new Promise((resolve) => {
		const ws = new WebSocket(`ws://127.0.0.1:${port}/${room}`, [tokenProtocol(token)], {
			localAddress,
			headers
		});
		let timer: ReturnType<typeof setTimeout>;
		ws.on('open', () => {
			// Refusals close straight after the handshake; a kept connection is an admission.
			timer = setTimeout(() => {
				ws.close();
				resolve('open');
			}, 150);
		});
		ws.on('close', (code, reason) => {
			clearTimeout(timer);
			resolve({ code, reason: reason.toString() });
		});
		ws.on('error', () => resolve({ code: 0, reason: 'error' }));
	});
}

/** A device's y-websocket connection to a room, as the app makes it. */
function provider(url: string, room: string, token: string, doc = new Y.Doc()) {
	const p = new WebsocketProvider(url, room, doc, {
		protocols: [tokenProtocol(token)],
		WebSocketPolyfill: Ws,
		disableBc: true
	});
	cleanup.push(() => p.destroy());
	return p;
}

const closedWith = (p: WebsocketProvider) =>
	new Promise<{ code: number; reason: string }>((resolve) => p.on('closed', resolve));

describe('per-device tokens', () => {
	it('the first token admits the first device; the rest join by invitation, once each', async () => {
		const s = await server();
		const a = await enrol(s.url, FIRST, 'Chrome on Android', Ws);
		expect(a.token).toMatch(/^[\w-]{32}$/);
		expect(a.token).not.toBe(FIRST);
		expect(await attempt(s.port, a.token)).toBe('open');

		const { invite, expiresAt } = await inviteDevice(s.url, a.token, Ws);
		expect(expiresAt - Date.now()).toBeGreaterThan(23 * 3600_000);
		// An invitation adds a device; it opens no room itself, and is good for one device.
		expect(await attempt(s.port, invite)).toMatchObject({ code: 4401 });
		const b = await enrol(s.url, invite, 'Edge on Windows', Ws);
		await expect(enrol(s.url, invite, 'Someone else', Ws)).rejects.toThrow(
			/refused the access token/
		);
		expect(await attempt(s.port, b.token)).toBe('open');

		const { devices, admissionOpen } = await listDevices(s.url, b.token, Ws);
		expect(admissionOpen).toBe(true);
		expect(devices.map((d) => [d.label, d.you, d.revokedAt])).toEqual([
			['Chrome on Android', false, undefined],
			['Edge on Windows', true, undefined]
		]);
		for (const d of devices) expect(Date.now() - d.lastSeen).toBeLessThan(5000);
		// A room token is not a list token: the first token or an invitation cannot list.
		await expect(listDevices(s.url, FIRST, Ws)).rejects.toThrow(/own token/);
	});

	it('revokes a device for good: its connections close, its token is refused, also after a restart', async () => {
		const data = folder();
		const s = await server(data);
		const a = await enrol(s.url, FIRST, 'Chrome on Android', Ws);
		const c = await enrol(s.url, (await inviteDevice(s.url, a.token, Ws)).invite, 'lost', Ws);
		const cRoom = provider(s.url, 'room-1', c.token);
		await expect.poll(() => cRoom.synced, { timeout: 5000 }).toBe(true);
		expect((await listDevices(s.url, a.token, Ws)).devices.find((d) => d.id === c.id)?.online).toBe(
			true
		);

		const told = closedWith(cRoom);
		await revokeDevice(s.url, a.token, c.id, Ws);
		// The lost device is told at once, in a way y-websocket does not retry.
		expect(await told).toEqual({ code: 4403, reason: 'device removed' });
		expect(cRoom.shouldConnect).toBe(false);
		expect(await attempt(s.port, c.token)).toMatchObject({ code: 4403 });
		// Removing a device retires the first token too: the lost phone had it.
		expect(await attempt(s.port, FIRST)).toEqual({ code: 4403, reason: 'access token retired' });
		await expect(enrol(s.url, FIRST, 'again', Ws)).rejects.toThrow(/retired/);
		// Its own token cannot make invitations, list, or revoke others.
		await expect(inviteDevice(s.url, c.token, Ws)).rejects.toThrow(/removed/);
		await expect(revokeDevice(s.url, c.token, a.id, Ws)).rejects.toMatchObject({ code: 4403 });

		await s.stop();
		const again = await server(data);
		expect(await attempt(again.port, c.token)).toMatchObject({ code: 4403 });
		expect(await attempt(again.port, FIRST)).toMatchObject({ code: 4403 });
		expect(await attempt(again.port, a.token)).toBe('open');
		const listed = (await listDevices(again.url, a.token, Ws)).devices;
		expect(listed.map((d) => [d.label, Boolean(d.revokedAt)])).toEqual([
			['Chrome on Android', false],
			['lost', true]
		]);
		expect((await listDevices(again.url, a.token, Ws)).admissionOpen).toBe(false);
	});

	it('a device paired with the shared token gets its own on next connect (migration)', async () => {
		const s = await server();
		// Paired before per-device tokens: it syncs with the first token, as before.
		const old = provider(s.url, 'room-1', FIRST);
		await expect.poll(() => old.synced, { timeout: 5000 }).toBe(true);
		const own = await enrol(
			s.url,
			FIRST,
			deviceLabel('Mozilla/5.0 (Linux; Android 14) Chrome/131.0'),
			Ws
		);
		expect(await attempt(s.port, own.token)).toBe('open');
		expect((await listDevices(s.url, own.token, Ws)).devices[0].label).toBe('Chrome on Android');
	});

	it('deletes a renewed group’s rooms for good: refused after, also after a restart', async () => {
		const data = folder();
		const s = await server(data);
		const a = await enrol(s.url, FIRST, 'A', Ws);
		const b = await enrol(s.url, (await inviteDevice(s.url, a.token, Ws)).invite, 'B', Ws);
		const doc = new Y.Doc();
		doc.getMap('v').set('k', new Uint8Array(5000).fill(7));
		const bRoom = provider(s.url, 'old-index', b.token, doc);
		await expect.poll(() => bRoom.synced, { timeout: 5000 }).toBe(true);
		const told = closedWith(bRoom);
		expect(await deleteRooms(s.url, a.token, ['old-index', 'old-beats'], Ws)).toEqual({
			ok: true,
			deleted: 1
		});
		// Device B still in the old group hears it was renewed, and cannot put it back.
		expect(await told).toEqual({ code: 4410, reason: 'sync group renewed' });
		expect(await attempt(s.port, b.token, 'old-index')).toMatchObject({ code: 4410 });
		await s.stop();
		const again = await server(data);
		expect(await attempt(again.port, b.token, 'old-beats')).toMatchObject({ code: 4410 });
		expect(await attempt(again.port, b.token, 'new-index')).toBe('open');
	});
});

describe('a removed device’s copy of the old secret', () => {
	const ID = 'session-after-renewal';
	async function record(db: SettleDB) {
		const row: SessionRow = {
			id: ID,
			startedAt: Date.UTC(2026, 11, 5, 7),
			status: 'finished',
			source: 'demo',
			strapName: 'Demo strap',
			routine: 'Constructive rest',
			phase: 'none',
			tags: [],
			note: 'written after the lost phone was removed',
			beatCount: 2,
			durationMs: 1600,
			updatedAt: 1
		};
		await db.sessions.put(row);
		await db.beatChunks.put(
			packChunk(ID, 0, [
				{ timeMs: 800, rrMs: 800, flags: 0 },
				{ timeMs: 1600, rrMs: 800, flags: 0 }
			])
		);
	}

	it('opens nothing written in the renewed group, even handed the server’s copy', async () => {
		const s = await server();
		const a = await enrol(s.url, FIRST, 'A', Ws);
		const oldKeys = await deriveKeys(newVaultSecret());
		const newKeys = await deriveKeys(newVaultSecret());
		// Device A writes into the renewed group.
		const open_ = async (keys: VaultKeys, plain: string) => {
			const room = await nameOf(keys, plain);
			const doc = new Y.Doc();
			const p = provider(s.url, room, a.token, doc);
			await expect.poll(() => p.synced, { timeout: 5000 }).toBe(true);
			return { doc, room, p };
		};
		const index = await open_(newKeys, 'index');
		const beats = await open_(newKeys, 'beats/2026');
		const db = new SettleDB('renewed-a');
		const bridge = new SyncBridge(
			db,
			new SyncStateDB('renewed-a-state'),
			newKeys,
			{ index, beats: async () => beats },
			{ noted: () => [], forget: () => {} }
		);
		await record(db);
		expect(await bridge.push()).toBe(1);

		// The old secret names other rooms: the removed device would not even know where to look.
		expect(await nameOf(oldKeys, 'index')).not.toBe(index.room);
		expect(await nameOf(oldKeys, 'beats/2026')).not.toBe(beats.room);
		// Handed everything the server holds for the new rooms (as if it still had a token),
		// the old secret opens none of it.
		const seen = new Y.Doc();
		const spy = provider(s.url, index.room, a.token, seen);
		const beatsSeen = new Y.Doc();
		const spyBeats = provider(s.url, beats.room, a.token, beatsSeen);
		await expect
			.poll(() => seen.getMap('v').size > 5 && beatsSeen.getMap('v').size > 0, { timeout: 5000 })
			.toBe(true);
		expect(spy.synced && spyBeats.synced).toBe(true);
		let opened = 0;
		let refused = 0;
		for (const [doc, room] of [
			[seen, index.room],
			[beatsSeen, beats.room]
		] as const)
			for (const [key, env] of doc.getMap<Uint8Array>('v')) {
				for (const keys of [oldKeys]) {
					try {
						await open(keys, `${room}/${key}`, env);
						opened++;
					} catch (e) {
						expect(e).toBeInstanceOf(SyncKeyError);
						refused++;
					}
				}
				// The new secret does open them: the failure is the key, not the data.
				await expect(open(newKeys, `${room}/${key}`, env)).resolves.toBeInstanceOf(Uint8Array);
			}
		expect(opened).toBe(0);
		expect(refused).toBeGreaterThan(5);
	});
});

describe('guessing tokens', () => {
	it('at 100 tries a second gets nowhere, while other addresses carry on', async () => {
		const s = await server();
		const a = await enrol(s.url, FIRST, 'A', Ws);
		const started = Date.now();
		const results: { at: number; code: number | 'open' }[] = [];
		const tries: Promise<void>[] = [];
		// 500 guesses over 5 s, one every 10 ms, each a fresh connection as a script would make.
		for (let i = 0; i < 500; i++) {
			tries.push(
				attempt(s.port, `guess-${i}-${Math.random()}`).then((r) => {
					results.push({ at: Date.now() - started, code: r === 'open' ? 'open' : r.code });
				})
			);
			// On time (10 ms apart from the start), however long making a connection took.
			await new Promise((r) => setTimeout(r, Math.max(0, started + (i + 1) * 10 - Date.now())));
		}
		// The right token from the guessing address, mid-attack: turned away unchecked.
		const rightFromGuesser = await attempt(s.port, a.token);
		// Another address (a device on another network) is not held up.
		const other = await attempt(s.port, a.token, 'room', '127.0.0.2');
		await Promise.all(tries);
		const elapsed = Date.now() - started;
		const checked = results.filter((r) => r.code === 4401).length;
		const turnedAway = results.filter((r) => r.code === 4429).length;
		console.log(
			`guessing: ${results.length} tries in ${(elapsed / 1000).toFixed(1)} s ` +
				`(${Math.round((results.length / elapsed) * 1000)} a second): ${checked} checked, ` +
				`${turnedAway} turned away unchecked, ${results.filter((r) => r.code === 'open').length} admitted`
		);
		expect(results.filter((r) => r.code === 'open')).toEqual([]);
		// 5 free mistakes, then one check after each wait of 1, 2, 4, 8… s: checks at 1, 3, 7 s…
		// after the fifth, so over 5 s at most 8 of the 500 are looked at.
		expect(checked).toBeGreaterThanOrEqual(FREE_FAILURES + 1);
		expect(checked).toBeLessThanOrEqual(
			FREE_FAILURES + 1 + Math.floor(Math.log2(elapsed / 1000 + 1))
		);
		expect(turnedAway).toBe(500 - checked);
		expect(rightFromGuesser).toMatchObject({ code: 4429 });
		expect(other).toBe('open');
	}, 20_000);

	it('behind a reverse proxy (--trust-proxy), slows down the client, not the proxy', async () => {
		const s = await startSyncServer({ host: '127.0.0.1', port: 0, token: FIRST, trustProxy: true });
		cleanup.push(() => s.close());
		const via = (client: string) => ({ 'x-forwarded-for': `203.0.113.9, ${client}` });
		for (let i = 0; i <= FREE_FAILURES; i++)
			await attempt(s.port, `wrong-${i}`, 'r', '127.0.0.1', via('198.51.100.7'));
		expect(await attempt(s.port, FIRST, 'r', '127.0.0.1', via('198.51.100.7'))).toMatchObject({
			code: 4429
		});
		expect(await attempt(s.port, FIRST, 'r', '127.0.0.1', via('198.51.100.8'))).toBe('open');
	});

	it('a removed device retrying does not lock its owner’s network out', async () => {
		const s = await server();
		const a = await enrol(s.url, FIRST, 'A', Ws);
		const c = await enrol(s.url, (await inviteDevice(s.url, a.token, Ws)).invite, 'C', Ws);
		await revokeDevice(s.url, a.token, c.id, Ws);
		for (let i = 0; i < 3 * FREE_FAILURES; i++)
			expect(await attempt(s.port, c.token)).toMatchObject({ code: 4403 });
		expect(await attempt(s.port, a.token)).toBe('open');
	});

	it('says in words how long to wait', async () => {
		const s = await server();
		for (let i = 0; i <= FREE_FAILURES; i++) await attempt(s.port, `wrong-${i}`);
		const error = await listDevices(s.url, 'wrong', Ws).catch((e: ControlError) => e);
		expect(error).toBeInstanceOf(ControlError);
		expect((error as ControlError).code).toBe(4429);
		expect((error as ControlError).message).toMatch(
			/Too many wrong access tokens came from this network.*waits 1 seconds/
		);
	});
});

describe('device names', () => {
	it('are kept sealed, across a restart', async () => {
		const data = folder();
		const s = await server(data);
		const a = await enrol(s.url, FIRST, 'A', Ws);
		const b = await enrol(s.url, (await inviteDevice(s.url, a.token, Ws)).invite, 'B', Ws);
		const sealedName = 'AbC_sealed-name-0123';
		await renameDevice(s.url, b.token, sealedName, Ws);
		await expect(renameDevice(s.url, b.token, 'Anna’s phone', Ws)).rejects.toThrow(/sealed/);
		await expect(renameDevice(s.url, a.token, 'x', Ws, 'no-such-id')).rejects.toThrow(/No such/);
		await revokeDevice(s.url, a.token, b.id, Ws);
		await renameDevice(s.url, a.token, 'resealed-name', Ws, b.id);
		await s.stop();
		const again = await server(data);
		const listed = (await listDevices(again.url, a.token, Ws)).devices;
		expect(listed.map((d) => d.name)).toEqual([undefined, 'resealed-name']);
	});
});

describe('an older sync server', () => {
	it('is told apart, so the app keeps using the shared token there', async () => {
		// A server from before per-device tokens: every path is a room, answered in Yjs.
		const { setupWSConnection } = await import('@y/websocket-server/utils');
		const { WebSocketServer } = await import('ws');
		const old = new WebSocketServer({
			port: 0,
			host: '127.0.0.1',
			handleProtocols: (p) => [...p][0] ?? false
		});
		old.on('connection', (ws, req) => setupWSConnection(ws, req));
		cleanup.push(() => new Promise<void>((ok) => old.close(() => ok())));
		await new Promise((ok) => old.once('listening', ok));
		const port = (old.address() as { port: number }).port;
		const error = await enrol(`ws://127.0.0.1:${port}`, FIRST, 'A', Ws).catch((e) => e);
		expect(error).toBeInstanceOf(ControlError);
		expect(error.code).toBe(OLD_SERVER);
	});
});

describe('under /sync (the app and sync on one address)', () => {
	it('serves the control channel and refuses deleted rooms there too', async () => {
		const s = await server();
		const a = await enrol(`${s.url}/sync`, FIRST, 'A', Ws);
		expect((await listDevices(`${s.url}/sync/`, a.token, Ws)).devices).toHaveLength(1);
		await deleteRooms(`${s.url}/sync`, a.token, ['gone-room'], Ws);
		expect(await attempt(s.port, a.token, 'sync/gone-room')).toMatchObject({ code: 4410 });
		expect(await attempt(s.port, a.token, 'gone-room')).toMatchObject({ code: 4410 });
		expect(await attempt(s.port, a.token, 'sync/other-room')).toBe('open');
	});
});
