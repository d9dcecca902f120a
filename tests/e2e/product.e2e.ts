import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, baseUrl, launch, pageErrors, trackPageErrors } from './fixtures/browser';
import { axeViolations } from './fixtures/axe';
import { savedSessions } from './fixtures/saved-beats';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

async function recordDemoSession(page: Page, seconds: number): Promise<void> {
	await page.getByRole('button', { name: 'Use demo strap' }).click();
	await page.clock.runFor(2000);
	await page.getByRole('button', { name: 'Start session' }).click();
	for (let s = 0; s < seconds; s += 5) await page.clock.runFor(5000);
	await page.getByRole('button', { name: 'Stop' }).click();
	await expect
		.poll(async () => (await savedSessions(page)).some((s) => s.status === 'finished'))
		.toBe(true);
}

describe('private, offline, accessible', () => {
	it('sends no request to any other origin during a whole session', async () => {
		const context = await browser.newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		const origins = new Set<string>();
		context.on('request', (r) => origins.add(new URL(r.url()).origin));
		await page.clock.install();
		await page.goto(baseUrl());
		await recordDemoSession(page, 90);
		await page.getByRole('button', { name: "I'm up" }).click();
		await page.getByRole('button', { name: 'Save and see summary' }).click();
		for (const link of await page.getByRole('navigation').getByRole('link').all()) {
			await link.click();
			await page.waitForLoadState('networkidle');
		}
		const own = new URL(baseUrl()).origin;
		expect([...origins].filter((o) => o !== own && !o.startsWith('data:') && o !== 'null')).toEqual(
			[]
		);
		await context.close();
	});

	it('opens and records with no network after the first visit', async () => {
		const context = await browser.newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.goto(baseUrl());
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await context.setOffline(true);
		await page.reload();
		await page.goto(new URL('/sessions', baseUrl()).href);
		await expect.poll(() => page.getByRole('heading', { name: 'Sessions' }).count()).toBe(1);
		await page.getByRole('link', { name: 'Practise' }).click();
		await page.clock.install();
		await recordDemoSession(page, 30);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('has no WCAG 2.2 AA violations on any page, in light and dark', async () => {
		for (const scheme of ['light', 'dark'] as const) {
			const context = await browser.newContext({ viewport: DESKTOP, colorScheme: scheme });
			const page = await context.newPage();
			await page.clock.install();
			await page.goto(baseUrl());
			expect(await axeViolations(page), `home (${scheme})`).toEqual([]);
			await page.getByRole('button', { name: 'Use demo strap' }).click();
			await page.clock.runFor(2000);
			expect(await axeViolations(page), `connected (${scheme})`).toEqual([]);
			await page.getByRole('button', { name: 'Guide me into position' }).click();
			expect(await axeViolations(page), `setup (${scheme})`).toEqual([]);
			await page.getByRole('button', { name: 'Back' }).click();
			await page.getByRole('button', { name: 'Start session' }).click();
			await page.clock.runFor(60_000);
			expect(await axeViolations(page), `live (${scheme})`).toEqual([]);
			await page.getByRole('button', { name: 'Stop' }).click();
			expect(await axeViolations(page), `come up (${scheme})`).toEqual([]);
			await page.getByRole('button', { name: "I'm up" }).click();
			expect(await axeViolations(page), `report (${scheme})`).toEqual([]);
			await page.getByRole('button', { name: 'Save and see summary' }).click();
			await expect.poll(() => page.getByText('Relaxation score').count()).toBe(1);
			expect(await axeViolations(page), `summary (${scheme})`).toEqual([]);
			const hrefs = await page
				.getByRole('navigation')
				.getByRole('link')
				.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
			for (const path of hrefs) {
				await page.goto(new URL(path, baseUrl()).href);
				await page.waitForLoadState('networkidle');
				expect(await axeViolations(page), `${path} (${scheme})`).toEqual([]);
			}
			await context.close();
		}
	});
});
