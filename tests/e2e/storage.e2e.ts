import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, baseUrl, useBrowser, screenshot } from './fixtures/browser';
import { savedSessions } from './fixtures/saved-beats';

const browser = useBrowser();

async function demoSession(page: Page, seconds: number, stop = true): Promise<void> {
	await page.getByRole('button', { name: 'Use demo strap' }).click();
	await page.clock.runFor(2000);
	await page.getByRole('button', { name: 'Start session' }).click();
	for (let s = 0; s < seconds; s += 1) await page.clock.runFor(1000);
	if (!stop) return;
	await page.getByRole('button', { name: 'Stop' }).click();
	await expect
		.poll(async () => (await savedSessions(page)).some((s) => s.status === 'finished'))
		.toBe(true);
}

describe('storage that loses nothing', () => {
	it('recovers a session after the tab is killed, missing at most 5 s', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		await page.clock.install();
		await page.goto(baseUrl());
		await demoSession(page, 62, false);
		const handled = await page.evaluate(
			() => (globalThis as unknown as { settleBeatCost: { beats: number } }).settleBeatCost.beats
		);
		// Page.crash never answers (the renderer dies first): wait for the crash event instead.
		const cdp = await context.newCDPSession(page);
		const crashed = page.waitForEvent('crash');
		void cdp.send('Page.crash').catch(() => undefined);
		await crashed;

		const again = await context.newPage();
		await again.goto(baseUrl());
		await expect
			.poll(() => again.getByRole('region', { name: 'Interrupted session' }).count())
			.toBe(1);
		await screenshot(again, 'recovery-desktop');
		await again.getByRole('button', { name: 'Finish and save it' }).click();
		await expect.poll(async () => (await savedSessions(again))[0]?.status).toBe('finished');
		const [saved] = await savedSessions(again);
		// About 0.8 beats a second: 5 s is at most 7 beats.
		expect(handled - saved.beatCount).toBeLessThanOrEqual(7);
		expect(saved.beatCount).toBeGreaterThan(50);
		await context.close();
	});

	it('refuses each malformed import with its line and reason and changes nothing', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		await page.goto(new URL('/settings', baseUrl()).href);
		const cases: [string, string, RegExp][] = [
			['empty.txt', '', /no RR values/],
			['letters.txt', '800\n81o\n820\n', /line 2: "81o" is not a number/],
			['no-column.csv', 'time,hr\n1,70\n2,71\n', /line 1: no RR column/],
			['huge.txt', '800\n810\n99999\n', /line 3: 99999 ms is not a plausible RR interval/],
			['gap.csv', 'rr,hr\n800,70\n,71\n', /line 3: the RR value is missing/]
		];
		for (const [name, text, message] of cases) {
			await page
				.getByLabel('Import RR file')
				.setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
			await expect.poll(() => page.getByRole('alert').textContent()).toMatch(message);
		}
		await screenshot(page, 'import-refused-desktop');
		expect(await savedSessions(page)).toEqual([]);
		const good = Array.from({ length: 200 }, (_, i) => String(800 + (i % 9) * 5)).join('\n');
		await page
			.getByLabel('Import RR file')
			.setInputFiles({ name: 'good.txt', mimeType: 'text/plain', buffer: Buffer.from(good) });
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'Imported' }).count())
			.toBe(1);
		expect((await savedSessions(page)).map((s) => s.beatCount)).toEqual([200]);
		await context.close();
	});

	it('restores a downloaded backup into a fresh browser, exactly', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'settle-backup-'));
		const first = await browser().newContext({ viewport: DESKTOP, acceptDownloads: true });
		const page = await first.newPage();
		await page.clock.install();
		await page.goto(baseUrl());
		await demoSession(page, 40);
		const before = await savedSessions(page);
		await page.goto(new URL('/settings', baseUrl()).href);
		const [dl] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Download backup' }).click()
		]);
		const file = join(dir, dl.suggestedFilename());
		await dl.saveAs(file);
		await screenshot(page, 'settings-desktop');
		await page.setViewportSize(PHONE);
		await screenshot(page, 'settings-phone');
		await first.close();

		const fresh = await browser().newContext({ viewport: DESKTOP });
		const p2 = await fresh.newPage();
		await p2.goto(new URL('/settings', baseUrl()).href);
		expect(await savedSessions(p2)).toEqual([]);
		await p2.getByLabel('Restore a backup').setInputFiles(file);
		await expect.poll(() => p2.getByText('Backup restored: 1 sessions in total.').count()).toBe(1);
		expect(await savedSessions(p2)).toEqual(before);
		await p2.getByRole('link', { name: 'Sessions' }).click();
		await expect.poll(() => p2.getByRole('row').count()).toBe(2);
		await fresh.close();
	});

	it('opens with a damaged record named, the rest listed, and removes it on request', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		await page.goto(new URL('/settings', baseUrl()).href);
		// Two different recordings: the same one twice would be skipped as already imported.
		for (const [k, name] of ['a.txt', 'b.txt'].entries()) {
			const rr = Array.from({ length: 120 }, (_, i) => String(800 + k + (i % 7) * 10)).join('\n');
			await page
				.getByLabel('Import RR file')
				.setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(rr) });
			await expect.poll(() => page.getByText(`Imported ${name}`).count()).toBe(1);
		}
		// A record as a disk error might leave it, written past the app.
		await page.evaluate(
			() =>
				new Promise<void>((resolve, reject) => {
					const open = indexedDB.open('settle');
					open.onsuccess = () => {
						const tx = open.result.transaction('sessions', 'readwrite');
						tx.objectStore('sessions').put({ id: 'broken', status: 'finished', startedAt: null });
						tx.oncomplete = () => {
							open.result.close();
							resolve();
						};
						tx.onerror = () => reject(tx.error);
					};
				})
		);
		await page.goto(new URL('/sessions', baseUrl()).href);
		await expect
			.poll(() => page.getByRole('alert').textContent())
			.toMatch(/One saved session is damaged/);
		await expect
			.poll(() => page.getByRole('alert').textContent())
			.toMatch(/broken: no valid start time/);
		expect(await page.getByRole('row').count()).toBe(3);
		await screenshot(page, 'damaged-record-desktop');
		await page.getByRole('link', { name: 'Your data' }).first().click();
		await page.getByRole('button', { name: 'Remove damaged records' }).click();
		await expect.poll(() => page.getByText('Removed 1 damaged record.').count()).toBe(1);
		expect((await savedSessions(page)).map((s) => s.id)).not.toContain('broken');
		expect(await savedSessions(page)).toHaveLength(2);
		await context.close();
	});

	it('records in one tab at a time; the other says so and loses nothing', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const first = await context.newPage();
		await first.clock.install();
		await first.goto(baseUrl());
		await demoSession(first, 20, false);

		const second = await context.newPage();
		await second.clock.install();
		await second.goto(baseUrl());
		await expect.poll(() => second.getByText('Settle is recording in another tab').count()).toBe(1);
		// The running recording is not offered as an interrupted one.
		expect(await second.getByRole('region', { name: 'Interrupted session' }).count()).toBe(0);
		await second.getByRole('button', { name: 'Use demo strap' }).click();
		await second.clock.runFor(2000);
		await second.getByRole('button', { name: 'Start session' }).click();
		await expect
			.poll(() => second.getByRole('alert').textContent())
			.toMatch(/Another Settle tab is recording/);
		await screenshot(second, 'second-tab-desktop');

		await first.bringToFront();
		for (let i = 0; i < 10; i++) await first.clock.runFor(1000);
		await first.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(() => second.getByText('Settle is recording in another tab').count()).toBe(0);
		const saved = await savedSessions(first);
		expect(saved).toHaveLength(1);
		expect(saved[0].beatCount).toBeGreaterThan(20);
		await context.close();
	});
});
