import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
	DESKTOP,
	baseUrl,
	useBrowser,
	pageErrors,
	screenshot,
	trackPageErrors
} from './fixtures/browser';
import { axeViolations } from './fixtures/axe';
import { savedSessions } from './fixtures/saved-beats';
import { tabTo } from './fixtures/keyboard';
import { serveBuildCopy } from './fixtures/static-server';
import { chartsScriptFile } from './fixtures/built-files';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const browser = useBrowser();

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
		const context = await browser().newContext({ viewport: DESKTOP });
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

	it('allows its inline scripts by hash in the Content-Security-Policy, and no other inline script', () => {
		const html = readFileSync('build/index.html', 'utf8');
		const policy = /http-equiv="content-security-policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
		const scriptSrc = policy
			.split(';')
			.map((d) => d.trim().split(' '))
			.find(([name]) => name === 'script-src');
		// Ours (the theme and the early read of History and Compare; History's picture) and
		// SvelteKit's start.
		const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
			([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`
		);
		expect(inline).toHaveLength(3);
		expect(scriptSrc?.slice(1).sort()).toEqual(["'self'", ...inline].sort());
	});

	it('marks the code that runs as a page opens (and Chart.js, a classic script) for compiling while it loads, not the database library', () => {
		const manifest = JSON.parse(
			readFileSync('.svelte-kit/output/client/.vite/manifest.json', 'utf8')
		) as Record<string, { file: string; src?: string }>;
		const built = (file: string) => readFileSync(join('build', file), 'utf8');
		const hinted = (file: string) => built(file).startsWith('//# allFunctionsCalledOnLoad\n');
		const entries = Object.entries(manifest);
		const charts = chartsScriptFile();
		const files = [...new Set(entries.map(([, e]) => e.file))].filter((f) => f.endsWith('.js'));
		const historyPage = files.filter((f) => f.includes('/nodes/') && built(f).includes('History'));
		const dexie = files.filter((f) => built(f).includes('semVer'));
		expect(hinted(charts)).toBe(true);
		expect(historyPage.length).toBeGreaterThan(0);
		expect(historyPage.every(hinted)).toBe(true);
		expect(dexie).toHaveLength(1);
		expect(hinted(dexie[0])).toBe(false);
	});

	it('opens and records with no network after the first visit', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
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
		// The built files come from the cache by the worker's static routes, without its fetch
		// handler (Chromium's Service Worker Static Routing API).
		const sources = await page.evaluate(() =>
			performance
				.getEntriesByType('resource')
				.filter((e) => e.name.includes('/_app/immutable/'))
				.map(
					(e) =>
						(e as PerformanceEntry & { workerMatchedSourceType?: string }).workerMatchedSourceType
				)
		);
		expect(sources.length).toBeGreaterThan(5);
		expect(new Set(sources)).toEqual(new Set(['cache']));
		await page.getByRole('link', { name: 'Practise' }).click();
		await page.clock.install();
		await recordDemoSession(page, 30);
		// A link two levels deep, typed in offline: the one cached page loads the app there too.
		const [saved] = await savedSessions(page);
		await page.goto(new URL(`/sessions/${saved.id}`, baseUrl()).href);
		await expect
			.poll(() => page.getByRole('button', { name: 'Delete this session' }).count())
			.toBe(1);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('has no WCAG 2.2 AA violations on any page, in light and dark', async () => {
		for (const scheme of ['light', 'dark'] as const) {
			const context = await browser().newContext({ viewport: DESKTOP, colorScheme: scheme });
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
			await expect.poll(() => page.getByText('Settled level').count()).toBe(1);
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

	it('runs a whole practice from the keyboard, announcing what matters, not every beat', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.clock.install();
		await page.goto(baseUrl());

		await tabTo(page, /^Use demo strap$/);
		await page.keyboard.press('Enter');
		await page.clock.runFor(2000);
		await tabTo(page, /^before a routine$|^just a session$/);
		// Arrow keys move within the radio group.
		await page.keyboard.press('ArrowRight');
		await tabTo(page, /^Start session$/);
		await page.keyboard.press('Enter');
		await expect.poll(() => page.getByRole('button', { name: 'Stop' }).count()).toBe(1);

		// Count what a screen reader would hear from the live region over a minute of beats.
		await page.evaluate(() => {
			const region = document.querySelector('[aria-live="polite"]');
			const w = window as unknown as { announced: string[] };
			w.announced = [];
			if (region)
				new MutationObserver(() => w.announced.push(region.textContent ?? '')).observe(region, {
					childList: true,
					characterData: true,
					subtree: true
				});
		});
		const beatsBefore = await page.evaluate(
			() => (globalThis as unknown as { settleBeatCost: { beats: number } }).settleBeatCost.beats
		);
		for (let s = 0; s < 60; s += 5) await page.clock.runFor(5000);
		const beats =
			(await page.evaluate(
				() => (globalThis as unknown as { settleBeatCost: { beats: number } }).settleBeatCost.beats
			)) - beatsBefore;
		const announced = await page.evaluate(
			() => (window as unknown as { announced: string[] }).announced
		);
		expect(beats).toBeGreaterThan(50);
		// Settling in → Resting: one change in a minute, not one per beat.
		expect(announced.length).toBeLessThanOrEqual(2);

		await tabTo(page, /^Stop$/);
		await page.keyboard.press('Enter');
		await tabTo(page, /^I'm up$/);
		await page.keyboard.press('Enter');
		await tabTo(page, /^Save and see summary$/);
		await page.keyboard.press('Enter');
		await expect.poll(() => page.getByText('Settled level').count()).toBe(1);
		const [saved] = await savedSessions(page);
		expect(saved).toMatchObject({ status: 'finished', phase: 'before' });
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('offers a new version when one is deployed, and never in the middle of a recording', async () => {
		const site = await serveBuildCopy();
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.goto(site.url);
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		// Controlled by the installed worker from the next load on.
		await page.reload();
		await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
		await page.getByRole('button', { name: 'Use demo strap' }).click();
		await page.getByRole('button', { name: 'Start session' }).click();

		// Deploy: any change to the worker is a new version.
		const worker = join(site.dir, 'service-worker.js');
		writeFileSync(worker, `${readFileSync(worker, 'utf8')}\n// next version\n`);
		await page.evaluate(async () => {
			await (await navigator.serviceWorker.getRegistration())?.update();
		});
		const banner = page
			.getByRole('status')
			.filter({ hasText: 'A new version of Settle is ready.' });
		// The new worker first fetches and keeps every file of the app: seconds on a busy machine.
		await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(1);
		const later = banner.getByRole('button', { name: 'Update after this session' });
		expect(await later.isDisabled()).toBe(true);
		await screenshot(page, 'update-offered-desktop');

		// Not while coming up and reporting either: a reload would lose the unsaved self-report.
		await page.getByRole('button', { name: 'Stop' }).click();
		await page.getByRole('button', { name: "I'm up" }).click();
		expect(await later.isDisabled()).toBe(true);
		await page.getByRole('button', { name: 'Save and see summary' }).click();
		await expect.poll(() => banner.getByRole('button', { name: 'Update now' }).count()).toBe(1);
		await Promise.all([
			page.waitForEvent('load'),
			banner.getByRole('button', { name: 'Update now' }).click()
		]);
		await expect.poll(() => banner.count()).toBe(0);
		expect(
			await page.evaluate(async () => !(await navigator.serviceWorker.getRegistration())?.waiting)
		).toBe(true);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
		site.close();
	});
});
