/**
 * Self-hosted on one origin, as a person runs it for a phone: `npm run serve -- --tls-cert …
 * --tls-key …` serves the built app and sync on one https address. Chromium trusts the test's
 * certificate by its key (--ignore-certificate-errors-spki-list), as a phone trusts a real one:
 * the app installs its service worker, opens offline (a deep link too), records from the emulated
 * strap, fills in its own origin's sync address, and a second device joins through the same origin.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncServer } from '../../server/sync-server.mjs';
import {
	CHROMIUM_ARGS,
	CHROMIUM_PATH,
	DESKTOP,
	PHONE,
	baseUrl,
	pageErrors,
	screenshot,
	trackPageErrors
} from './fixtures/browser';
import { EmulatedStrap } from './fixtures/emulated-strap';
import { mixedPayloads } from './fixtures/payloads';
import { savedRrMs, savedSessions } from './fixtures/saved-beats';
import { makeTestCert, type TestCert } from '../fixtures/test-cert';

const TOKEN = 'e2e-self-hosted-token';
let cert: TestCert;
let server: ChildProcess;
let origin = '';
let printed = '';
let phoneBrowser: Browser;
let laptopBrowser: Browser;

/** Starts the server as the README says (npm run serve is this command), on a free port. */
function serve(): Promise<void> {
	server = spawn(
		process.execPath,
		[
			'server/sync-server.mjs',
			'--app',
			'build',
			'--memory',
			'--port',
			'0',
			'--token',
			TOKEN,
			'--tls-cert',
			cert.certFile,
			'--tls-key',
			cert.keyFile
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] }
	);
	return new Promise((resolve, reject) => {
		let err = '';
		server.stderr!.on('data', (d) => (err += d));
		server.stdout!.on('data', (d) => {
			printed += d;
			const at = /^Settle at (https:\/\/127\.0\.0\.1:\d+)\/$/m.exec(printed)?.[1];
			if (at && /^Access token: /m.test(printed)) {
				origin = at;
				resolve();
			}
		});
		server.on('exit', (code) => reject(new Error(`The server exited with ${code}: ${err}`)));
	});
}

/** Chromium that trusts this one certificate, by the hash of its key. */
const launchTrusting = () =>
	chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${cert.spki}`]
	});

beforeAll(async () => {
	cert = makeTestCert();
	await serve();
	[phoneBrowser, laptopBrowser] = [await launchTrusting(), await launchTrusting()];
});
afterAll(async () => {
	await phoneBrowser?.close();
	await laptopBrowser?.close();
	server?.kill();
	cert?.remove();
});

const status = (page: Page) => page.locator('.status').first().textContent();

/** Every WebSocket the page opens. */
function sockets(page: Page): string[] {
	const urls: string[] = [];
	page.on('websocket', (ws) => urls.push(ws.url()));
	return urls;
}

describe('self-hosted on one https origin', () => {
	it('prints where the app and sync are', () => {
		const port = new URL(origin).port;
		expect(printed).toContain(
			`Settle sync server at wss://127.0.0.1:${port}/sync (the same origin)`
		);
		expect(printed).toContain(`Access token: ${TOKEN}`);
	});

	it('installs, opens and records offline, then syncs through the same origin', async () => {
		const phone = await phoneBrowser.newContext({ viewport: PHONE });
		const page = await phone.newPage();
		trackPageErrors(page);
		const phoneSockets = sockets(page);
		await page.goto(`${origin}/`);
		expect(await page.evaluate(() => [location.protocol, isSecureContext])).toEqual([
			'https:',
			true
		]);
		// The service worker installs over https (Chromium refuses it on a certificate it distrusts).
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});

		// Offline: the app opens, a link to a page deep in it too, and records from the strap.
		await phone.setOffline(true);
		await page.reload();
		await page.goto(`${origin}/sessions`);
		await expect.poll(() => page.getByRole('heading', { name: 'Sessions' }).count()).toBe(1);
		await page.goto(`${origin}/`);
		const strap = await EmulatedStrap.attach(phoneBrowser, page, { name: 'Polar H10' });
		await page.getByRole('button', { name: 'Connect strap' }).click();
		await expect
			.poll(() => page.getByRole('status', { name: 'Connection' }).textContent())
			.toBe('Connected');
		await page.getByRole('button', { name: 'Start session' }).click();
		await strap.notifyMany(mixedPayloads(120).map((p) => p.bytes));
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect
			.poll(async () => (await savedSessions(page)).map((s) => s.status))
			.toEqual(['finished']);
		const [recorded] = await savedSessions(page);
		await strap.dispose();
		await phone.setOffline(false);

		// Sync: the address is this origin's, filled in; only the token is typed.
		const sameOrigin = `wss://127.0.0.1:${new URL(origin).port}/sync`;
		await page.goto(`${origin}/settings`);
		const address = page.getByLabel('Server address');
		await expect.poll(() => address.inputValue(), { timeout: 10_000 }).toBe(sameOrigin);
		await page.getByLabel('Access token').fill(TOKEN);
		await screenshot(
			page,
			'self-hosted-sync-address-phone',
			page.locator('section.card', {
				has: page.getByRole('heading', { name: 'Sync between your devices' })
			})
		);
		await page.getByRole('button', { name: 'Start syncing from this device' }).click();
		const codeBox = page.getByTestId('pairing-code');
		await expect.poll(() => codeBox.count(), { timeout: 15_000 }).toBe(1);
		const code = (await codeBox.textContent())!.trim();
		await expect.poll(() => status(page), { timeout: 15_000 }).toContain('Synced.');

		const laptop = await laptopBrowser.newContext({ viewport: DESKTOP });
		const other = await laptop.newPage();
		trackPageErrors(other);
		const laptopSockets = sockets(other);
		await other.goto(`${origin}/settings`);
		await expect
			.poll(() => other.getByLabel('Server address').inputValue(), { timeout: 10_000 })
			.toBe(sameOrigin);
		await other.getByLabel('Access token').fill(TOKEN);
		await other.getByLabel('Pairing code').fill(code);
		await other.getByRole('button', { name: 'Join with the pairing code' }).click();
		await expect.poll(() => status(other), { timeout: 20_000 }).toContain('Synced.');
		await expect
			.poll(async () => (await savedSessions(other)).map((s) => s.id), { timeout: 20_000 })
			.toEqual([recorded.id]);
		expect(await savedRrMs(other, recorded.id)).toEqual(await savedRrMs(page, recorded.id));

		// Every connection went to the one origin's /sync.
		for (const url of [...phoneSockets, ...laptopSockets])
			expect(url.startsWith(`${sameOrigin}/`), url).toBe(true);
		expect(laptopSockets.length).toBeGreaterThan(0);
		expect(pageErrors(page)).toEqual([]);
		expect(pageErrors(other)).toEqual([]);

		// The server's state, as a monitor reads it.
		const health = await other.evaluate(async () => (await fetch('/health')).json());
		expect(health).toMatchObject({ service: 'settle-sync', ok: true, storage: 'memory' });
		expect(health.connections).toBeGreaterThanOrEqual(2);
		await phone.close();
		await laptop.close();
	});

	it('says in words when the sync server cannot store, on the Your data page and on every other', async () => {
		// A server whose disk is below its reserve: it serves what it holds but stores nothing new.
		const data = mkdtempSync(join(tmpdir(), 'settle-full-'));
		const full = await startSyncServer({
			host: '127.0.0.1',
			port: 0,
			data,
			token: TOKEN,
			limits: { minFreeMB: 1e12 }
		});
		const context = await phoneBrowser.newContext({ viewport: PHONE });
		const page = await context.newPage();
		trackPageErrors(page);
		try {
			await page.goto(new URL('/settings', baseUrl()).href);
			await page.getByLabel('Server address').fill(`ws://127.0.0.1:${full.port}`);
			await page.getByLabel('Access token').fill(TOKEN);
			await page.getByRole('button', { name: 'Start syncing from this device' }).click();
			await expect
				.poll(() => status(page), { timeout: 20_000 })
				.toContain('The sync server cannot store more right now.');
			const alert = page.getByRole('alert').filter({ hasText: 'could not store' });
			expect(await alert.first().textContent()).toContain(
				"The sync server could not store what this device sent (the server's disk is nearly full). Your sessions are safe on this device"
			);
			await screenshot(
				page,
				'sync-server-full-phone',
				page.locator('section.card', {
					has: page.getByRole('heading', { name: 'Sync between your devices' })
				})
			);
			// Another page, opened afresh: sync starts again, is refused again, and says so there.
			await page.goto(new URL('/sessions', baseUrl()).href);
			await expect
				.poll(() => page.getByText('could not store what this device sent').count(), {
					timeout: 20_000
				})
				.toBeGreaterThan(0);
			expect(pageErrors(page)).toEqual([]);
		} finally {
			await context.close();
			await full.close();
			rmSync(data, { recursive: true, force: true });
		}
	});
});
