/**
 * How fast the history page draws with 2,000 sessions stored (target: under 300 ms to all three
 * trend charts drawn, median of five). Builds the app, serves it, fills the database with 2,000
 * session rows, then opens /history the ways a person does:
 *
 * - in the app: a click on History from another page, timed from the click;
 * - in a new tab of their own browser: a browser profile that is kept between visits (as every
 *   browser keeps it), with the app's service worker running, timed from navigation start. Twice:
 *   with the copy of the sessions an earlier visit kept (db/sessions-snapshot.ts), and as the
 *   first visit after a session was written, when that copy no longer counts and the sessions
 *   themselves are read;
 * - in a new tab of a private window, for reference: Chromium keeps no compiled code there (no V8
 *   code cache in an in-memory profile), so every visit compiles the app's code afresh.
 *
 * A new tab is timed by the page itself (a script added before it loads reports the frame that
 * shows the third chart), not by asking Playwright to watch it: that loads Playwright's own
 * script (about 300 KB) into the page while it starts, 25–30 ms of main thread no person pays.
 *
 *   npm run bench:history        (needs Chromium: /usr/bin/chromium or CHROMIUM_PATH)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { practiceHistory, seedSessions } from '../e2e/fixtures/seed';
import { startPreview } from '../e2e/fixtures/preview';
import { CHROMIUM_ARGS, CHROMIUM_PATH, DESKTOP, launch } from '../e2e/fixtures/browser';
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

/** Fills the context's database, and visits History once as a person has before. */
async function prepare(context: BrowserContext, url: string): Promise<void> {
	const setup = await context.newPage();
	await setup.goto(new URL('/sessions', url).href);
	await setup.getByRole('heading', { name: 'Sessions' }).waitFor();
	await seedSessions(setup, practiceHistory(SESSIONS));
	await setup.goto(new URL('/history', url).href);
	await drawn(setup);
	await setup.close();
}

/**
 * Added to every page before it loads: logs the time of the first frame with three charts. A chart
 * gets data-drawn once Chart.js has drawn it, so only that attribute is watched.
 */
const REPORT_DRAWN = `(() => {
	const seen = () => document.querySelectorAll('[data-drawn]').length >= 3;
	const watch = new MutationObserver(() => {
		if (!seen()) return;
		watch.disconnect();
		requestAnimationFrame(() => console.log('settle-drawn ' + performance.now()));
	});
	watch.observe(document, { subtree: true, attributeFilter: ['data-drawn'] });
})();`;

/** Navigation start to charts drawn, in a new tab (as the page itself reports it). */
async function newTab(context: BrowserContext, url: string): Promise<number> {
	const page = await context.newPage();
	const reported = new Promise<number>((resolve) =>
		page.on('console', (m) => {
			const [tag, ms] = m.text().split(' ');
			if (tag === 'settle-drawn') resolve(Number(ms));
		})
	);
	await page.goto(new URL('/history', url).href);
	const ms = await reported;
	await page.close();
	return ms;
}

/** Waits until the copy of the sessions kept by an earlier visit counts (it is kept once idle). */
async function copyKept(context: BrowserContext, url: string): Promise<void> {
	const page = await context.newPage();
	await page.goto(new URL('/sessions', url).href);
	await page.waitForFunction(
		() =>
			localStorage.getItem('settle-snapshot-mark') ===
			localStorage.getItem('settle-sessions-changed'),
		null,
		{ timeout: 20_000 }
	);
	await page.close();
}

/**
 * As a write to the sessions leaves them (a session recorded, edited, synced): their mark moved,
 * so the copy kept last time no longer counts. Only the mark is moved, so the rows stay the same.
 */
async function sessionsWritten(context: BrowserContext, url: string): Promise<void> {
	const page = await context.newPage();
	await page.goto(new URL('/settings', url).href);
	await page.evaluate(() =>
		localStorage.setItem('settle-sessions-changed', `bench-${performance.now()}-${Math.random()}`)
	);
	await page.close();
}

/** Click on History (from Sessions, read to the end) to charts drawn. */
async function inApp(context: BrowserContext, url: string): Promise<number> {
	const page = await context.newPage();
	await page.goto(new URL('/sessions', url).href);
	await page.getByRole('heading', { name: 'Sessions' }).waitFor();
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(300);
	const t0 = await page.evaluate(() => performance.now());
	await page.getByRole('link', { name: 'History' }).click();
	await drawn(page);
	const ms = (await page.evaluate(() => performance.now())) - t0;
	await page.close();
	return ms;
}

const { url, stop } = await startPreview();
const profile = mkdtempSync(join(tmpdir(), 'settle-bench-'));
const browser = await launch();
try {
	const own = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: DESKTOP,
		serviceWorkers: 'allow'
	});
	const inPrivate = await browser.newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
	await own.addInitScript(REPORT_DRAWN);
	await inPrivate.addInitScript(REPORT_DRAWN);
	await prepare(own, url);
	await prepare(inPrivate, url);

	const clicks: number[] = [];
	const tabs: number[] = [];
	const tabsAfterWrite: number[] = [];
	const privateTabs: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		clicks.push(await inApp(own, url));
		await copyKept(own, url);
		tabs.push(await newTab(own, url));
		await sessionsWritten(own, url);
		tabsAfterWrite.push(await newTab(own, url));
		privateTabs.push(await newTab(inPrivate, url));
	}
	await own.close();
	console.log(
		`History page with ${SESSIONS} sessions, ${RUNS} loads each (target < ${TARGET_MS} ms):`
	);
	console.log(`  opened from the app's navigation, click to charts drawn:      ${fmt(clicks)}`);
	console.log(`  new tab in your browser, navigation start to charts drawn:    ${fmt(tabs)}`);
	console.log(
		`    the same, first visit after a session was written (no copy): ${fmt(tabsAfterWrite)}`
	);
	console.log(`  new tab in a private window (no code cache), for reference:  ${fmt(privateTabs)}`);
	if ([clicks, tabs, tabsAfterWrite].some((xs) => median(xs) > TARGET_MS)) process.exitCode = 1;
} finally {
	await browser.close();
	stop();
	rmSync(profile, { recursive: true, force: true });
}
