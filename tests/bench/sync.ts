/**
 * First sync of a long history between two devices over loopback: 2,000 ten-minute sessions
 * (1.4 million beats) on one browser, sync turned on, then a second browser joins with the
 * pairing code. Real Chromium (its IndexedDB and WebCrypto), the real sync server.
 *
 *   npm run bench:sync        (needs Chromium: /usr/bin/chromium or CHROMIUM_PATH)
 *
 * Prints: time to encrypt and send everything (first device), time until the second device
 * holds every session and beat, a restart of the second device, and what the server stores.
 * Then the server under load: 20 devices in 10 groups for a minute (tests/bench/sync-load.ts).
 * BENCH_PART=first or BENCH_PART=load runs one part.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startSyncServer } from '../../server/sync-server.mjs';
import { practiceHistory, seedSessions } from '../e2e/fixtures/seed';
import { startPreview } from '../e2e/fixtures/preview';
import { launch } from '../e2e/fixtures/browser';
import { buildApp } from './common';
import { runLoad } from './sync-load';

const PARTS = (process.env.BENCH_PART ?? 'first,load').split(',');

const SESSIONS = Number(process.env.SESSIONS ?? 2000);
const BEATS = 700;
const TOKEN = 'bench-token';

async function runFirstSync() {
	buildApp();

	/** Each seeded session gets its 700 beats, in chunks as the recorder writes them. */
	async function seedBeats(page: Page, ids: string[]) {
		await page.evaluate(
			({ ids, beats }) =>
				new Promise<void>((resolve, reject) => {
					const open = indexedDB.open('settle');
					open.onerror = () => reject(open.error);
					open.onsuccess = () => {
						const db = open.result;
						const tx = db.transaction('beatChunks', 'readwrite');
						const store = tx.objectStore('beatChunks');
						ids.forEach((sessionId, k) => {
							let t = 0;
							for (let seq = 0; seq * 256 < beats; seq++) {
								const n = Math.min(256, beats - seq * 256);
								const rrMs = new Float64Array(n);
								const offsetMs = new Float32Array(n);
								const t0Ms = t;
								for (let i = 0; i < n; i++) {
									rrMs[i] = 850 + 60 * Math.sin((seq * 256 + i + k) / 5) + ((i * 7919) % 13);
									t += rrMs[i];
									offsetMs[i] = t - t0Ms;
								}
								store.put({ sessionId, seq, t0Ms, rrMs, offsetMs, flags: new Uint8Array(n) });
							}
						});
						tx.oncomplete = () => {
							db.close();
							resolve();
						};
						tx.onerror = () => reject(tx.error);
					};
				}),
			{ ids, beats: BEATS }
		);
	}

	const count = (page: Page, store: string) =>
		page.evaluate(
			(store) =>
				new Promise<number>((resolve) => {
					const open = indexedDB.open('settle');
					open.onsuccess = () => {
						const req = open.result.transaction(store).objectStore(store).count();
						req.onsuccess = () => {
							open.result.close();
							resolve(req.result);
						};
					};
				}),
			store
		);

	async function synced(page: Page) {
		await page.waitForFunction(
			() => {
				const s = document.querySelector('.status');
				return s?.textContent?.includes('Synced.') && !s.querySelector('progress');
			},
			null,
			{ timeout: 600_000, polling: 200 }
		);
	}

	const dirSize = (dir: string): number =>
		readdirSync(dir).reduce((n, f) => {
			const p = join(dir, f);
			return n + (statSync(p).isDirectory() ? dirSize(p) : statSync(p).size);
		}, 0);

	const dataDir = mkdtempSync(join(tmpdir(), 'settle-sync-bench-'));
	const server = await startSyncServer({ host: '127.0.0.1', port: 0, data: dataDir, token: TOKEN });
	const { url, stop } = await startPreview();
	const [first, second] = [await launch(), await launch()];
	try {
		const a = await (await first.newContext()).newPage();
		await a.goto(new URL('/sessions', url).href);
		await a.getByRole('heading', { name: 'Sessions' }).waitFor();
		const rows = practiceHistory(SESSIONS, Date.UTC(2026, 10, 25, 7));
		await seedSessions(a, rows);
		await seedBeats(
			a,
			rows.map((r) => r.id)
		);
		const beats = SESSIONS * BEATS;

		await a.goto(new URL('/settings', url).href);
		await a.getByLabel('Server address').fill(`ws://127.0.0.1:${server.port}`);
		await a.getByLabel('Access token').fill(TOKEN);
		let t = performance.now();
		await a.getByRole('button', { name: 'Start syncing from this device' }).click();
		const code = (await a.getByTestId('pairing-code').textContent({ timeout: 60_000 }))!.trim();
		await synced(a);
		const sendMs = performance.now() - t;

		const b = await (await second.newContext()).newPage();
		await b.goto(new URL('/settings', url).href);
		await b.getByLabel('Server address').fill(`ws://127.0.0.1:${server.port}`);
		await b.getByLabel('Access token').fill(TOKEN);
		await b.getByLabel('Pairing code').fill(code);
		t = performance.now();
		await b.getByRole('button', { name: 'Join with the pairing code' }).click();
		if (process.env.SHOT) {
			// What a person sees during a first sync (for looking at, not for timing).
			await b.locator('.status progress').waitFor({ timeout: 60_000 });
			await b.locator('#sync-title').scrollIntoViewIfNeeded();
			await b.screenshot({ path: process.env.SHOT });
		}
		await synced(b);
		const syncedMs = performance.now() - t;
		const sentChunks = await count(a, 'beatChunks');
		let [gotSessions, gotChunks] = [0, 0];
		for (let i = 0; i < 600; i++) {
			[gotSessions, gotChunks] = [await count(b, 'sessions'), await count(b, 'beatChunks')];
			if (gotSessions === SESSIONS && gotChunks === sentChunks) break;
			await b.waitForTimeout(100);
		}
		const receiveMs = performance.now() - t;
		if (gotSessions !== SESSIONS || gotChunks !== sentChunks)
			throw new Error(`The second device has ${gotSessions} sessions and ${gotChunks} chunks`);

		t = performance.now();
		await b.reload();
		await synced(b);
		const restartMs = performance.now() - t;

		const mb = (n: number) => (n / 1e6).toFixed(1);
		console.log(
			`Sync of ${SESSIONS} sessions (${beats.toLocaleString('en')} beats) over loopback:`
		);
		console.log(`  first device, encrypt and send everything: ${(sendMs / 1000).toFixed(1)} s`);
		console.log(
			`  second device, join until every session and beat is stored: ${(receiveMs / 1000).toFixed(1)} s (it said "Synced." after ${(syncedMs / 1000).toFixed(1)} s)`
		);
		console.log(`  second device, reload until synced again: ${(restartMs / 1000).toFixed(1)} s`);
		console.log(`  server storage: ${mb(dirSize(dataDir))} MB (raw beats ${mb(beats * 13)} MB)`);
	} finally {
		await first.close();
		await second.close();
		await stop();
		await server.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

if (PARTS.includes('first')) await runFirstSync();
if (PARTS.includes('load')) await runLoad();
