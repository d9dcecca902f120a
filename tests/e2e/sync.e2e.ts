/**
 * Sync between two devices: two separate Chromium processes (each its own fresh profile) and a
 * real sync server (server/sync-server.mjs) on loopback. Pairing, a session recorded on one
 * with the emulated strap arriving with identical RR on the other, notes both ways, offline
 * conflicting edits converging, and a plaintext marker never reaching the server.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSyncServer } from '../../server/sync-server.mjs';
import {
	DESKTOP,
	PHONE,
	baseUrl,
	launch,
	openApp,
	pageErrors,
	screenshot,
	trackPageErrors
} from './fixtures/browser';
import { EmulatedStrap } from './fixtures/emulated-strap';
import { mixedPayloads } from './fixtures/payloads';
import {
	importRrText,
	savedBreathing,
	savedRrMs,
	savedSessions,
	storeBreathing
} from './fixtures/saved-beats';

const CANARY = 'CANARY-7f3a';
const TOKEN = 'e2e-token-0123456789';

let phoneBrowser: Browser;
let laptopBrowser: Browser;
let server: { port: number; close(): Promise<void> };
let dataDir: string;
const frames: string[] = [];

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'settle-sync-'));
	server = await startSyncServer({ host: '127.0.0.1', port: 0, data: dataDir, token: TOKEN });
	[phoneBrowser, laptopBrowser] = [await launch(), await launch()];
});
afterAll(async () => {
	await phoneBrowser?.close();
	await laptopBrowser?.close();
	await server?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

/** Every origin a page contacted (requests and WebSockets), and every WebSocket address. */
const origins = new Set<string>();
const socketUrls: string[] = [];

/** Keeps every WebSocket frame the page sends or receives, as the server would see them. */
function captureFrames(page: Page) {
	page.on('request', (r) => origins.add(new URL(r.url()).origin));
	page.on('websocket', (ws) => {
		origins.add(new URL(ws.url()).origin.replace(/^ws/, 'http'));
		socketUrls.push(ws.url());
		const keep = (f: { payload: string | Buffer }) =>
			frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1'));
		ws.on('framesent', keep);
		ws.on('framereceived', keep);
	});
}

function serverFiles(dir: string): string {
	return readdirSync(dir)
		.map((name) => join(dir, name))
		.map((p) => (statSync(p).isDirectory() ? serverFiles(p) : readFileSync(p).toString('latin1')))
		.join('\n');
}

const serverUrl = () => `ws://127.0.0.1:${server.port}`;
const status = (page: Page) => page.locator('.status').first().textContent();

async function note(page: Page, id: string): Promise<string | undefined> {
	const rows = (await savedSessions(page)) as { id: string; note?: string; tags?: string[] }[];
	return rows.find((r) => r.id === id)?.note;
}

async function exportedRr(page: Page, id: string): Promise<string> {
	await page.goto(new URL(`/sessions/${id}`, page.url()).href);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Export RR intervals (.txt)' }).click()
	]);
	return readFileSync((await download.path())!, 'utf8');
}

describe('sync between two devices', () => {
	it('pairs, carries a recording and notes both ways, converges after offline edits, and keeps the server blind', async () => {
		const phone = await openApp(phoneBrowser, '/settings', PHONE);
		captureFrames(phone.page);
		await phone.page.getByLabel('Server address').fill(serverUrl());
		await phone.page.getByLabel('Access token').fill(TOKEN);
		await phone.page.getByRole('button', { name: 'Start syncing from this device' }).click();
		const codeBox = phone.page.getByTestId('pairing-code');
		await expect.poll(() => codeBox.count(), { timeout: 15_000 }).toBe(1);
		const code = (await codeBox.textContent())!.trim();
		expect(code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{1,5})+$/);
		expect(await phone.page.locator('.qr svg').count()).toBe(1);
		await expect.poll(() => status(phone.page), { timeout: 15_000 }).toContain('Synced.');
		await screenshot(phone.page, 'sync-pairing-phone');
		// A second tab on the same device leaves syncing to the first, and says so.
		const secondTab = await phone.context.newPage();
		await secondTab.goto(new URL('/settings', phone.page.url()).href);
		await expect.poll(() => status(secondTab), { timeout: 15_000 }).toContain('another Settle tab');
		// Turned off there, it stops here too; turned on here again, it carries on.
		await secondTab.getByRole('button', { name: 'Turn sync off' }).click();
		await expect.poll(() => status(phone.page)).toContain('Sync is off');
		await secondTab.close();
		await phone.page.getByRole('button', { name: 'Turn sync on' }).click();
		await expect.poll(() => status(phone.page), { timeout: 15_000 }).toContain('Synced.');

		const laptop = await openApp(laptopBrowser, '/settings', DESKTOP);
		captureFrames(laptop.page);
		await laptop.page.getByLabel('Server address').fill(serverUrl());
		await laptop.page.getByLabel('Access token').fill(TOKEN);
		await laptop.page.getByLabel('Pairing code').fill(code.toLowerCase());
		await laptop.page.getByRole('button', { name: 'Join with the pairing code' }).click();
		await expect.poll(() => status(laptop.page), { timeout: 15_000 }).toContain('Synced.');
		await screenshot(laptop.page, 'sync-joined-desktop');

		// Record on the phone with the emulated strap, with the phone offline: recording never
		// waits for the network, and the session goes out when the phone is back online.
		await phone.page.goto(new URL('/', phone.page.url()).href);
		await phone.context.setOffline(true);
		const strap = await EmulatedStrap.attach(phoneBrowser, phone.page, { name: 'Polar H10' });
		await phone.page.getByRole('button', { name: 'Connect strap' }).click();
		await expect
			.poll(() => phone.page.getByRole('status', { name: 'Connection' }).textContent())
			.toBe('Connected');
		await phone.page.getByRole('button', { name: 'Start session' }).click();
		const payloads = mixedPayloads(120);
		await strap.notifyMany(payloads.map((p) => p.bytes));
		await phone.page.getByRole('button', { name: 'Stop' }).click();
		await expect
			.poll(async () => (await savedSessions(phone.page)).map((s) => s.status))
			.toEqual(['finished']);
		const [recorded] = await savedSessions(phone.page);
		// The breathing an H10's accelerometer measured, stored after the session (as at Stop).
		await storeBreathing(phone.page, recorded.id, 14);
		await strap.dispose();
		await phone.page.waitForTimeout(1500);
		expect(await savedSessions(laptop.page)).toEqual([]);
		await phone.context.setOffline(false);

		// The laptop has it: the same beats, the same exported RR file.
		await expect
			.poll(async () => (await savedSessions(laptop.page)).map((s) => s.id), { timeout: 20_000 })
			.toEqual([recorded.id]);
		expect(await savedRrMs(laptop.page, recorded.id)).toEqual(
			await savedRrMs(phone.page, recorded.id)
		);
		const phoneRr = await exportedRr(phone.page, recorded.id);
		expect(phoneRr.split('\n').length).toBeGreaterThan(150);
		expect(await exportedRr(laptop.page, recorded.id)).toBe(phoneRr);

		// A note written on the laptop shows on the phone.
		await laptop.page.getByLabel('Note', { exact: true }).fill(`Hips let go. ${CANARY}`);
		await laptop.page.getByRole('button', { name: 'Save notes' }).click();
		await expect
			.poll(() => note(phone.page, recorded.id), { timeout: 20_000 })
			.toBe(`Hips let go. ${CANARY}`);
		// The breathing followed its session (with the phone's next push): the same row, type for type.
		const phoneBreathing = await savedBreathing(phone.page, recorded.id);
		expect(phoneBreathing?.inStartMs).toMatchObject({ type: 'Float64Array' });
		await expect
			.poll(() => savedBreathing(laptop.page, recorded.id), { timeout: 20_000 })
			.toEqual(phoneBreathing);

		// Both offline, both edit; back online, both show the same.
		await phone.context.setOffline(true);
		await laptop.context.setOffline(true);
		await phone.page.getByLabel('Note', { exact: true }).fill('Written on the phone offline');
		await phone.page.getByRole('button', { name: 'Save notes' }).click();
		await laptop.page.getByLabel('Note', { exact: true }).fill('Written on the laptop offline');
		await laptop.page.getByLabel('Tags, separated by commas').fill('offline, laptop');
		await laptop.page.getByRole('button', { name: 'Save notes' }).click();
		await phone.page.waitForTimeout(1500);
		expect(await note(phone.page, recorded.id)).toBe('Written on the phone offline');
		await phone.context.setOffline(false);
		await laptop.context.setOffline(false);
		await expect
			.poll(
				async () => {
					const [a, b] = [await savedSessions(phone.page), await savedSessions(laptop.page)];
					const pick = (rows: typeof a) =>
						JSON.stringify(
							(rows as { note?: string; tags?: string[] }[]).map((r) => [r.note, r.tags])
						);
					return pick(a) === pick(b) ? pick(a) : 'different';
				},
				{ timeout: 30_000 }
			)
			.toMatch(/Written on the (phone|laptop) offline.*offline.*laptop/);

		// The marker was on both devices and went through the server, yet never in the clear.
		await laptop.page.goto(new URL('/settings', laptop.page.url()).href);
		await expect.poll(() => status(laptop.page), { timeout: 15_000 }).toContain('Synced.');
		await screenshot(laptop.page, 'sync-status-desktop');
		expect(frames.length).toBeGreaterThan(10);
		expect(frames.join('\n')).not.toContain(CANARY);
		expect(frames.join('\n')).not.toContain(recorded.id);
		expect(serverFiles(dataDir)).not.toContain(CANARY);
		expect(serverFiles(dataDir)).not.toContain(recorded.id);
		// Only the app's own origin and the sync server were contacted.
		// The access token never travels in an address a proxy would log.
		expect(socketUrls.length).toBeGreaterThan(0);
		expect(socketUrls.filter((u) => u.includes(TOKEN))).toEqual([]);
		expect([...origins].sort()).toEqual(
			[new URL(phone.page.url()).origin, `http://127.0.0.1:${server.port}`].sort()
		);

		// Sync off on the laptop: a deletion on the phone does not reach it, and nothing here goes.
		await laptop.page.getByRole('button', { name: 'Turn sync off' }).click();
		await expect.poll(() => status(laptop.page)).toContain('Sync is off');
		await phone.page.goto(new URL(`/sessions/${recorded.id}`, phone.page.url()).href);
		await phone.page.getByRole('button', { name: 'Delete this session' }).click();
		await expect.poll(async () => (await savedSessions(phone.page)).length).toBe(0);
		await laptop.page.waitForTimeout(2000);
		expect((await savedSessions(laptop.page)).map((s) => s.id)).toEqual([recorded.id]);
		// The laptop, not knowing, edits the session; back on, the deletion wins everywhere.
		await laptop.page.goto(new URL(`/sessions/${recorded.id}`, laptop.page.url()).href);
		await laptop.page.getByLabel('Note', { exact: true }).fill('A late edit');
		await laptop.page.getByRole('button', { name: 'Save notes' }).click();
		await expect.poll(() => note(laptop.page, recorded.id)).toBe('A late edit');
		await laptop.page.goto(new URL('/settings', laptop.page.url()).href);
		await laptop.page.getByRole('button', { name: 'Turn sync on' }).click();
		await expect
			.poll(async () => (await savedSessions(laptop.page)).length, { timeout: 20_000 })
			.toBe(0);
		expect(await savedBreathing(laptop.page, recorded.id)).toBeNull();
		await expect.poll(() => status(laptop.page), { timeout: 15_000 }).toContain('Synced.');
		expect(await savedSessions(phone.page)).toEqual([]);

		// Forgetting the device: it leaves the group and says so by offering to join again.
		await laptop.page.getByRole('button', { name: 'Forget this device…' }).click();
		await laptop.page.getByRole('button', { name: 'Forget this device', exact: true }).click();
		await expect
			.poll(() => laptop.page.getByRole('button', { name: 'Join with the pairing code' }).count())
			.toBe(1);
		expect(await laptop.page.evaluate(() => localStorage.getItem('settle-sync'))).toBeNull();

		expect(pageErrors(phone.page)).toEqual([]);
		expect(pageErrors(laptop.page)).toEqual([]);
		await phone.context.close();
		await laptop.context.close();
	});

	it('a group with a passphrase opens only with it', async () => {
		const first = await openApp(phoneBrowser, '/settings', PHONE);
		await first.page.getByLabel('Server address').fill(serverUrl());
		await first.page.getByLabel('Access token').fill(TOKEN);
		await first.page.getByLabel('Also ask for a passphrase on each new device').check();
		await first.page.getByLabel('Passphrase (at least 8 characters)').fill('lying on the floor');
		await first.page.getByRole('button', { name: 'Start syncing from this device' }).click();
		const codeBox = first.page.getByTestId('pairing-code');
		await expect.poll(() => codeBox.count(), { timeout: 20_000 }).toBe(1);
		expect(await first.page.getByText("It also needs the group's passphrase.").count()).toBe(1);
		const code = (await codeBox.textContent())!.trim();

		// The QR code's link: scanned on the other device, it opens Your data with all filled in.
		const link = { s: serverUrl(), t: TOKEN, c: code };
		const hash = Buffer.from(JSON.stringify(link)).toString('base64url');
		const second = await openApp(laptopBrowser, `/settings#pair=${hash}`, DESKTOP);
		await expect.poll(() => second.page.getByLabel('Pairing code').inputValue()).toBe(code);
		expect(await second.page.getByLabel('Server address').inputValue()).toBe(serverUrl());
		expect(await second.page.getByLabel('Access token').inputValue()).toBe(TOKEN);
		expect(
			await second.page.getByRole('button', { name: 'Start syncing from this device' }).count()
		).toBe(0);
		await second.page.getByRole('button', { name: 'Join with the pairing code' }).click();
		await expect
			.poll(() => second.page.getByRole('alert').textContent(), { timeout: 20_000 })
			.toContain('protected by a passphrase');
		await second.page.getByLabel('Passphrase, if the group has one').fill('lying on the sofa');
		await second.page.getByRole('button', { name: 'Join with the pairing code' }).click();
		await expect
			.poll(() => second.page.getByRole('alert').textContent(), { timeout: 20_000 })
			.toContain('pairing code and passphrase');
		await second.page.getByLabel('Passphrase, if the group has one').fill('lying on the floor');
		await second.page.getByRole('button', { name: 'Join with the pairing code' }).click();
		await expect.poll(() => status(second.page), { timeout: 20_000 }).toContain('Synced.');
		expect(pageErrors(second.page)).toEqual([]);
		await first.context.close();
		await second.context.close();
	});

	it('tells every page when the server has gone away, and keeps recording possible', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'settle-sync-gone-'));
		const gone = await startSyncServer({ host: '127.0.0.1', port: 0, data: dir, token: TOKEN });
		const { page, context } = await openApp(laptopBrowser, '/settings', DESKTOP);
		await page.getByLabel('Server address').fill(`ws://127.0.0.1:${gone.port}`);
		await page.getByLabel('Access token').fill(TOKEN);
		await page.getByRole('button', { name: 'Start syncing from this device' }).click();
		await expect.poll(() => status(page), { timeout: 15_000 }).toContain('Synced.');
		await gone.close();
		rmSync(dir, { recursive: true, force: true });
		await page.getByRole('link', { name: 'Practise' }).click();
		const banner = page.getByRole('status').filter({ hasText: 'Cannot reach the sync server' });
		await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(1);
		expect(await page.getByRole('button', { name: 'Use demo strap' }).isEnabled()).toBe(true);
		await screenshot(page, 'sync-unreachable-desktop');
		await banner.getByRole('link', { name: 'Sync settings' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('Cannot reach');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('says plainly when the token is refused or the server cannot be reached', async () => {
		const context = await laptopBrowser.newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		// Someone who never turns sync on loads none of its engine, on any page.
		const scripts: string[] = [];
		page.on('response', async (r) => {
			if (r.url().endsWith('.js')) scripts.push(await r.text());
		});
		for (const path of ['/', '/history', '/settings']) {
			await page.goto(new URL(path, baseUrl()).href);
			await page.waitForLoadState('networkidle');
		}
		expect(scripts.length).toBeGreaterThan(5);
		expect(scripts.filter((js) => js.includes('settle-sync-'))).toEqual([]);

		await page.getByLabel('Server address').fill(serverUrl());
		await page.getByLabel('Access token').fill('not-the-token');
		await page.getByRole('button', { name: 'Start syncing from this device' }).click();
		await expect
			.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 })
			.toContain('refused the access token');
		await page.getByLabel('Server address').fill('ws://127.0.0.1:9');
		await page.getByLabel('Access token').fill(TOKEN);
		await page.getByRole('button', { name: 'Start syncing from this device' }).click();
		await expect
			.poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
			.toContain('Cannot reach the sync server');
		await page.getByLabel('Server address').fill(serverUrl());
		await page.getByLabel('Pairing code').fill('AAAAA-AAAAA');
		await page.getByRole('button', { name: 'Join with the pairing code' }).click();
		await expect
			.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 })
			.toMatch(/pairing code has \d+ characters/);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});

describe('a lost device', () => {
	it('is removed from another device: locked out, the group renewed, the others paired again', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'settle-sync-lost-'));
		const own = await startSyncServer({ host: '127.0.0.1', port: 0, data: dir, token: TOKEN });
		const url = `ws://127.0.0.1:${own.port}`;
		const a = await openApp(laptopBrowser, '/settings', DESKTOP);
		const b = await openApp(phoneBrowser, '/settings', PHONE);
		const c = await openApp(phoneBrowser, '/settings', PHONE);
		const pages = [a.page, b.page, c.page];
		const devices = a.page
			.getByRole('region', { name: 'Devices in this group' })
			.getByRole('listitem');

		// A starts the group with the server's token; B and C join with invitations A makes.
		await a.page.getByLabel('Server address').fill(url);
		await a.page.getByLabel('Access token').fill(TOKEN);
		await a.page.getByLabel('Name of this device').fill('Laptop');
		await a.page.getByRole('button', { name: 'Start syncing from this device' }).click();
		await expect.poll(() => status(a.page), { timeout: 15_000 }).toContain('Synced.');
		const oldCode = (await a.page.getByTestId('pairing-code').textContent())!.trim();
		for (const [joining, name] of [
			[b.page, 'Phone'],
			[c.page, 'Old phone']
		] as const) {
			const invite = (await a.page.getByTestId('invitation').textContent())!.trim();
			expect(invite).not.toBe(TOKEN);
			await joining.getByLabel('Server address').fill(url);
			await joining.getByLabel('Access token or invitation').fill(invite);
			await joining.getByLabel('Name of this device').fill(name);
			await joining.getByLabel('Pairing code').fill(oldCode);
			await joining.getByRole('button', { name: 'Join with the pairing code' }).click();
			await expect.poll(() => status(joining), { timeout: 20_000 }).toContain('Synced.');
			// An invitation adds one device: the next one gets a new one.
			await a.page.getByRole('button', { name: 'Hide pairing code' }).click();
			await a.page.getByRole('button', { name: 'Add another device' }).click();
			await expect.poll(() => a.page.getByTestId('invitation').textContent()).not.toBe(invite);
		}
		await a.page.getByRole('button', { name: 'Hide pairing code' }).click();

		// Everything written so far reaches every device.
		const before = await importRrText(a.page, baseUrl(), 'before.txt', rrFile(0));
		for (const p of [b.page, c.page])
			await expect
				.poll(async () => (await savedSessions(p)).map((s) => s.id), { timeout: 20_000 })
				.toEqual([before]);

		// A lists three devices, each with when it was last seen.
		await a.page.getByRole('button', { name: 'Refresh the list' }).click();
		await expect.poll(() => devices.count()).toBe(3);
		// Named as each device was named; the server holds the names sealed, unreadable.
		await expect
			.poll(() => a.page.getByTestId('device-name').allTextContents())
			.toEqual(['Laptop', 'Phone', 'Old phone']);
		expect(await devices.first().textContent()).toContain('this device');
		expect(serverFiles(dir)).toContain('Chrome on Linux');
		expect(serverFiles(dir)).not.toContain('Old phone');
		expect(await a.page.getByTestId('last-seen').allTextContents()).toEqual(
			Array(3).fill('connected now')
		);
		// C, the newest, is lost: removing it says first what that means.
		await devices.filter({ hasText: 'Old phone' }).getByRole('button', { name: 'Remove…' }).click();
		const confirm = a.page.getByRole('group', { name: /^Remove / });
		expect(await confirm.textContent()).toMatch(/must be paired again/);
		await screenshot(a.page, 'sync-remove-device-desktop');
		await confirm.getByRole('button', { name: 'Remove it and renew the group' }).click();
		await expect
			.poll(() => a.page.getByRole('status').filter({ hasText: 'is removed' }).count(), {
				timeout: 30_000
			})
			.toBe(1);
		expect(
			await a.page.getByRole('status').filter({ hasText: 'is removed' }).textContent()
		).toMatch(/other devices must now be paired again/);
		const newCode = (await a.page.getByTestId('pairing-code').textContent())!.trim();
		expect(newCode).not.toBe(oldCode);
		await expect.poll(() => status(a.page), { timeout: 20_000 }).toContain('Synced.');
		await expect.poll(() => devices.count()).toBe(2);
		// The removed one is still named (its name sealed again with the renewed group's key).
		await expect.poll(() => a.page.getByText(/^Removed: Old phone \(on /).count()).toBe(1);
		expect(await a.page.getByTestId('device-name').allTextContents()).toEqual(['Laptop', 'Phone']);
		await screenshot(a.page, 'sync-device-removed-desktop');

		// C is told in words; B is told to pair again, on every page.
		await expect
			.poll(() => c.page.getByRole('alert').first().textContent(), { timeout: 20_000 })
			.toContain('access was removed from another device');
		await screenshot(c.page, 'sync-removed-phone');
		await expect
			.poll(() => b.page.getByRole('alert').first().textContent(), { timeout: 20_000 })
			.toContain('Enter the new pairing code');
		await screenshot(b.page, 'sync-renewed-phone');
		// Out of the group until paired again: no stale list to remove devices from.
		expect(await b.page.getByRole('button', { name: 'Remove…' }).count()).toBe(0);
		await b.page.getByRole('link', { name: 'Practise' }).click();
		const banner = b.page.getByRole('status').filter({ hasText: 'renewed on another device' });
		await expect.poll(() => banner.count()).toBe(1);
		await banner.getByRole('link', { name: 'Sync settings' }).click();
		// The old code is not taken for the new one.
		await b.page.getByLabel('New pairing code').fill(oldCode);
		await b.page.getByRole('button', { name: 'Pair again' }).click();
		await expect
			.poll(() => b.page.getByRole('alert').filter({ hasText: 'old pairing code' }).count())
			.toBe(1);
		await b.page.getByLabel('New pairing code').fill(newCode);
		await b.page.getByRole('button', { name: 'Pair again' }).click();
		await expect.poll(() => status(b.page), { timeout: 20_000 }).toContain('Synced.');
		await screenshot(b.page, 'sync-paired-again-phone');

		// A and B still sync, both ways; C's writes reach nobody and nothing new reaches C.
		const afterB = await importRrText(b.page, baseUrl(), 'after-b.txt', rrFile(1));
		const fromC = await importRrText(c.page, baseUrl(), 'from-c.txt', rrFile(2));
		await expect
			.poll(async () => (await savedSessions(a.page)).map((s) => s.id).sort(), { timeout: 30_000 })
			.toEqual([before, afterB].sort());
		await a.page.goto(new URL(`/sessions/${before}`, baseUrl()).href);
		await a.page.getByLabel('Note', { exact: true }).fill('Written after C was removed');
		await a.page.getByRole('button', { name: 'Save notes' }).click();
		await expect
			.poll(() => note(b.page, before), { timeout: 20_000 })
			.toBe('Written after C was removed');
		await c.page.getByRole('button', { name: 'Sync now' }).click();
		await c.page.waitForTimeout(3000);
		expect((await savedSessions(c.page)).map((s) => s.id).sort()).toEqual([before, fromC].sort());
		expect(await note(c.page, before)).toBeUndefined();
		expect((await savedSessions(a.page)).map((s) => s.id)).not.toContain(fromC);
		expect((await savedSessions(b.page)).map((s) => s.id)).not.toContain(fromC);
		expect(await c.page.getByRole('alert').first().textContent()).toContain('access was removed');

		for (const p of pages) expect(pageErrors(p)).toEqual([]);
		for (const x of [a, b, c]) await x.context.close();
		await own.close();
		rmSync(dir, { recursive: true, force: true });
	});
});

describe('per-device tokens', () => {
	let dir: string;
	let own: Awaited<ReturnType<typeof startSyncServer>>;
	let url: string;
	// A server each: a test's devices stay out of the other's list.
	beforeEach(async () => {
		dir = mkdtempSync(join(tmpdir(), 'settle-sync-tokens-'));
		own = await startSyncServer({ host: '127.0.0.1', port: 0, data: dir, token: TOKEN });
		url = `ws://127.0.0.1:${own.port}`;
	});
	afterEach(async () => {
		await own?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	/** This device's sync membership as stored (the token and the device id). */
	const stored = (page: Page) =>
		page.evaluate(
			() =>
				new Promise<{ token: string; deviceId?: string }>((resolve, reject) => {
					const open = indexedDB.open('settle-sync');
					open.onerror = () => reject(open.error);
					open.onsuccess = () => {
						const get = open.result.transaction('config').objectStore('config').get('config');
						get.onsuccess = () => {
							open.result.close();
							resolve(get.result);
						};
					};
				})
		);

	it('a device paired with the shared token gets a token of its own at its next start', async () => {
		const { page, context } = await openApp(laptopBrowser, '/settings', DESKTOP);
		await page.getByLabel('Server address').fill(url);
		await page.getByLabel('Access token').fill(TOKEN);
		await page.getByRole('button', { name: 'Start syncing from this device' }).click();
		await expect.poll(() => status(page), { timeout: 15_000 }).toContain('Synced.');
		const first = await stored(page);
		expect(first.deviceId).toBeTruthy();
		expect(first.token).not.toBe(TOKEN);
		// As a device paired before this version stored it: the shared token, no id.
		await page.evaluate(
			(token) =>
				new Promise<void>((resolve, reject) => {
					const open = indexedDB.open('settle-sync');
					open.onerror = () => reject(open.error);
					open.onsuccess = () => {
						const tx = open.result.transaction('config', 'readwrite');
						const store = tx.objectStore('config');
						const get = store.get('config');
						get.onsuccess = () => {
							const { deviceId: _id, ...old } = get.result;
							store.put({ ...old, token });
						};
						tx.oncomplete = () => {
							open.result.close();
							resolve();
						};
					};
				}),
			TOKEN
		);
		await page.reload();
		await expect.poll(() => status(page), { timeout: 20_000 }).toContain('Synced.');
		const migrated = await stored(page);
		expect(migrated.deviceId).toBeTruthy();
		expect(migrated.deviceId).not.toBe(first.deviceId);
		expect(migrated.token).not.toBe(TOKEN);
		const mine = page
			.getByRole('region', { name: 'Devices in this group' })
			.getByRole('listitem')
			.filter({ hasText: 'this device' });
		await expect.poll(() => mine.count(), { timeout: 10_000 }).toBe(1);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('in a group with a passphrase, removing a device asks for the renewed group’s passphrase', async () => {
		const a = await openApp(laptopBrowser, '/settings', DESKTOP);
		const b = await openApp(phoneBrowser, '/settings', PHONE);
		await a.page.getByLabel('Server address').fill(url);
		await a.page.getByLabel('Access token').fill(TOKEN);
		await a.page.getByLabel('Also ask for a passphrase on each new device').check();
		await a.page.getByLabel('Passphrase (at least 8 characters)').fill('lying on the floor');
		await a.page.getByRole('button', { name: 'Start syncing from this device' }).click();
		await expect.poll(() => status(a.page), { timeout: 20_000 }).toContain('Synced.');
		await b.page.getByLabel('Server address').fill(url);
		await b.page
			.getByLabel('Access token or invitation')
			.fill((await a.page.getByTestId('invitation').textContent())!.trim());
		await b.page
			.getByLabel('Pairing code')
			.fill((await a.page.getByTestId('pairing-code').textContent())!.trim());
		await b.page.getByLabel('Passphrase, if the group has one').fill('lying on the floor');
		await b.page.getByRole('button', { name: 'Join with the pairing code' }).click();
		await expect.poll(() => status(b.page), { timeout: 20_000 }).toContain('Synced.');

		await a.page.getByRole('button', { name: 'Refresh the list' }).click();
		const other = a.page
			.getByRole('region', { name: 'Devices in this group' })
			.getByRole('listitem')
			.filter({ hasNotText: 'this device' })
			.filter({ has: a.page.getByRole('button', { name: 'Remove…' }) });
		await expect.poll(() => other.count(), { timeout: 10_000 }).toBe(1);
		await other.getByRole('button', { name: 'Remove…' }).click();
		const confirm = a.page.getByRole('group', { name: /^Remove / });
		await confirm.getByRole('button', { name: 'Remove it and renew the group' }).click();
		// Nothing happens without one: the device is still in.
		await expect
			.poll(() => a.page.getByRole('alert').filter({ hasText: 'passphrase' }).textContent())
			.toContain('Enter a passphrase for the renewed group');
		expect(await status(b.page)).toContain('Synced.');
		await confirm.getByLabel(/Passphrase for the renewed group/).fill('a new floor, a new year');
		await confirm.getByRole('button', { name: 'Remove it and renew the group' }).click();
		await expect
			.poll(() => a.page.getByRole('status').filter({ hasText: 'is removed' }).count(), {
				timeout: 30_000
			})
			.toBe(1);
		expect(await a.page.getByText("It also needs the group's passphrase.").count()).toBe(1);
		await expect
			.poll(() => b.page.getByRole('alert').first().textContent(), { timeout: 20_000 })
			.toContain('access was removed from another device');
		for (const p of [a.page, b.page]) expect(pageErrors(p)).toEqual([]);
		await a.context.close();
		await b.context.close();
	});
});

/** An RR file of 300 beats, different for each k (the same file twice is skipped on import). */
function rrFile(k: number): string {
	return Array.from({ length: 300 }, (_, i) => String(800 + k * 3 + (i % 9) * 8)).join('\n');
}
