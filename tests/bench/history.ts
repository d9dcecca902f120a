/**
 * How fast the history page draws with 2,000 sessions stored (target: under 300 ms from navigation
 * to all three trend charts drawn). Builds the app, serves it, fills a fresh browser's database
 * with 2,000 session rows, then opens /history as a person does (a click in the app's navigation)
 * and, for reference, as a cold load in a new tab.
 *
 *   npm run bench:history        (needs Chromium: /usr/bin/chromium or CHROMIUM_PATH)
 */
import type { Page } from 'playwright-core';
import { practiceHistory, seedSessions } from '../e2e/fixtures/seed';
import { startPreview } from '../e2e/fixtures/preview';
import { launch } from '../e2e/fixtures/browser';
import { buildApp, fmt, median } from './common';

const SESSIONS = 2000;
const RUNS = 5;
const TARGET_MS = 300;

buildApp();

async function drawn(page: Page): Promise<void> {
	await page.waitForFunction(() => document.querySelectorAll('[data-drawn]').length >= 3, null, {
		polling: 'raf'
	});
}

const { url, stop } = await startPreview();
const browser = await launch();
try {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 },
		serviceWorkers: process.env.BENCH_SW ? 'allow' : 'block'
	});
	const setup = await context.newPage();
	await setup.goto(new URL('/sessions', url).href);
	await setup.getByRole('heading', { name: 'Sessions' }).waitFor();
	await seedSessions(setup, practiceHistory(SESSIONS));
	await setup.close();

	// In the app: a click on History from another page (the usual way there), timed from the click.
	const inApp: number[] = [];
	// Typed into the address bar: a cold load of /history in a new tab, from navigation start.
	const reload: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const page = await context.newPage();
		await page.goto(new URL('/sessions', url).href);
		await page.getByRole('heading', { name: 'Sessions' }).waitFor();
		// A person reads the list before moving on: let it finish loading first.
		await page.waitForLoadState('networkidle');
		await page.waitForTimeout(300);
		const t0 = await page.evaluate(() => performance.now());
		await page.getByRole('link', { name: 'History' }).click();
		await drawn(page);
		inApp.push((await page.evaluate(() => performance.now())) - t0);
		await page.close();

		const cold = await context.newPage();
		await cold.goto(new URL('/history', url).href);
		await drawn(cold);
		reload.push(await cold.evaluate(() => performance.now()));
		await cold.close();
	}
	console.log(
		`History page with ${SESSIONS} sessions, ${RUNS} loads each (target < ${TARGET_MS} ms):`
	);
	console.log(`  opened from the app's navigation, click to charts drawn: ${fmt(inApp)}`);
	console.log(`  loaded in a new tab, navigation start to charts drawn:  ${fmt(reload)}`);
	if (median(inApp) > TARGET_MS) process.exitCode = 1;
} finally {
	await browser.close();
	stop();
}
