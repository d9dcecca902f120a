/**
 * A day-long recording in the app (target: each under 1 s): importing LTDB 14149 (23 h, 144,817
 * beats) on "Your data", from choosing the file to "Imported", and opening its session page, from
 * navigation to all six charts drawn. Builds the app, serves it, median of five.
 *
 *   npm run bench:long        (needs Chromium, and ../shared/data/rr beside the repository)
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startPreview } from '../e2e/fixtures/preview';
import { launch } from '../e2e/fixtures/browser';
import { buildApp, fmt, median } from './common';

const FILE = resolve(process.cwd(), '../shared/data/rr/ltdb_14149_23h.txt');
const RUNS = 5;
const TARGET_MS = 1000;
if (!existsSync(FILE)) {
	console.log(`Skipped: ${FILE} is absent (it ships beside the repository in CI).`);
	process.exit(0);
}
buildApp();

const buffer = readFileSync(FILE);
const { url, stop } = await startPreview();
const browser = await launch();
const importMs: number[] = [];
const pageMs: number[] = [];
try {
	for (let i = 0; i < RUNS; i++) {
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page = await context.newPage();
		await page.goto(new URL('/settings', url).href);
		await page.getByRole('heading', { name: 'Your data' }).waitFor();
		await page.waitForLoadState('networkidle');
		const t0 = Date.now();
		await page
			.getByLabel('Import RR file')
			.setInputFiles({ name: 'ltdb_14149_23h.txt', mimeType: 'text/plain', buffer });
		await page.getByText('Imported ltdb_14149_23h.txt').waitFor({ timeout: 60_000 });
		importMs.push(Date.now() - t0);
		const id = await page.evaluate(
			() =>
				new Promise<string>((done) => {
					const open = indexedDB.open('settle');
					open.onsuccess = () => {
						const req = open.result.transaction('sessions').objectStore('sessions').getAll();
						req.onsuccess = () => {
							open.result.close();
							done((req.result as { id: string }[])[0].id);
						};
					};
				})
		);
		const detail = await context.newPage();
		await detail.goto(new URL(`/sessions/${id}`, url).href);
		await detail.waitForFunction(
			() => document.querySelectorAll('[data-drawn]').length >= 6,
			null,
			{
				polling: 'raf',
				timeout: 60_000
			}
		);
		pageMs.push(await detail.evaluate(() => performance.now()));
		await context.close();
	}
} finally {
	await browser.close();
	stop();
}
console.log(`23 h recording (144,817 beats), ${RUNS} runs each (target < ${TARGET_MS} ms):`);
console.log(`  import, file chosen to "Imported":           ${fmt(importMs)}`);
console.log(`  session page, navigation to six charts drawn: ${fmt(pageMs)}`);
if (median(importMs) > TARGET_MS || median(pageMs) > TARGET_MS) process.exitCode = 1;
