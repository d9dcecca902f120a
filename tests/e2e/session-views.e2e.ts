/**
 * Practise fetches its live view when a strap connects (src/lib/components/practice/
 * session-views.ts). When that fetch fails (offline before the app was kept), the session still
 * records, the page says so with a way to try again, and Stop is at hand: the live view holds the
 * only other Stop.
 */
import { describe, expect, it } from 'vitest';
import {
	DESKTOP,
	baseUrl,
	pageErrors,
	screenshot,
	trackPageErrors,
	useBrowser
} from './fixtures/browser';
import { builtChunk } from './fixtures/built-files';

const browser = useBrowser();

describe('the live view when its code does not arrive', () => {
	it('says so, records on, tries again on asking, and can stop the session', async () => {
		// No service worker: its cache would answer for the network.
		const context = await browser().newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
		const page = await context.newPage();
		trackPageErrors(page);
		const chunk = builtChunk('src/lib/components/practice/LiveDashboard.svelte');
		let offline = true;
		await page.route(`**/${chunk}`, (route) => (offline ? route.abort() : route.continue()));
		await page.goto(baseUrl());
		await page.getByRole('button', { name: 'Use demo strap' }).click();
		await page.getByRole('button', { name: 'Start session' }).click();

		const alert = page.getByRole('alert').filter({ hasText: 'The live view could not be loaded' });
		await alert.waitFor();
		expect(await alert.textContent()).toMatch(/Nothing recorded is lost/);
		await screenshot(page, 'session-view-not-loaded');

		offline = false;
		await alert.getByRole('button', { name: 'Try again' }).click();
		await page.getByRole('region', { name: 'Live session' }).waitFor();
		expect(await alert.count()).toBe(0);
		expect(pageErrors(page).filter((e) => !/LiveDashboard|dynamically imported/i.test(e))).toEqual(
			[]
		);
		await context.close();
	}, 60_000);

	it('offers Stop while the live view cannot load, and the session ends and is saved', async () => {
		const context = await browser().newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
		const page = await context.newPage();
		const chunk = builtChunk('src/lib/components/practice/LiveDashboard.svelte');
		await page.route(`**/${chunk}`, (route) => route.abort());
		await page.goto(baseUrl());
		await page.getByRole('button', { name: 'Use demo strap' }).click();
		await page.getByRole('button', { name: 'Start session' }).click();
		const alert = page.getByRole('alert').filter({ hasText: 'The live view could not be loaded' });
		await alert.getByRole('button', { name: 'Stop' }).click();
		// Come up slowly: the session has ended, and "I'm up" waits for it to be saved.
		await expect
			.poll(() => page.getByRole('button', { name: "I'm up" }).isEnabled(), { timeout: 10_000 })
			.toBe(true);
		await context.close();
	}, 60_000);
});
