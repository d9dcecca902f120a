/**
 * The sync server as a person runs it (server/sync-server.mjs), with two devices' bridges talking
 * to it through y-websocket over loopback: the token gate, storage that survives a restart, and
 * a server folder that holds no plaintext.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { afterEach, describe, expect, it } from 'vitest';
import { startSyncServer } from '../../../server/sync-server.mjs';
import { SettleDB, packChunk, type SessionRow } from '$lib/db';
import { SyncStateDB } from '$lib/db/sync-state';
import { SyncBridge } from '$lib/sync/bridge';
import { deriveKeys, nameOf, newVaultSecret, type VaultKeys } from '$lib/sync/crypto';

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
				params: { token },
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
