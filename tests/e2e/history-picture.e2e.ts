/**
 * History in a new tab starts from a picture of the page as the person last left it
 * (src/lib/review/history-picture.ts, drawn by the inline script in src/app.html), before the
 * app's code has loaded; the live page replaces it once its charts are drawn.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import {
	DESKTOP,
	PHONE,
	baseUrl,
	pageErrors,
	screenshot,
	trackPageErrors,
	useBrowser
} from './fixtures/browser';
import { PICTURE_ID, PICTURE_KEY, PICTURE_SHOWN } from '../../src/lib/review/history-picture';
import { CHART_SHOWN } from '../../src/lib/components/charts/chart-shown';
import { practiceHistory, seedSessions, untilReanalysed } from './fixtures/seed';

const browser = useBrowser();

const drawn = (page: Page) =>
	page.waitForFunction(() => document.querySelectorAll('[data-drawn]').length >= 3, null, {
		timeout: 20_000
	});

const picture = (page: Page) => page.evaluate((id) => !!document.getElementById(id), PICTURE_ID);

/** The picture kept in the page's storage, or null. */
const keptPicture = (page: Page) => page.evaluate((key) => localStorage.getItem(key), PICTURE_KEY);

/** In a page: when it showed the picture, and its first live chart (ms), where it did. */
const times = (page: Page) =>
	page.evaluate(
		([picture, chart]) => ({
			picture: performance.getEntriesByName(picture)[0]?.startTime,
			chart: performance.getEntriesByName(chart)[0]?.startTime
		}),
		[PICTURE_SHOWN, CHART_SHOWN]
	);

/** A new context's page on History with `count` sessions stored, its charts drawn. */
async function historyWith(
	count: number,
	options: BrowserContextOptions = { viewport: DESKTOP }
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser().newContext(options);
	const page = await context.newPage();
	await page.goto(new URL('/sessions', baseUrl()).href);
	await page.getByRole('heading', { name: 'Sessions' }).waitFor();
	await seedSessions(page, practiceHistory(count));
	await page.goto(new URL('/history', baseUrl()).href);
	// The seeded sessions are re-analysed and written again: the page is drawn anew after that.
	await untilReanalysed(page);
	await drawn(page);
	return { context, page };
}

describe('History in a new tab', () => {
	it('shows the picture of the page as it was left, then the live page in its place', async () => {
		const { context, page: setup } = await historyWith(90);
		const count = await setup.locator('.count').textContent();
		// Leaving the page keeps its picture.
		await setup.getByRole('link', { name: 'Sessions' }).click();
		await setup.getByRole('heading', { name: 'Sessions' }).waitFor();
		const kept = (await keptPicture(setup)) ?? '';
		expect(kept.length).toBeGreaterThan(10_000);
		console.log(`picture of History: ${(kept.length / 1024).toFixed(0)} K characters`);

		// What the picture shows, looked at on its own.
		const look = await context.newPage();
		await look.evaluate((picture: { host: string; doc: string }) => {
			const host = document.createElement('div');
			host.setAttribute('style', picture.host);
			host.attachShadow({ mode: 'closed' }).innerHTML = picture.doc;
			document.body.style.margin = '0';
			document.body.append(host);
		}, JSON.parse(kept));
		await screenshot(look, 'history-picture-desktop');
		await look.close();

		// A new tab: the picture first (drawn before the app's code runs), then the live page in
		// its place once its charts are drawn.
		const tab = await context.newPage();
		trackPageErrors(tab);
		await tab.goto(new URL('/history', baseUrl()).href);
		await drawn(tab);
		await expect.poll(() => picture(tab)).toBe(false);
		const shown = await times(tab);
		expect(shown.picture).toBeDefined();
		expect(shown.picture!).toBeLessThan(shown.chart!);
		console.log(
			`picture shown ${shown.picture!.toFixed(0)} ms, first live chart ${shown.chart!.toFixed(0)} ms after navigation start`
		);
		expect(await tab.locator('.count').textContent()).toBe(count);
		expect(pageErrors(tab)).toEqual([]);

		// Another window width would show another layout: no picture there.
		const narrow = await context.newPage();
		await narrow.setViewportSize({ width: DESKTOP.width - 200, height: DESKTOP.height });
		await narrow.goto(new URL('/history', baseUrl()).href);
		await drawn(narrow);
		expect((await times(narrow)).picture).toBeUndefined();

		// Deleting everything forgets it: the next tab shows no deleted session, even as a picture.
		await setup.goto(new URL('/settings', baseUrl()).href);
		await setup.getByLabel('Type DELETE to confirm').fill('DELETE');
		await setup.getByRole('button', { name: 'Delete all my sessions' }).click();
		await setup.getByText('Every session and experiment was deleted.').waitFor();
		expect(await keptPicture(setup)).toBeNull();
		await context.close();
	});

	it('keeps a dark phone page as dark when the tab leaves the app, and shows it in the next tab', async () => {
		const { context, page } = await historyWith(30, { viewport: PHONE, colorScheme: 'dark' });
		// Leaving the document (another address typed, the tab closed): as it unloads, Chromium
		// answers the colour-scheme query as light, and a picture taken then was never shown.
		await page.goto(new URL('/robots.txt', baseUrl()).href);
		const kept = JSON.parse((await keptPicture(page)) ?? 'null') as { dark: boolean } | null;
		expect(kept?.dark).toBe(true);
		const tab = await context.newPage();
		await tab.goto(new URL('/history', baseUrl()).href);
		await drawn(tab);
		expect((await times(tab)).picture).toBeDefined();
		await context.close();
	});

	it('keeps no picture of a filtered view, which a new tab would not open on', async () => {
		const { context, page } = await historyWith(30);
		await page.getByLabel('Period').selectOption({ label: '1 year' });
		await page.getByRole('link', { name: 'Sessions' }).click();
		await page.getByRole('heading', { name: 'Sessions' }).waitFor();
		expect(await keptPicture(page)).toBeNull();
		await context.close();
	});
});
