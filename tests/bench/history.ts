/**
 * How fast the history page draws with 2,000 sessions stored (target: under 300 ms to all three
 * trend charts drawn, median of five). Builds the app, serves it, fills the database with 2,000
 * session rows, then opens /history the ways a person does:
 *
 * - in the app: a click on History from another page, timed from the click;
 * - in a new tab of their own browser: a browser profile that is kept between visits (as every
 *   browser keeps it), with the app's service worker running, timed from navigation start to the
 *   frame that shows the third chart. Twice: with the copy of the sessions an earlier visit kept
 *   (db/sessions-snapshot.ts), and as the first visit after a session was written, when that copy
 *   no longer counts and the sessions themselves are read. These tabs are opened in a Chromium
 *   that no test tool watches as they load (unwatched-tabs.ts); the same tabs opened by
 *   Playwright are timed too, for reference: it attaches to them as they load;
 * - in a new tab of a private window of that browser, after a visit there: Chromium keeps no
 *   compiled code in it (no V8 code cache in an in-memory profile), so every visit compiles the
 *   app's code afresh.
 *
 * Each chart marks its first frame in the page's performance timeline (CHART_SHOWN, in
 * src/lib/components/charts/chart-shown.ts), so a page times itself: the third mark is when its
 * charts are drawn.
 *
 * The sessions are stored as the current analysis keeps them (a history as it stands between
 * updates); with AFTER_UPDATE=1 as an older one's, so the first visit also re-analyses them all.
 *
 *   npm run bench:history        (needs Chromium: /usr/bin/chromium or CHROMIUM_PATH)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
	SEED_ANALYSIS_VERSION,
	currentAnalysisVersion,
	practiceHistory,
	seedScript,
	seedSessions
} from '../e2e/fixtures/seed';
import { startPreview } from '../e2e/fixtures/preview';
import { CHROMIUM_ARGS, CHROMIUM_PATH, DESKTOP, launch } from '../e2e/fixtures/browser';
import { CHART_SHOWN } from '../../src/lib/components/charts/chart-shown';
import { PICTURE_SHOWN } from '../../src/lib/review/history-picture';
import { buildApp, fmt, median } from './common';
import { UnwatchedBrowser } from './unwatched-tabs';

const SESSIONS = 2000;
/** `AFTER_UPDATE=1`: the sessions as an older analysis kept them, re-analysed on the first visit. */
const AFTER_UPDATE = process.env.AFTER_UPDATE === '1';
const RUNS = 5;
const TARGET_MS = 300;

buildApp();

async function drawn(page: Page): Promise<void> {
	await page.waitForFunction(() => document.querySelectorAll('[data-drawn]').length >= 3, null, {
		polling: 'raf'
	});
}

/**
 * In a page: true once every chart is drawn (the trends and the lower ones), else null: as a person
 * who looked at the page. Without that, leaving keeps no picture: tabs closed at the third chart kept none, so the next tab of a
 * private window had no picture to show.
 */
const ALL_DRAWN = `(() => {
	const charts = document.querySelectorAll('main .chart').length;
	return (charts > 0 && document.querySelectorAll('main .chart[data-drawn]').length === charts) || null;
})()`;

/**
 * In a page: true once it has been read for 3 s with every chart drawn, as a person reads it (the
 * first visit draws the recent weeks first and the whole period in later tasks; a page left
 * before the whole period is in keeps no picture), else null.
 */
const READ_A_WHILE = `(${ALL_DRAWN} &&
	(window.__drawnAt ??= Date.now(), Date.now() - window.__drawnAt > 3000)) || null`;

/**
 * Until `expression` gives a value other than null in the page. Evaluated as given (the app's
 * content security policy refuses the eval that waitForFunction wraps a string in).
 */
async function until(page: Page, expression: string, timeoutMs = 60_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while ((await page.evaluate(expression)) === null) {
		if (Date.now() > end) throw new Error(`Still null after ${timeoutMs} ms: ${expression}`);
		await page.waitForTimeout(50);
	}
}

/** Fills the context's database, and visits History once as a person has before. */
async function prepare(context: BrowserContext, url: string): Promise<void> {
	const setup = await context.newPage();
	await setup.goto(new URL('/sessions', url).href);
	await setup.getByRole('heading', { name: 'Sessions' }).waitFor();
	await seedSessions(
		setup,
		practiceHistory(SESSIONS),
		AFTER_UPDATE ? SEED_ANALYSIS_VERSION : currentAnalysisVersion()
	);
	await setup.close();
	// History in a tab of its own, read for a while as a person reads it.
	const visit = await context.newPage();
	await visit.goto(new URL('/history', url).href);
	await until(visit, READ_A_WHILE);
	await visit.close();
}

/** In a page: when its third chart was shown (ms from navigation start), or null before then. */
const THIRD_CHART = `(() => {
	const shown = performance.getEntriesByName(${JSON.stringify(CHART_SHOWN)});
	return shown.length >= 3 ? shown[2].startTime : null;
})()`;

/** In a page: when it showed the picture of History kept last time (PICTURE_SHOWN), or null. */
const PICTURE = `(performance.getEntriesByName(${JSON.stringify(PICTURE_SHOWN)})[0]?.startTime ?? null)`;

/**
 * In a page: the same, with the count of sessions the page says it shows and when it showed the
 * picture (if it did), or null before then.
 */
const THIRD_CHART_AND_COUNT = `(() => {
	const ms = ${THIRD_CHART};
	return ms === null
		? null
		: { ms, picture: ${PICTURE}, count: document.querySelector('.count')?.textContent ?? '' };
})()`;

interface TabTimes {
	/** Navigation start to the live page's charts drawn. */
	ms: number;
	/** Navigation start to the picture of the page shown, if one was. */
	picture: number | null;
}

/** The times of an unwatched tab on History, once it is known to show every session. */
async function unwatchedTab(
	person: UnwatchedBrowser,
	url: string,
	inPrivate?: string
): Promise<TabTimes> {
	const { ms, picture, count } = await person.visit<TabTimes & { count: string }>(
		url,
		THIRD_CHART_AND_COUNT,
		undefined,
		undefined,
		inPrivate
	);
	const expected = `${SESSIONS} of ${SESSIONS} sessions`;
	if (count !== expected) throw new Error(`History showed "${count}", not "${expected}"`);
	return { ms, picture };
}

/** The first screen of the page: its picture where one was shown, else its live charts. */
const firstScreen = (t: TabTimes) => t.picture ?? t.ms;
const pictures = (ts: TabTimes[]) =>
	`${ts.filter((t) => t.picture !== null).length} of ${ts.length}`;

/** In a page: `then` (an expression) once the app has made its database, else null. */
const untilDatabaseThen = (then: string) =>
	`indexedDB.databases().then((dbs) => dbs.some((d) => d.name === 'settle') ? ${then} : null)`;

/** In a page: true once the copy of the sessions counts (it is kept once idle), else null. */
const COPY_KEPT = `localStorage.getItem('settle-snapshot-mark') ===
	localStorage.getItem('settle-sessions-changed') || null`;

/**
 * In a page: leaves the sessions as a write to them does (a session recorded, edited, synced):
 * their mark moved, so the copy kept last time no longer counts. Only the mark is moved, so the
 * rows stay the same.
 */
const MOVE_MARK = `(localStorage.setItem('settle-sessions-changed', 'bench-' + Math.random()), true)`;

/** Added to Playwright's pages before they load: logs when the third chart and the picture were shown. */
const REPORT_DRAWN = `(() => {
	const watch = new PerformanceObserver(() => {
		const ms = ${THIRD_CHART};
		if (ms === null) return;
		watch.disconnect();
		console.log('settle-drawn ' + ms + ' ' + ${PICTURE});
	});
	watch.observe({ type: 'mark' });
})();`;

/** A new tab opened by Playwright: navigation start to charts drawn, and to the picture shown. */
async function newTab(context: BrowserContext, url: string): Promise<TabTimes> {
	const page = await context.newPage();
	const reported = new Promise<TabTimes>((resolve) =>
		page.on('console', (m) => {
			const [tag, ms, picture] = m.text().split(' ');
			if (tag === 'settle-drawn')
				resolve({ ms: Number(ms), picture: picture === 'null' ? null : Number(picture) });
		})
	);
	await page.goto(new URL('/history', url).href);
	const times = await reported;
	await until(page, ALL_DRAWN);
	await page.close();
	return times;
}

/** Runs `expression` in a page of `context` at `path` until it gives a value. */
async function inPage(context: BrowserContext, url: string, path: string, expression: string) {
	const page = await context.newPage();
	await page.goto(new URL(path, url).href);
	await page.waitForFunction(expression, null, { timeout: 20_000 });
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
const at = (path: string) => new URL(path, url).href;
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
	await own.addInitScript(REPORT_DRAWN);
	await prepare(own, url);

	const clicks: number[] = [];
	const watched: TabTimes[] = [];
	const watchedAfterWrite: TabTimes[] = [];
	for (let i = 0; i < RUNS; i++) {
		clicks.push(await inApp(own, url));
		await inPage(own, url, '/sessions', COPY_KEPT);
		watched.push(await newTab(own, url));
		await inPage(own, url, '/settings', MOVE_MARK);
		watchedAfterWrite.push(await newTab(own, url));
	}
	await own.close();

	// The same profile, in a browser no test tool watches; its first tab starts the service worker.
	const person = await UnwatchedBrowser.launch(profile);
	const tabs: TabTimes[] = [];
	const tabsAfterWrite: TabTimes[] = [];
	const privateTabs: TabTimes[] = [];
	try {
		await unwatchedTab(person, at('/history'));
		for (let i = 0; i < RUNS; i++) {
			await person.visit(at('/sessions'), COPY_KEPT);
			tabs.push(await unwatchedTab(person, at('/history')));
			await person.visit(at('/settings'), MOVE_MARK);
			tabsAfterWrite.push(await unwatchedTab(person, at('/history')));
		}
		// A private window of the same browser: its own, empty storage, filled as in `prepare`.
		const inPrivate = await person.privateWindow();
		const seed = seedScript(
			practiceHistory(SESSIONS),
			AFTER_UPDATE ? SEED_ANALYSIS_VERSION : currentAnalysisVersion()
		);
		await person.visit(at('/sessions'), untilDatabaseThen(seed), undefined, 60_000, inPrivate);
		await person.visit(at('/history'), READ_A_WHILE, undefined, 60_000, inPrivate);
		for (let i = 0; i < RUNS; i++)
			privateTabs.push(await unwatchedTab(person, at('/history'), inPrivate));
	} finally {
		await person.close();
	}

	console.log(
		`History page with ${SESSIONS} sessions, ${RUNS} loads each (target < ${TARGET_MS} ms):`
	);
	console.log(`  opened from the app's navigation, click to charts drawn:   ${fmt(clicks)}`);
	console.log(`  new tab in your browser, navigation start to the live charts drawn:`);
	console.log(
		`    with the copy an earlier visit kept:                     ${fmt(tabs.map((t) => t.ms))}`
	);
	console.log(
		`    first visit after a session was written (no copy):      ${fmt(tabsAfterWrite.map((t) => t.ms))}`
	);
	console.log(
		`  the same tabs, navigation start to the first screen (the picture kept last time):`
	);
	console.log(
		`    with the copy (picture in ${pictures(tabs)}):                   ${fmt(tabs.map(firstScreen))}`
	);
	console.log(
		`    after a write (picture in ${pictures(tabsAfterWrite)}):                  ${fmt(tabsAfterWrite.map(firstScreen))}`
	);
	console.log(`  the same tabs opened by Playwright (attached as they load), for reference:`);
	const both = (ts: TabTimes[]) =>
		`live ${fmt(ts.map((t) => t.ms))}; first screen ${fmt(ts.map(firstScreen))} (picture in ${pictures(ts)})`;
	console.log(`    with the copy:                 ${both(watched)}`);
	console.log(`    after a write:                 ${both(watchedAfterWrite)}`);
	console.log(
		`  new tab in a private window (no compiled code kept), no tool watching: ${both(privateTabs)}`
	);
	const firstScreens = [tabs, tabsAfterWrite, privateTabs].map((ts) => ts.map(firstScreen));
	if ([clicks, ...firstScreens].some((xs) => median(xs) > TARGET_MS)) process.exitCode = 1;
} finally {
	await browser.close();
	stop();
	rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
}
