/**
 * A full disk, for real: Chromium with a profile on disk, a small storage quota for the site
 * (2 MB, CDP Storage.overrideQuotaForOrigin) filled to the byte while a session is recorded from
 * the emulated strap under the fake clock. The person is told at once; every beat is written once
 * space is freed (the quota raised, as freeing space on the device does); sessions stored before
 * are untouched and analyse the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import {
	DESKTOP,
	PHONE,
	baseUrl,
	pageErrors,
	screenshot,
	trackPageErrors
} from './fixtures/browser';
import { EmulatedStrap } from './fixtures/emulated-strap';
import { launchWithProfile, type ProfileBrowser } from './fixtures/profile-browser';
import { importRrText, savedRrMs, savedSessions } from './fixtures/saved-beats';

let chromium: ProfileBrowser;
let quota: Quota;
beforeAll(async () => {
	chromium = await launchWithProfile();
	// The service worker's copy of the app would count against the quota too; it has no part in
	// what is tested here.
	await chromium.context.route('**/service-worker.js', (route) => route.abort());
	const control = await chromium.context.newPage();
	quota = new Quota(await chromium.context.newCDPSession(control));
	// Before the site's first use of storage, when Chromium reads it.
	await quota.apply();
});
afterAll(async () => {
	await chromium?.close();
});

/**
 * The site's quota. Chromium reads it when the site first uses storage and again only when a
 * write does not fit, so it is set before the first visit, and "freeing space" raises it (as
 * freeing space on the device does: a site's quota is a share of the free space).
 */
class Quota {
	bytes = 2 * 1024 * 1024;
	constructor(private cdp: CDPSession) {}
	async apply(): Promise<void> {
		await this.cdp.send('Storage.overrideQuotaForOrigin', {
			origin: new URL(baseUrl()).origin,
			quotaSize: this.bytes
		});
	}
	async free(bytes = 512 * 1024): Promise<void> {
		this.bytes += bytes;
		await this.apply();
	}
}

/**
 * Fills what is left of the quota with another database's rows, ever smaller, until not even a
 * byte fits: the disk is full, to the byte.
 */
async function fillDisk(page: Page): Promise<number> {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('disk-filler', 1);
			open.onupgradeneeded = () => open.result.createObjectStore('junk', { autoIncrement: true });
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		// Under 64 KB a row: Chromium keeps larger values in files of their own, which its quota
		// check at write time does not count (64 KB rows filled 20 MB of a 1 MB quota here).
		let size = 16 * 1024;
		let written = 0;
		while (size >= 1) {
			const fits = await new Promise<boolean>((resolve) => {
				const tx = db.transaction('junk', 'readwrite');
				tx.objectStore('junk').add(new Uint8Array(size));
				tx.oncomplete = () => resolve(true);
				tx.onabort = () => resolve(false);
			});
			if (fits) written += size;
			else size = Math.floor(size / 4);
		}
		db.close();
		return written;
	});
}

/** Sends beats one by one, the fake clock running each one's length (as a strap does). */
async function sendBeats(page: Page, strap: EmulatedStrap, n: number, sent: number[]) {
	for (let i = 0; i < n; i++) {
		const ticks = 800 + Math.round(60 * Math.sin(sent.length / 3));
		sent.push((ticks * 1000) / 1024);
		await strap.notifyHeartRate([0x16, 75, ticks & 0xff, ticks >> 8]);
		await page.clock.runFor(Math.round((ticks * 1000) / 1024));
	}
}

/** What a saved session's page shows: its figures, as the analysis computes them now. */
async function sessionFigures(page: Page, id: string): Promise<string> {
	await page.goto(new URL(`/sessions/${id}`, baseUrl()).href);
	await expect.poll(() => page.getByRole('table').count()).toBeGreaterThan(0);
	return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

const rr = (k: number) =>
	Array.from({ length: 400 }, (_, i) => String(Math.round(820 + k * 15 + 45 * Math.sin(i / 3))));

describe('a full disk loses nothing', () => {
	it('tells at once, holds the beats, writes them all when space is freed, and damages nothing', async () => {
		const { browser, context } = chromium;
		const page = await context.newPage();
		await page.setViewportSize(DESKTOP);
		trackPageErrors(page);
		await page.clock.install({ time: new Date(2026, 11, 5, 7, 0) });

		// Two sessions stored before the disk fills.
		const earlier = [
			await importRrText(page, baseUrl(), 'morning.txt', rr(0).join('\n')),
			await importRrText(page, baseUrl(), 'evening.txt', rr(1).join('\n'))
		];
		const storedBefore = {
			rows: await savedSessions(page),
			rr: await Promise.all(earlier.map((id) => savedRrMs(page, id)))
		};
		const figuresBefore = [];
		for (const id of earlier) figuresBefore.push(await sessionFigures(page, id));
		expect(figuresBefore[0]).toMatch(/400 beats/);

		await page.goto(baseUrl());
		// From here time moves only as the test says (beats' arrival times are exact).
		await page.clock.pauseAt(new Date(2026, 11, 5, 8, 0));
		const strap = await EmulatedStrap.attach(browser, page, { name: 'Polar H10' });
		await page.getByRole('button', { name: 'Connect strap' }).click();
		await expect
			.poll(() => page.getByRole('status', { name: 'Connection' }).textContent())
			.toBe('Connected');
		await page.getByRole('button', { name: 'Start session' }).click();
		const sent: number[] = [];
		await sendBeats(page, strap, 40, sent);
		const sessionId = (await savedSessions(page)).find((s) => s.status === 'recording')!.id;

		// The disk fills mid-session.
		const filler = await fillDisk(page);
		const savedAtFill = (await savedRrMs(page, sessionId)).length;
		// Told at the first refused write: the next flush, within 5 s (7 beats).
		const alert = page.getByRole('alert').filter({ hasText: 'storage for Settle is full' });
		await sendBeats(page, strap, 7, sent);
		await expect.poll(() => alert.count()).toBe(1);
		await sendBeats(page, strap, 80, sent);
		const text = (await alert.innerText()).replace(/\s+/g, ' ');
		expect(text).toMatch(/new beats cannot be saved/);
		expect(text).toMatch(
			/Recording goes on\. The beats not yet saved \(\d+ beats so far\) wait in this tab's memory, which has room for \d+ h \d\d min more at your heart rate now \(75 bpm\)/
		);
		expect(text).toMatch(/Keep this tab open/);
		expect(text).toMatch(/Free space on this device/);
		expect(text).toMatch(/Download a backup \(Your data\), then delete sessions/);
		await screenshot(page, 'full-disk-recording-desktop');
		await page.setViewportSize(PHONE);
		await screenshot(page, 'full-disk-recording-phone');
		await page.setViewportSize(DESKTOP);
		// Nothing written since the disk filled; nothing lost either (it is all held).
		expect((await savedRrMs(page, sessionId)).length).toBe(savedAtFill);
		console.log(
			`quota ${quota.bytes} B, ${filler} B of it filled; ${savedAtFill} beats saved before the disk filled, ${sent.length - savedAtFill} held`
		);

		// An import meanwhile, in another tab: refused in words, nothing of it written.
		const other = await context.newPage();
		await other.setViewportSize(DESKTOP);
		await other.goto(new URL('/settings', baseUrl()).href);
		await other.getByLabel('Import RR file').setInputFiles({
			name: 'later.txt',
			mimeType: 'text/plain',
			buffer: Buffer.from(rr(2).join('\n'))
		});
		await expect
			.poll(
				() => other.getByText(/The browser's storage is full: free space on this device/).count(),
				// The import reads the file and summarises it in a worker first: seconds when busy.
				{ timeout: 20_000 }
			)
			.toBeGreaterThan(0);
		await screenshot(other, 'full-disk-import-desktop');
		expect((await savedSessions(other)).map((s) => s.id).sort()).toEqual(
			[...earlier, sessionId].sort()
		);
		await other.close();

		// Space is freed: the held beats are written at the next flush.
		await quota.free();
		await sendBeats(page, strap, 7, sent);
		await expect.poll(() => alert.count()).toBe(0);
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'Storage has room again' }).count())
			.toBe(1);
		expect(await savedRrMs(page, sessionId)).toEqual(
			sent.slice(0, (await savedRrMs(page, sessionId)).length)
		);
		expect((await savedRrMs(page, sessionId)).length).toBeGreaterThan(sent.length - 8);

		// Full again at Stop: the session waits, unsaved, and says so.
		await sendBeats(page, strap, 20, sent);
		await fillDisk(page);
		await sendBeats(page, strap, 10, sent);
		await page.getByRole('button', { name: 'Stop' }).click();
		const waiting = page.getByRole('alert').filter({ hasText: 'your session is not saved yet' });
		await expect.poll(() => waiting.count()).toBe(1);
		await page.clock.runFor(20_000);
		expect(await page.getByRole('button', { name: "I'm up" }).isDisabled()).toBe(true);
		expect((await savedSessions(page)).find((s) => s.id === sessionId)?.status).toBe('recording');
		// This tab still holds the recording lock: it is not "another tab recording".
		expect(await page.getByText('Settle is recording in another tab').count()).toBe(0);
		await screenshot(page, 'full-disk-stopped-desktop');
		await quota.free();
		await page.clock.runFor(6_000);
		await expect.poll(() => page.getByRole('button', { name: "I'm up" }).isDisabled()).toBe(false);
		const session = (await savedSessions(page)).find((s) => s.id === sessionId)!;
		expect(session.status).toBe('finished');
		// Every beat the strap sent is stored, in order.
		expect(session.beatCount).toBe(sent.length);
		expect(await savedRrMs(page, sessionId)).toEqual(sent);

		// A note refused on a full disk: said in words, kept in the form, saved once there is room.
		await fillDisk(page);
		await page.getByRole('button', { name: "I'm up" }).click();
		await page.getByLabel('Anything that came up?').fill('Hips let go.');
		await page.getByRole('button', { name: 'Save and see summary' }).click();
		await expect
			.poll(() =>
				page.getByRole('alert').filter({ hasText: 'could not be saved: this browser' }).count()
			)
			.toBe(1);
		await screenshot(page, 'full-disk-note-desktop');
		await quota.free();
		await page.getByRole('button', { name: 'Save and see summary' }).click();
		await expect.poll(() => page.getByText('Settled level').count()).toBe(1);
		const noted = (await savedSessions(page)).find((s) => s.id === sessionId) as unknown as {
			note?: string;
		};
		expect(noted.note).toBe('Hips let go.');

		// The sessions stored before: the same rows and beats, the same figures.
		await page.clock.resume();
		const rowsAfter = (await savedSessions(page)).filter((s) => earlier.includes(s.id));
		expect(rowsAfter).toEqual(storedBefore.rows);
		expect(await Promise.all(earlier.map((id) => savedRrMs(page, id)))).toEqual(storedBefore.rr);
		for (const [i, id] of earlier.entries()) {
			expect(await sessionFigures(page, id)).toBe(figuresBefore[i]);
		}
		expect(pageErrors(page)).toEqual([]);
		await strap.dispose();
	});

	it('starts a session on a full disk: told at once, the session written once there is room', async () => {
		const { browser, context } = chromium;
		const page = await context.newPage();
		await page.setViewportSize(DESKTOP);
		trackPageErrors(page);
		// The context's clock, installed by the test before: paused again, later in the day.
		await page.goto(baseUrl());
		await page.clock.pauseAt(new Date(2026, 11, 5, 12, 0));
		const strap = await EmulatedStrap.attach(browser, page, { name: 'Polar H10' });
		await page.getByRole('button', { name: 'Connect strap' }).click();
		await expect
			.poll(() => page.getByRole('status', { name: 'Connection' }).textContent())
			.toBe('Connected');
		const before = await savedSessions(page);
		await fillDisk(page);
		await page.getByRole('button', { name: 'Start session' }).click();
		// At once: before any beat, the session's own row was refused.
		const alert = page.getByRole('alert').filter({ hasText: 'storage for Settle is full' });
		await expect.poll(() => alert.count()).toBe(1);
		const sent: number[] = [];
		await sendBeats(page, strap, 60, sent);
		expect(await savedSessions(page)).toEqual(before);
		await quota.free();
		await sendBeats(page, strap, 7, sent);
		await expect.poll(() => alert.count()).toBe(0);
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(async () => (await savedSessions(page)).length).toBe(before.length + 1);
		const known = new Set(before.map((s) => s.id));
		const session = (await savedSessions(page)).find((s) => !known.has(s.id))!;
		await expect
			.poll(async () => (await savedSessions(page)).find((s) => s.id === session.id)?.status)
			.toBe('finished');
		expect(await savedRrMs(page, session.id)).toEqual(sent);
		expect(pageErrors(page)).toEqual([]);
		await strap.dispose();
	});
});
