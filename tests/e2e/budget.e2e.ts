/**
 * The JavaScript budget: what a first visit to each page downloads before it is usable, gzipped,
 * at most 120 KB. Measured in the browser from the real responses, so a new static import anywhere
 * (Chart.js in a page instead of on demand, say) fails the run.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESKTOP, baseUrl, launch } from './fixtures/browser';

export const INITIAL_JS_BUDGET_BYTES = 120 * 1024;

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

async function initialJs(path: string): Promise<{ gz: number; files: number }> {
	const context = await browser.newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
	const page = await context.newPage();
	const bodies: Promise<Buffer>[] = [];
	page.on('response', (r) => {
		if (r.request().resourceType() === 'script') bodies.push(r.body());
	});
	await page.goto(new URL(path, baseUrl()).href, { waitUntil: 'networkidle' });
	const gz = (await Promise.all(bodies)).reduce((s, b) => s + gzipSync(b, { level: 9 }).length, 0);
	await context.close();
	return { gz, files: bodies.length };
}

describe('JavaScript budget', () => {
	it('keeps every page’s initial JavaScript within 120 KB gzipped', async () => {
		const report: string[] = [];
		for (const path of ['/', '/sessions', '/settings']) {
			const { gz, files } = await initialJs(path);
			report.push(`${path}: ${(gz / 1024).toFixed(1)} KB in ${files} files`);
			expect(gz, path).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
		}
		console.log(`Initial JavaScript (gzip -9): ${report.join('; ')}`);
	});
});
