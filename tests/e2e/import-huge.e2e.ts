/**
 * Issue 34: a 50 MiB file of ten million intervals on one line (3,011 hours of "recording") chosen
 * on "Your data". It is refused, saying how long it would be and what Settle imports; nothing is
 * stored; the page is never blocked for 200 ms or more while it is read (every long task the
 * browser reports is timed); and Cancel, pressed while it is read, answers at once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, baseUrl, pageErrors, trackPageErrors, useBrowser } from './fixtures/browser';
import { savedSessions } from './fixtures/saved-beats';
import { oneLineHours, oneLineOfIntervals } from './fixtures/import-files/huge';

const browser = useBrowser();
const dir = mkdtempSync(join(tmpdir(), 'settle-huge-'));
const NAME = 'ten-million-on-one-line.txt';
const FILE = join(dir, NAME);
writeFileSync(FILE, oneLineOfIntervals());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BLOCK_LIMIT_MS = 200;

/** Long tasks the browser reports (over 50 ms), from the page's start. */
async function observeLongTasks(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const w = window as unknown as { longTasks: { start: number; duration: number }[] };
		w.longTasks = [];
		new PerformanceObserver((list) => {
			for (const e of list.getEntries())
				w.longTasks.push({ start: e.startTime, duration: e.duration });
		}).observe({ type: 'longtask', buffered: true });
	});
}

/** The longest long task that ended after `since` (page time), 0 when there was none. */
function longestSince(page: Page, since: number): Promise<number> {
	return page.evaluate((since) => {
		const w = window as unknown as { longTasks: { start: number; duration: number }[] };
		const tasks = w.longTasks.filter((t) => t.start + t.duration > since);
		return Math.max(0, ...tasks.map((t) => t.duration));
	}, since);
}

/** Beat chunks stored, by the raw IndexedDB API (0 when the database has none). */
function storedChunks(page: Page): Promise<number> {
	return page.evaluate(
		() =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open('settle');
				open.onupgradeneeded = () => open.transaction?.abort();
				open.onerror = () => (open.error?.name === 'AbortError' ? resolve(0) : reject(open.error));
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('beatChunks')) {
						db.close();
						resolve(0);
						return;
					}
					const req = db.transaction('beatChunks').objectStore('beatChunks').count();
					req.onsuccess = () => {
						db.close();
						resolve(req.result);
					};
					req.onerror = () => reject(req.error);
				};
			})
	);
}

describe('a 50 MiB file of ten million intervals on one line', () => {
	it('is refused saying why, stores nothing, never blocks the page, and can be cancelled', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await observeLongTasks(page);
		await page.goto(new URL('/settings', baseUrl()).href);
		await page.getByRole('heading', { name: 'Your data' }).waitFor();
		await page.waitForLoadState('networkidle');

		// Chosen and left to run: refused, saying how long it would be and the limit.
		const t0 = await page.evaluate(() => performance.now());
		await page.getByLabel('Import RR file').setInputFiles(FILE);
		const hours = Math.round(oneLineHours()).toLocaleString('en');
		await expect
			.poll(() => page.getByRole('alert').textContent(), { timeout: 60_000 })
			.toContain(
				`${NAME} was not imported: it would be a recording ${hours} hours (125 days) long (10,000,000 intervals); Settle imports recordings of up to 48 hours: split the file into parts of 48 hours or less.`
			);
		const refusedMs = (await page.evaluate(() => performance.now())) - t0;
		const longest = await longestSince(page, t0);
		console.log(
			`Refused after ${refusedMs.toFixed(0)} ms; longest task meanwhile ${longest.toFixed(0)} ms`
		);
		expect(longest).toBeLessThan(BLOCK_LIMIT_MS);
		expect(await savedSessions(page)).toEqual([]);
		expect(await storedChunks(page)).toBe(0);

		// Chosen again and cancelled while it is read: Cancel answers within a slice.
		const t1 = await page.evaluate(() => performance.now());
		await page.getByLabel('Import RR file').setInputFiles(FILE);
		const cancel = page.getByRole('button', { name: 'Cancel import' });
		await cancel.waitFor();
		await page.evaluate(() => {
			const w = window as unknown as { cancelClickedAt?: number };
			document.addEventListener('click', () => (w.cancelClickedAt ??= performance.now()), {
				capture: true
			});
		});
		await cancel.click();
		const answered = await page.waitForFunction(
			() => {
				const w = window as unknown as { cancelClickedAt?: number };
				const done = [...document.querySelectorAll('[role=status]')].some((s) =>
					s.textContent?.includes('Import cancelled: 1 file not read.')
				);
				return done && w.cancelClickedAt !== undefined
					? performance.now() - w.cancelClickedAt
					: false;
			},
			null,
			{ polling: 'raf', timeout: 10_000 }
		);
		const answeredMs = (await answered.jsonValue()) as number;
		const longestCancelled = await longestSince(page, t1);
		console.log(
			`Cancel answered after ${answeredMs.toFixed(0)} ms; longest task meanwhile ${longestCancelled.toFixed(0)} ms`
		);
		expect(answeredMs).toBeLessThan(500);
		expect(longestCancelled).toBeLessThan(BLOCK_LIMIT_MS);
		expect(await page.getByRole('button', { name: 'Cancel import' }).count()).toBe(0);
		expect(await savedSessions(page)).toEqual([]);
		expect(await storedChunks(page)).toBe(0);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
