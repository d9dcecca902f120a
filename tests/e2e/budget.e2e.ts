/**
 * The JavaScript budget, measured in the browser from the real responses of a first visit, gzipped:
 *   - initial JavaScript (app shell and the page's own code) at most 120 KB on every page;
 *   - what loads on demand (Chart.js, fetched by pages that draw charts; the backup library, by the
 *     Your data page when used) is counted apart and capped too, so it cannot creep into the
 *     shell unnoticed: a new static import of either fails the first budget.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DESKTOP, baseUrl, useBrowser } from './fixtures/browser';
import { chartsScriptFile } from './fixtures/built-files';

export const INITIAL_JS_BUDGET_BYTES = 120 * 1024;
export const CHARTS_BUDGET_BYTES = 60 * 1024;

/**
 * What the app loads on demand: the backup library (import(), from Vite's manifest of this build)
 * and Chart.js (a classic script of its own; see vite.config.ts).
 */
function onDemandChunks(): Map<string, string> {
	const manifest = JSON.parse(
		readFileSync('.svelte-kit/output/client/.vite/manifest.json', 'utf8')
	) as Record<string, { file: string; isDynamicEntry?: boolean }>;
	const lazy = new Map<string, string>();
	for (const [src, entry] of Object.entries(manifest)) {
		if (entry.isDynamicEntry && /dexie-export-import/.test(src))
			lazy.set(entry.file.split('/').pop()!, 'backup');
	}
	lazy.set(chartsScriptFile().split('/').pop()!, 'charts');
	return lazy;
}

const browser = useBrowser();

async function pageJs(
	path: string,
	lazy: Map<string, string>
): Promise<{ initial: number; charts: number; files: number }> {
	const context = await browser().newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
	const page = await context.newPage();
	const scripts: Promise<{ name: string; body: Buffer }>[] = [];
	page.on('response', (r) => {
		if (r.request().resourceType() === 'script')
			scripts.push(r.body().then((body) => ({ name: r.url().split('/').pop()!, body })));
	});
	await page.goto(new URL(path, baseUrl()).href, { waitUntil: 'networkidle' });
	let initial = 0;
	let charts = 0;
	for (const { name, body } of await Promise.all(scripts)) {
		const gz = gzipSync(body, { level: 9 }).length;
		if (lazy.get(name) === 'charts') charts += gz;
		else if (!lazy.has(name)) initial += gz;
	}
	await context.close();
	return { initial, charts, files: scripts.length };
}

describe('JavaScript budget', () => {
	it('keeps every page’s initial JavaScript within 120 KB gzipped, Chart.js apart', async () => {
		const lazy = onDemandChunks();
		expect([...lazy.values()].sort()).toEqual(['backup', 'charts']);
		const report: string[] = [];
		for (const path of ['/', '/sessions', '/history', '/compare', '/settings']) {
			const { initial, charts, files } = await pageJs(path, lazy);
			report.push(
				`${path}: ${(initial / 1024).toFixed(1)} KB${charts ? ` + Chart.js ${(charts / 1024).toFixed(1)} KB on demand` : ''} (${files} files)`
			);
			expect(initial, path).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
			expect(charts, path).toBeLessThanOrEqual(CHARTS_BUDGET_BYTES);
		}
		console.log(`JavaScript (gzip -9): ${report.join('; ')}`);
	});
});
