/**
 * Settle on a static host below the site's root, as GitHub Pages serves a project page
 * (https://name.github.io/settle/): built with SETTLE_BASE=/settle and given the 404.html the
 * deployment workflow makes, served by a plain file server that knows nothing of the app. A link
 * to a session opens there, the app installs and works offline, and a strap records.
 *
 * The build is a second one, of a copy of the sources in a temporary folder, so build/ (which the
 * other end-to-end tests are served from) stays as it is. It took 24–48 s on the shared 2-core
 * development machine (10 s when idle); the whole file, 1.5–3 minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import {
	CHROMIUM_ARGS,
	CHROMIUM_PATH,
	DESKTOP,
	PHONE,
	pageErrors,
	screenshot,
	trackPageErrors,
	useBrowser
} from './fixtures/browser';
import { EmulatedStrap } from './fixtures/emulated-strap';
import { mixedPayloads } from './fixtures/payloads';
import { savedRrMs, savedSessions } from './fixtures/saved-beats';
import { practiceHistory, seedSessions } from './fixtures/seed';
import { servePagesSite } from './fixtures/static-server';

const BASE = '/settle';
const SOURCES = [
	'src',
	'static',
	'svelte.config.js',
	'vite.config.ts',
	'package.json',
	'tsconfig.json'
];
const BUILD_TIMEOUT_MS = 240_000;

const browser = useBrowser();
let copy = '';
let site: Awaited<ReturnType<typeof servePagesSite>>;

/** Builds a copy of the app for `base` the way .github/workflows/pages.yml does; its build/ folder. */
async function buildFor(base: string): Promise<string> {
	copy = mkdtempSync(join(tmpdir(), 'settle-sub-path-'));
	for (const name of SOURCES) cpSync(name, join(copy, name), { recursive: true });
	symlinkSync(resolve('node_modules'), join(copy, 'node_modules'), 'dir');
	const started = Date.now();
	const output: string[] = [];
	const code = await new Promise<number | null>((done) => {
		const child = spawn(
			process.execPath,
			[resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
			{ cwd: copy, env: { ...process.env, SETTLE_BASE: base }, stdio: 'pipe' }
		);
		child.stdout.on('data', (d) => output.push(String(d)));
		child.stderr.on('data', (d) => output.push(String(d)));
		child.on('close', done);
	});
	if (code !== 0) throw new Error(`The build for ${base} failed:\n${output.join('')}`);
	console.log(`Built for ${base} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	const out = join(copy, 'build');
	copyFileSync(join(out, 'index.html'), join(out, '404.html'));
	return out;
}

beforeAll(async () => {
	site = await servePagesSite(await buildFor(BASE), BASE);
}, BUILD_TIMEOUT_MS);

afterAll(() => {
	site?.close();
	if (copy) rmSync(copy, { recursive: true, force: true });
});

/**
 * Keeps what the early-read script in app.html hands the app (the app clears it when it takes
 * it), to show that the inline script ran under the Content-Security-Policy and found sessions.
 */
function keepEarlyRead(): void {
	let value: unknown;
	Object.defineProperty(globalThis, '__settleEarlySessions', {
		configurable: true,
		get: () => value,
		set(v) {
			if (v) (globalThis as { __keptEarlyRead?: unknown }).__keptEarlyRead = v;
			value = v;
		}
	});
}

/** The scope of the service worker that became active for this page; fails fast if none does. */
async function activeWorkerScope(page: Page): Promise<string> {
	return page.evaluate(() =>
		Promise.race([
			navigator.serviceWorker.ready.then((r) => r.scope),
			new Promise<string>((resolve) => setTimeout(() => resolve('no worker within 20 s'), 20_000))
		])
	);
}

async function earlyReadRows(page: Page): Promise<number | undefined> {
	return page.evaluate(async () => {
		const kept = (globalThis as { __keptEarlyRead?: Promise<{ rows: unknown[] } | undefined> })
			.__keptEarlyRead;
		return (await kept)?.rows.length;
	});
}

describe('under a sub-path on a static host (/settle/, as a GitHub project page)', () => {
	it('ships a Pages workflow that builds exactly this way', () => {
		const workflow = readFileSync('.github/workflows/pages.yml', 'utf8');
		expect(workflow).toMatch(/SETTLE_BASE: \$\{\{ steps\.pages\.outputs\.base_path \}\}/);
		expect(workflow).toContain('cp build/index.html build/404.html');
		expect(workflow).toContain('actions/upload-pages-artifact');
		expect(workflow).toContain('actions/deploy-pages');
	});

	it('is installable there: manifest, start page, scope and icons all under /settle/', async () => {
		// A browser context of Playwright's own is off the record, where Chromium installs nothing:
		// a profile of its own on disk, as a person's browser has.
		const profile = mkdtempSync(join(tmpdir(), 'settle-profile-'));
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM_PATH,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: PHONE
		});
		try {
			const page = context.pages()[0] ?? (await context.newPage());
			trackPageErrors(page);
			await page.goto(site.url);
			expect(await activeWorkerScope(page)).toBe(site.url);
			await page.reload();
			await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
			await screenshot(page, 'sub-path-home-phone');
			const cdp = await context.newCDPSession(page);
			const manifest = (await cdp.send('Page.getAppManifest')) as {
				url: string;
				errors: unknown[];
				data?: string;
			};
			expect(new URL(manifest.url).pathname).toBe(`${BASE}/manifest.webmanifest`);
			expect(manifest.errors).toEqual([]);
			const data = JSON.parse(manifest.data ?? '{}') as {
				start_url: string;
				scope: string;
				icons: { src: string }[];
			};
			expect(new URL(data.start_url, manifest.url).href).toBe(site.url);
			expect(new URL(data.scope, manifest.url).href).toBe(site.url);
			expect(data.icons.length).toBeGreaterThan(2);
			for (const icon of data.icons) {
				const res = await page.request.get(new URL(icon.src, manifest.url).href);
				expect(res.status(), icon.src).toBe(200);
				expect(res.headers()['content-type']).toMatch(/^image\//);
			}
			const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
				installabilityErrors: { errorId: string }[];
			};
			expect(installabilityErrors).toEqual([]);
			expect(pageErrors(page)).toEqual([]);
		} finally {
			await context.close();
			rmSync(profile, { recursive: true, force: true });
		}
	});

	it('opens a link to a session, installs, and records with the strap offline', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		await context.addInitScript(keepEarlyRead);
		const page = await context.newPage();
		trackPageErrors(page);
		const consoleErrors: string[] = [];
		page.on('console', (m) => {
			if (m.type() === 'error') consoleErrors.push(m.text());
		});
		const failed: string[] = [];
		page.on('response', (r) => {
			if (r.status() >= 400 && r.request().resourceType() !== 'document')
				failed.push(`${r.status()} ${r.url()}`);
		});

		// First visit; the app makes its database, then a few sessions are there already.
		const first = await page.goto(site.url);
		expect(first?.status()).toBe(200);
		await expect.poll(() => page.getByRole('button', { name: 'Connect strap' }).count()).toBe(1);
		const seeded = practiceHistory(3);
		await seedSessions(page, seeded);
		expect(await activeWorkerScope(page)).toBe(site.url);

		// A link to a session, as shared or bookmarked: no such file, so the host answers with its
		// 404 page, which is the app, and the app opens that session.
		const link = `${site.url}sessions/${seeded[0].id}`;
		const deep = await page.goto(link);
		expect(deep?.status()).toBe(404);
		await expect
			.poll(() => page.getByRole('button', { name: 'Delete this session' }).count())
			.toBe(1);
		expect(await page.getByRole('link', { name: '← All sessions' }).getAttribute('href')).toBe(
			`${BASE}/sessions`
		);
		await screenshot(page, 'sub-path-session-link');
		// The policy is in the page itself (a static host sends no headers of ours): it is on here,
		// so "nothing refused" below means it allowed everything the app does under /settle/.
		const policy = await page
			.locator('meta[http-equiv="content-security-policy"]')
			.getAttribute('content');
		expect(policy).toContain("script-src 'self' 'sha256-");

		// Offline: the same link opens from the installed copy.
		await context.setOffline(true);
		await page.reload();
		await expect
			.poll(() => page.getByRole('button', { name: 'Delete this session' }).count())
			.toBe(1);
		expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

		// Record with the strap, still offline.
		await page.getByRole('link', { name: 'Practise' }).click();
		await expect.poll(() => page.url()).toBe(site.url);
		const strap = await EmulatedStrap.attach(browser(), page, { name: 'Polar H10' });
		await page.getByRole('button', { name: 'Connect strap' }).click();
		await expect
			.poll(() => page.getByRole('status', { name: 'Connection' }).textContent())
			.toBe('Connected');
		await page.getByRole('button', { name: 'Start session' }).click();
		const payloads = mixedPayloads(90);
		await strap.notifyMany(payloads.map((p) => p.bytes));
		const expected = payloads.flatMap((p) => p.rrTicks.map((t) => (t * 1000) / 1024));
		await screenshot(page, 'sub-path-recording-offline');
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect
			.poll(async () => (await savedSessions(page)).filter((s) => s.status === 'finished').length)
			.toBe(seeded.length + 1);
		const recorded = (await savedSessions(page)).find((s) => !seeded.some((r) => r.id === s.id));
		expect(recorded?.beatCount).toBe(expected.length);
		expect(await savedRrMs(page, recorded?.id ?? '')).toEqual(expected);
		await strap.dispose();

		// History, loaded afresh offline: the early read in app.html finds every session.
		await page.goto(`${site.url}history`);
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'sessions' }).textContent())
			.toBe(`${seeded.length + 1} of ${seeded.length + 1} sessions`);
		expect(await earlyReadRows(page)).toBe(seeded.length + 1);
		await screenshot(page, 'sub-path-history-offline');

		// And a link to the session just recorded, typed in offline.
		await page.goto(`${site.url}sessions/${recorded?.id}`);
		await expect
			.poll(() => page.getByRole('button', { name: 'Delete this session' }).count())
			.toBe(1);
		await screenshot(page, 'sub-path-recorded-session');

		// Nothing was asked of the host outside /settle/, nothing failed, nothing was refused.
		expect(site.requested.filter((p) => !p.startsWith(`${BASE}/`))).toEqual([]);
		expect(failed).toEqual([]);
		expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
