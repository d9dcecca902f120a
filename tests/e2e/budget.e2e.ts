/**
 * The JavaScript budget, measured in the browser from the real responses of a first visit, gzipped:
 *   - the JavaScript a page fetches before its first contentful paint, at most 100 KB on every page:
 *     the app shell and the page's own code, all a first visit waits for;
 *   - the database code (Dexie and the opener, src/lib/db/open.ts), fetched after the first paint,
 *     at most 35 KB, so it cannot grow unnoticed either (it was 56.7 KB of the shell when it was
 *     part of it, with the code that used it);
 *   - what loads on demand (Chart.js, fetched by pages that draw charts; the backup library, by the
 *     Your data page when used) is counted apart and capped too, so it cannot creep into the
 *     shell unnoticed: a new static import of either fails the first budget;
 *   - a Web Worker's script (Your data's integrity check, after the page has drawn: its own copy of
 *     Dexie, as a worker shares no chunks with the page) is counted apart, at most 40 KB each: it
 *     never runs on the page's thread.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DESKTOP, baseUrl, pageErrors, trackPageErrors, useBrowser } from './fixtures/browser';
import { chartsScriptFile } from './fixtures/built-files';

export const FIRST_PAINT_JS_BUDGET_BYTES = 100 * 1024;
export const DATABASE_JS_BUDGET_BYTES = 35 * 1024;
export const CHARTS_BUDGET_BYTES = 60 * 1024;
export const WORKER_BUDGET_BYTES = 40 * 1024;

type Manifest = Record<
	string,
	{ file: string; isEntry?: boolean; isDynamicEntry?: boolean; imports?: string[] }
>;

/** The build's files that `from` imports, itself included, following static imports. */
function staticClosure(manifest: Manifest, from: string[]): Set<string> {
	const seen = new Set<string>();
	const visit = (key: string) => {
		if (seen.has(key)) return;
		seen.add(key);
		for (const next of manifest[key].imports ?? []) visit(next);
	};
	from.forEach(visit);
	return seen;
}

/**
 * What the app loads on demand: the backup library (import(), from Vite's manifest of this build)
 * and Chart.js (a classic script of its own; see vite.config.ts); and the database's opener with
 * Dexie, which the app fetches after its first paint (src/lib/db/db.ts): the files only it imports.
 */
function onDemandChunks(): Map<string, string> {
	const manifest = JSON.parse(
		readFileSync('.svelte-kit/output/client/.vite/manifest.json', 'utf8')
	) as Manifest;
	const name = (key: string) => manifest[key].file.split('/').pop()!;
	const lazy = new Map<string, string>();
	for (const [src, entry] of Object.entries(manifest))
		if (entry.isDynamicEntry && /dexie-export-import/.test(src)) lazy.set(name(src), 'backup');
	// Every page's own code and the shell: the entries and the route nodes SvelteKit starts from.
	const pages = staticClosure(
		manifest,
		Object.keys(manifest).filter((k) => manifest[k].isEntry || /\/nodes\//.test(k))
	);
	for (const key of staticClosure(manifest, ['src/lib/db/open.ts']))
		if (!pages.has(key)) lazy.set(name(key), 'database');
	lazy.set(chartsScriptFile().split('/').pop()!, 'charts');
	return lazy;
}

const browser = useBrowser();

interface PageJs {
	/** Gzipped bytes of the scripts a page needs to draw itself: all but the database's. */
	first: number;
	/** Gzipped bytes of the database's code (Dexie), fetched after the page has painted. */
	database: number;
	charts: number;
	/** Gzipped bytes of each Web Worker's script the page started. */
	workers: number[];
	files: number;
}

async function pageJs(path: string, lazy: Map<string, string>): Promise<PageJs> {
	const context = await browser().newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
	const page = await context.newPage();
	const scripts: Promise<{ url: string; body: Buffer }>[] = [];
	page.on('response', (r) => {
		if (r.request().resourceType() === 'script')
			scripts.push(r.body().then((body) => ({ url: r.url(), body })));
	});
	await page.goto(new URL(path, baseUrl()).href, { waitUntil: 'networkidle' });
	const result: PageJs = { first: 0, database: 0, charts: 0, workers: [], files: 0 };
	for (const { url, body } of await Promise.all(scripts)) {
		const gz = gzipSync(body, { level: 9 }).length;
		const kind = lazy.get(url.split('/').pop()!);
		// Vite builds each worker into a bundle of its own under _app/immutable/workers/.
		if (new URL(url).pathname.includes('/_app/immutable/workers/')) result.workers.push(gz);
		else if (kind === 'charts') result.charts += gz;
		else if (kind === 'database') result.database += gz;
		else if (kind === undefined) result.first += gz;
		result.files++;
	}
	await context.close();
	return result;
}

describe('JavaScript budget', () => {
	it('keeps every page’s first JavaScript within 100 KB gzipped, Dexie apart', async () => {
		const lazy = onDemandChunks();
		expect([...new Set(lazy.values())].sort()).toEqual(['backup', 'charts', 'database']);
		const report: string[] = [];
		for (const path of ['/', '/sessions', '/history', '/compare', '/settings']) {
			const js = await pageJs(path, lazy);
			const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
			report.push(
				`${path}: ${kb(js.first)} to draw the page, then the database ${kb(js.database)}` +
					`${js.charts ? ` + Chart.js ${kb(js.charts)} on demand` : ''}` +
					`${js.workers.map((w) => ` + a worker ${kb(w)}`).join('')} (${js.files} files)`
			);
			expect(js.first, path).toBeLessThanOrEqual(FIRST_PAINT_JS_BUDGET_BYTES);
			// Your data reads the database only in its integrity check's worker: the page itself
			// fetches no Dexie at all on opening.
			if (path === '/settings') expect(js.workers, path).toHaveLength(1);
			else expect(js.database, path).toBeGreaterThan(0);
			expect(js.database, path).toBeLessThanOrEqual(DATABASE_JS_BUDGET_BYTES);
			expect(js.charts, path).toBeLessThanOrEqual(CHARTS_BUDGET_BYTES);
			for (const w of js.workers)
				expect(w, `${path}: a worker`).toBeLessThanOrEqual(WORKER_BUDGET_BYTES);
		}
		console.log(`JavaScript (gzip -9): ${report.join('; ')}`);
	});

	it('draws every page before the database code arrives, then fills it in', async () => {
		const database = [...onDemandChunks()].filter(([, kind]) => kind === 'database');
		const context = await browser().newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
		const page = await context.newPage();
		trackPageErrors(page);
		// The database's code is held back until the page has drawn itself.
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		const asked: string[] = [];
		for (const [name] of database)
			await page.route(`**/${name}`, async (route) => {
				asked.push(name);
				await released;
				await route.continue();
			});
		await page.goto(new URL('/sessions', baseUrl()).href);
		await page.getByRole('heading', { name: 'Sessions' }).waitFor();
		await expect.poll(() => asked.length).toBeGreaterThan(0);
		// Drawn, and painted: a frame has been shown since, while the database code still waits.
		await page.evaluate(
			() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
		);
		expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
		release();
		// The page then reads the database: an empty one says so.
		await page
			.getByText(/No sessions yet/i)
			.first()
			.waitFor();
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
