/**
 * The sync server as a person runs it (server/sync-server.mjs), with two devices' bridges talking
 * to it through y-websocket over loopback: the token gate (the token in a header, never in the
 * address), storage that survives a restart, and a server folder that holds no plaintext.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newToken, startSyncServer } from '../../../server/sync-server.mjs';
import { packChunk, type SessionRow } from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { SyncStateDB } from '$lib/db/sync-state';
import { SyncBridge } from '$lib/sync/bridge';
import { deriveKeys, nameOf, newVaultSecret, type VaultKeys } from '$lib/sync/crypto';
import { openRoom, reachServer, tokenProtocol } from '$lib/sync/rooms';
import type { SyncConfig } from '$lib/db/sync-state';

const TOKEN = 'unit-token';
const CANARY = 'CANARY-7f3a';
// Long enough that random ciphertext cannot contain it by chance ("s1" could).
const ID = 'session-plain-id-42';
let n = 0;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const f of cleanup.splice(0).reverse()) await f();
});

function files(dir: string): string {
	return readdirSync(dir)
		.map((f) => join(dir, f))
		.map((p) => (statSync(p).isDirectory() ? files(p) : readFileSync(p).toString('latin1')))
		.join('');
}

/** A device: its database, bookkeeping, and documents connected to the server. */
async function device(port: number, keys: VaultKeys, token = TOKEN) {
	const id = n++;
	const db = new SettleDB(`server-device-${id}`);
	const state = new SyncStateDB(`server-state-${id}`);
	const providers: WebsocketProvider[] = [];
	const open = async (plain: string) => {
		const room = await nameOf(keys, plain);
		const doc = new Y.Doc();
		providers.push(
			new WebsocketProvider(`ws://127.0.0.1:${port}`, room, doc, {
				protocols: [tokenProtocol(token)],
				WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
				disableBc: true
			})
		);
		return { doc, room };
	};
	const years = new Map<number, Promise<{ doc: Y.Doc; room: string }>>();
	const bridge = new SyncBridge(
		db,
		state,
		keys,
		{
			index: await open('index'),
			beats: (year) => {
				if (!years.has(year)) years.set(year, open(`beats/${year}`));
				return years.get(year)!;
			}
		},
		{ noted: () => [], forget: () => {} }
	);
	cleanup.push(() => providers.forEach((p) => p.destroy()));
	const synced = () =>
		expect.poll(() => providers.every((p) => p.synced), { timeout: 5000 }).toBe(true);
	return { db, bridge, providers, synced };
}

async function record(db: SettleDB, id: string) {
	const row: SessionRow = {
		id,
		startedAt: Date.UTC(2026, 10, 20, 7),
		status: 'finished',
		source: 'demo',
		strapName: 'Demo strap',
		routine: 'Constructive rest',
		phase: 'none',
		tags: [],
		note: `note ${CANARY}`,
		beatCount: 3,
		durationMs: 2400,
		updatedAt: 1
	};
	await db.sessions.put(row);
	await db.beatChunks.put(
		packChunk(id, 0, [
			{ timeMs: 800, rrMs: 800.25, flags: 0 },
			{ timeMs: 1600, rrMs: 799.75, flags: 0 },
			{ timeMs: 2400, rrMs: 801.5, flags: 0 }
		])
	);
}

async function server(data: string) {
	const s = await startSyncServer({ host: '127.0.0.1', port: 0, data, token: TOKEN });
	cleanup.push(() => s.close());
	return s;
}

/**
 * A TCP proxy in front of the server that keeps what a proxy's access log could: the head of
 * every HTTP request passing through (request line and headers).
 */
async function loggingProxy(port: number) {
	const requests: string[] = [];
	const proxy: Server = createServer((client) => {
		const upstream = connect(port, '127.0.0.1');
		client.once('data', (chunk) => requests.push(chunk.toString('latin1').split('\r\n\r\n')[0]));
		client.pipe(upstream).pipe(client);
		client.on('error', () => upstream.destroy());
		upstream.on('error', () => client.destroy());
	});
	await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
	cleanup.push(() => new Promise<void>((ok) => proxy.close(() => ok())));
	const address = proxy.address();
	return { port: typeof address === 'object' && address ? address.port : 0, requests };
}

describe('the sync server', () => {
	it('carries a session between devices, keeps it across a restart, and stores no plaintext', async () => {
		const data = mkdtempSync(join(tmpdir(), 'settle-sync-unit-'));
		cleanup.push(() => rmSync(data, { recursive: true, force: true }));
		const keys = await deriveKeys(newVaultSecret());
		const first = await server(data);
		const a = await device(first.port, keys);
		await a.synced();
		await record(a.db, ID);
		await a.bridge.push();
		await a.synced();
		await new Promise((r) => setTimeout(r, 300));
		a.providers.forEach((p) => p.destroy());
		await first.close();

		// Restarted on another port, from the same folder: a new device finds everything.
		const second = await server(data);
		const b = await device(second.port, keys);
		await b.synced();
		await b.bridge.pullAll();
		await b.synced();
		await expect
			.poll(async () => (await b.db.sessions.get(ID))?.note, { timeout: 5000 })
			.toBe(`note ${CANARY}`);
		const beats = await b.db.beatChunks.where('sessionId').equals(ID).toArray();
		expect(Array.from(beats[0].rrMs)).toEqual([800.25, 799.75, 801.5]);

		const stored = files(data);
		expect(stored.length).toBeGreaterThan(1000);
		for (const plain of [CANARY, ID, 'Demo strap', 'Constructive'])
			expect(stored).not.toContain(plain);
	});

	it('turns away a device with the wrong token, for good', async () => {
		const data = mkdtempSync(join(tmpdir(), 'settle-sync-unit-'));
		cleanup.push(() => rmSync(data, { recursive: true, force: true }));
		const s = await server(data);
		const d = await device(s.port, await deriveKeys(newVaultSecret()), 'wrong');
		const closed = await new Promise<{ code: number }>((resolve) =>
			d.providers[0].on('closed', resolve)
		);
		expect(closed.code).toBe(4401);
		expect(d.providers[0].shouldConnect).toBe(false);
	});

	it('sends the token in the handshake header, not in the address a proxy logs', async () => {
		vi.stubGlobal('WebSocket', WebSocket);
		cleanup.push(() => void vi.unstubAllGlobals());
		const s = await startSyncServer({ host: '127.0.0.1', port: 0, token: TOKEN });
		cleanup.push(() => s.close());
		const proxy = await loggingProxy(s.port);
		const config = { serverUrl: `ws://127.0.0.1:${proxy.port}`, token: TOKEN } as SyncConfig;
		// The app's own connection (rooms.ts), through the proxy.
		const room = await openRoom(config, 'room-a');
		cleanup.push(() => room.provider.destroy());
		await reachServer(room.provider, config.serverUrl);
		expect(room.provider.url).not.toContain(TOKEN);
		expect(proxy.requests).toHaveLength(1);
		const [requestLine, ...headers] = proxy.requests[0].split('\r\n');
		expect(requestLine).toBe('GET /room-a HTTP/1.1');
		expect(headers).toContain(`Sec-WebSocket-Protocol: ${tokenProtocol(TOKEN)}`);
		// A token of any characters travels (base64url in the header), and a wrong one is refused.
		const odd = 'ünï code, spaces & "quotes"';
		const oddServer = await startSyncServer({ host: '127.0.0.1', port: 0, token: odd });
		cleanup.push(() => oddServer.close());
		const ok = await openRoom(
			{ ...config, serverUrl: `ws://127.0.0.1:${oddServer.port}`, token: odd },
			'room-b'
		);
		cleanup.push(() => ok.provider.destroy());
		await reachServer(ok.provider, 'odd');
		const wrong = await openRoom(
			{ ...config, serverUrl: `ws://127.0.0.1:${oddServer.port}`, token: `${odd}!` },
			'room-c'
		);
		cleanup.push(() => wrong.provider.destroy());
		await expect(reachServer(wrong.provider, 'odd')).rejects.toThrow(/refused the access token/);
		expect(wrong.provider.shouldConnect).toBe(false);
	});

	it('still admits, for one release, a device that sends the token in the address', async () => {
		const log = vi.fn();
		const s = await startSyncServer({ host: '127.0.0.1', port: 0, token: TOKEN, log });
		cleanup.push(() => s.close());
		const legacy = (token: string) => {
			const p = new WebsocketProvider(`ws://127.0.0.1:${s.port}`, 'room', new Y.Doc(), {
				params: { token },
				WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
				disableBc: true
			});
			cleanup.push(() => p.destroy());
			return p;
		};
		const old = legacy(TOKEN);
		await expect.poll(() => old.synced, { timeout: 5000 }).toBe(true);
		const wrong = legacy('wrong');
		const closed = await new Promise<{ code: number }>((resolve) => wrong.on('closed', resolve));
		expect(closed.code).toBe(4401);
		// The person running the server hears of it once: a proxy could have logged that token.
		expect(log).toHaveBeenCalledTimes(1);
		expect(log.mock.calls[0][0]).toMatch(/token in the address.*proxy/);
	});

	it('makes tokens that never begin with "-"', () => {
		const tokens = Array.from({ length: 2000 }, () => newToken());
		expect(tokens.every((t) => /^[\w][\w-]{31}$/.test(t))).toBe(true);
		expect(tokens.some((t) => t.includes('-'))).toBe(true);
	});

	it('makes a token on first start and keeps it in the data folder', async () => {
		const data = mkdtempSync(join(tmpdir(), 'settle-sync-unit-'));
		cleanup.push(() => rmSync(data, { recursive: true, force: true }));
		const a = await startSyncServer({ host: '127.0.0.1', port: 0, data });
		await a.close();
		const b = await startSyncServer({ host: '127.0.0.1', port: 0, data });
		await b.close();
		expect(a.token).toMatch(/^[\w-]{32}$/);
		expect(b.token).toBe(a.token);
	});
});
