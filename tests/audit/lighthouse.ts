/**
 * `npm run audit`: Lighthouse against the built app in the local Chromium (never a downloaded
 * browser), on every page. Targets: accessibility and best practices 100, performance at least 95.
 * Lighthouse 12 (not 13): 13 needs Node 22, this project's floor is Node 20.19.
 */
import { spawnSync } from 'node:child_process';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { startPreview } from '../e2e/fixtures/preview';
import { CHROMIUM_PATH } from '../e2e/fixtures/browser';

const PAGES = ['/', '/sessions', '/history', '/compare', '/settings'];
const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 100 } as const;
type Category = keyof typeof TARGETS;

const built = spawnSync(
	process.execPath,
	['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'],
	{ stdio: 'inherit' }
);
if (built.status !== 0) process.exit(built.status ?? 1);

const { url, stop } = await startPreview();
const chrome = await chromeLauncher.launch({
	chromePath: CHROMIUM_PATH,
	chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run']
});
let failed = false;
try {
	for (const path of PAGES) {
		const result = await lighthouse(new URL(path, url).href, {
			port: chrome.port,
			output: 'json',
			logLevel: 'error',
			onlyCategories: Object.keys(TARGETS)
		});
		if (!result) throw new Error(`Lighthouse gave no result for ${path}`);
		const scores: string[] = [];
		for (const cat of Object.keys(TARGETS) as Category[]) {
			const score = Math.round((result.lhr.categories[cat]?.score ?? 0) * 100);
			const ok = score >= TARGETS[cat];
			if (!ok) failed = true;
			scores.push(`${cat} ${score}${ok ? '' : ` (target ${TARGETS[cat]})`}`);
			if (!ok) {
				for (const ref of result.lhr.categories[cat].auditRefs) {
					const audit = result.lhr.audits[ref.id];
					if (ref.weight > 0 && audit.score !== null && audit.score < 1)
						scores.push(`    ${audit.id}: ${audit.title} (${audit.displayValue ?? audit.score})`);
				}
			}
		}
		console.log(`${path.padEnd(10)} ${scores.join(' · ')}`);
	}
} finally {
	chrome.kill();
	stop();
}
process.exitCode = failed ? 1 : 0;
