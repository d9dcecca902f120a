/**
 * The server holds up: a message or a document over its limits is refused unapplied, a disk
 * nearly full refuses new data but still serves what it holds, and a write that fails (injected,
 * and a real full disk where this machine allows mounting one) is told to the devices, in words,
 * without damaging what is stored. The devices are the app's own connections (rooms.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { IDBFactory } from 'fake-indexeddb';
import { LeveldbPersistence } from 'y-leveldb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSyncServer } from '../../../server/sync-server.mjs';
import {
	MESSAGE_TOO_BIG,
	STORAGE_FAILED,
	TOO_LARGE,
	openRoom,
	watchRoom,
	type Room
} from '$lib/sync/rooms';
import type { SyncConfig } from '$lib/db/sync-state';

const TOKEN = 'limits-token';
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
	for (const f of cleanup.splice(0).reverse()) await f();
	vi.restoreAllMocks();
	vi.unstubAllGlobals();
});

type Options = Parameters<typeof startSyncServer>[0];

async function server(options: Partial<Options> = {}) {
	const s = await startSyncServer({ host: '127.0.0.1', port: 0, token: TOKEN, ...options });
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		await s.close();
	};
	cleanup.push(close);
	return { ...s, close };
}

function folder() {
	const dir = mkdtempSync(join(tmpdir(), 'settle-limits-'));
	cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

/** The room of this test (the stock server keeps its documents per process, across servers). */
let room = '';
beforeEach(() => {
	room = `room-${Math.random().toString(36).slice(2)}`;
});

/** A device's connection to the test's room, as the app opens and watches it. */
async function device(port: number) {
	vi.stubGlobal('WebSocket', WebSocket);
	// Each device its own browser storage (the room's local copy is named after the room).
	vi.stubGlobal('indexedDB', new IDBFactory());
	const config = { serverUrl: `ws://127.0.0.1:${port}`, token: TOKEN } as SyncConfig;
	const said: string[] = [];
	let refused = false;
	const r: Room = watchRoom(
		await openRoom(config, room),
		() => {},
		() => (refused = true),
		(text) => said.push(text)
	);
	cleanup.push(() => {
		r.provider.destroy();
		r.doc.destroy();
	});
	await expect.poll(() => r.provider.synced, { timeout: 5000 }).toBe(true);
	return { room: r, said, refused: () => refused, entries: () => r.doc.getMap<Uint8Array>('e') };
}

/** Ciphertext-like bytes (random: nothing compresses or repeats). */
const bytes = (n: number) => {
	const b = new Uint8Array(n);
	for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
	return b;
};

/** The server's answer at /health. */
async function health(port: number) {
	const res = await fetch(`http://127.0.0.1:${port}/health`);
	return { status: res.status, ...(await res.json()) };
}

/** What one closes with when the server ends its connection. */
const closeOf = (r: Room) =>
	new Promise<{ code: number; reason: string }>((resolve) =>
		r.provider.on('connection-close', (e) => e && resolve({ code: e.code, reason: e.reason }))
	);

describe('the server’s limits', { timeout: 20_000 }, () => {
	it('refuses a message over --max-message-mb before reading it, and says so on the device', async () => {
		const s = await server({ limits: { maxMessageMB: 0.1 } });
		const a = await device(s.port);
		const closed = closeOf(a.room);
		a.entries().set('big', bytes(150_000));
		expect((await closed).code).toBe(MESSAGE_TOO_BIG);
		await expect.poll(() => a.said[0]).toMatch(/more than the server accepts.*safe on this device/);
		expect(a.room.provider.shouldConnect).toBe(false);
		// Nothing of it reached the server; a small one still goes through for others.
		const b = await device(s.port);
		expect(b.entries().size).toBe(0);
		b.entries().set('small', bytes(1000));
		const c = await device(s.port);
		await expect.poll(() => c.entries().get('small')?.length).toBe(1000);
		expect((await health(s.port)).ok).toBe(true);
	});

	it('refuses, unapplied, a change that would take a document past --max-doc-mb', async () => {
		const s = await server({ data: folder(), limits: { maxDocMB: 0.05, maxMessageMB: 1 } });
		const a = await device(s.port);
		const reader = await device(s.port);
		for (const key of ['one', 'two']) {
			a.entries().set(key, bytes(20_000));
			await expect.poll(() => reader.entries().has(key), { timeout: 5000 }).toBe(true);
		}
		const closed = closeOf(a.room);
		a.entries().set('three', bytes(20_000));
		const { code, reason } = await closed;
		expect(code).toBe(TOO_LARGE);
		expect(reason).toMatch(/^document limit: 4\d KB stored, 2\d KB more is over 52 KB$/);
		await expect.poll(() => a.said[0]).toMatch(/document limit.*raise its limits.*--max-doc-mb/);
		expect(a.room.provider.shouldConnect).toBe(false);
		// Nobody got it, not even a device that connects afresh.
		const late = await device(s.port);
		expect([...late.entries().keys()].sort()).toEqual(['one', 'two']);
		expect(reader.entries().has('three')).toBe(false);
	});

	it('keeps serving what it holds but takes nothing new while the disk is below the reserve', async () => {
		const data = folder();
		const first = await server({ data });
		const a = await device(first.port);
		a.entries().set('kept', bytes(5000));
		const check = await device(first.port);
		await expect.poll(() => check.entries().get('kept')?.length).toBe(5000);
		await new Promise((r) => setTimeout(r, 300));
		a.room.provider.destroy();
		await first.close();

		// A reserve larger than any disk: always "nearly full".
		const s = await server({ data, limits: { minFreeMB: 1e12 } });
		const reader = await device(s.port);
		await expect.poll(() => reader.entries().get('kept')?.length).toBe(5000);
		const closed = closeOf(reader.room);
		reader.entries().set('new', bytes(100));
		expect(await closed).toEqual({
			code: STORAGE_FAILED,
			reason: "the server's disk is nearly full"
		});
		await expect
			.poll(() => reader.room.serverTrouble)
			.toMatch(/could not store.*disk is nearly full/);
		const state = await health(s.port);
		expect(state).toMatchObject({ status: 503, ok: false, storage: 'disk nearly full' });
	});

	it('tells the devices when a write fails, keeps what was stored, and takes it once it can', async () => {
		const data = folder();
		const log = vi.fn();
		const s = await server({ data, log });
		const a = await device(s.port);
		a.entries().set('before', bytes(3000));
		await new Promise((r) => setTimeout(r, 300));

		// y-leveldb catches a failed write and answers null (it warns on the console).
		const store = LeveldbPersistence.prototype.storeUpdate;
		const failing = vi
			.spyOn(LeveldbPersistence.prototype, 'storeUpdate')
			.mockImplementation(async () => null);
		vi.spyOn(console, 'warn').mockImplementation(() => {});
		const closed = closeOf(a.room);
		a.entries().set('during', bytes(3000));
		expect((await closed).code).toBe(STORAGE_FAILED);
		await expect
			.poll(() => a.room.serverTrouble)
			.toMatch(/could not store.*Your sessions are safe/);
		expect(await health(s.port)).toMatchObject({
			status: 503,
			ok: false,
			storage: 'failing',
			storageError: 'a write failed; the warning above says why'
		});
		expect(log).toHaveBeenCalledTimes(1);
		expect(log.mock.calls[0][0]).toMatch(
			/Could not write to the data folder.*nothing already stored is lost/
		);

		// The disk is fixed; the device tries again (by itself after 30 s, or Sync now).
		failing.mockImplementation(store);
		a.room.provider.connect();
		await expect.poll(async () => (await health(s.port)).ok, { timeout: 5000 }).toBe(true);
		await new Promise((r) => setTimeout(r, 300));
		a.room.provider.destroy();
		await s.close();

		const again = await server({ data });
		const b = await device(again.port);
		await expect.poll(() => [...b.entries().keys()].sort()).toEqual(['before', 'during']);
	});
});

/** A small real disk (tmpfs), where this machine lets us mount one (root); else undefined. */
function smallDisk(mb: number): string | undefined {
	const dir = mkdtempSync(join(tmpdir(), 'settle-disk-'));
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir]);
	if (mounted.status !== 0) {
		rmSync(dir, { recursive: true, force: true });
		return undefined;
	}
	cleanup.push(() => {
		spawnSync('umount', [dir]);
		rmSync(dir, { recursive: true, force: true });
	});
	return dir;
}

const disk = process.getuid?.() === 0 ? 'mountable' : undefined;
describe.skipIf(!disk)(
	'the server on a real disk that fills up (needs root to mount a tmpfs)',
	() => {
		it(
			'reports the full disk to the device, loses nothing stored, and syncs again once space is freed',
			{ timeout: 90_000 },
			async () => {
				const root = smallDisk(16);
				if (!root) return void console.log('Skipped: could not mount a small tmpfs here.');
				// Space taken by something else, freed later as a person would.
				const filler = join(root, 'filler');
				writeFileSync(filler, new Uint8Array(10 * 1024 * 1024));
				const data = join(root, 'sync-data');
				mkdirSync(data);
				// y-leveldb warns of each failed write on the console.
				vi.spyOn(console, 'warn').mockImplementation(() => {});
				const log = vi.fn();
				const s = await server({ data, log, limits: { minFreeMB: 0 } });
				const a = await device(s.port);
				const reader = await device(s.port);
				let code: number | undefined;
				void closeOf(a.room).then((c) => (code = c.code));
				let written = 0;
				while (code === undefined && written < 200) {
					a.entries().set(`e${written++}`, bytes(100_000));
					await new Promise((r) => setTimeout(r, 30));
				}
				expect(code).toBe(STORAGE_FAILED);
				expect(written).toBeGreaterThan(10);
				await expect.poll(() => a.room.serverTrouble).toMatch(/could not store.*disk is full/);
				expect(await health(s.port)).toMatchObject({ status: 503, storage: 'failing' });
				expect(log.mock.calls[0][0]).toMatch(/^Could not write to the data folder/);

				// Space is freed; the device tries again (by itself after 30 s, or Sync now): the server
				// reopens its database and takes what did not land.
				unlinkSync(filler);
				a.room.provider.connect();
				const after = await device(s.port);
				await expect.poll(() => after.entries().size, { timeout: 20_000 }).toBe(written);
				for (const [, v] of after.entries()) expect(v.length).toBe(100_000);
				expect((await health(s.port)).ok).toBe(true);
				a.room.provider.destroy();
				reader.room.provider.destroy();
				after.room.provider.destroy();
				await s.close();

				// And all of it is on disk, whole: a restarted server serves every entry.
				const again = await server({ data });
				const check = await device(again.port);
				expect(check.entries().size).toBe(written);
				for (const [key, v] of check.entries())
					expect(Array.from(v), key).toEqual(Array.from(a.entries().get(key)!));
			}
		);
	}
);
