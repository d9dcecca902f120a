/**
 * `npm run audit`: Lighthouse against the built app in the local Chromium (never a downloaded
 * browser), on every page, with 2,000 sessions stored as after years of practice (`SESSIONS=0 npm
 * run audit` for an empty database). Targets: accessibility and best practices 100, performance at
 * least 95. Lighthouse 12 (not 13): 13 needs Node 22, this project's floor is Node 20.19.
 *
 * The CPU is slowed 8× (Lighthouse's mobile default is 4×), so that a machine about half as fast
 * as the one a change was measured on still meets the targets; `CPU_SLOWDOWN=4 npm run audit` for
 * Lighthouse's own setting. `AUDIT_PAGES=/history,/settings` audits only those pages;
 * `AUDIT_REPORTS=dir` writes each page's full report there (its long tasks and the scripts behind
 * them, for finding what blocks).
 *
 * The sessions' summaries are the app's current analysis: a history as it stands between updates.
 * `AFTER_UPDATE=1` stores them as an older analysis's, so that every page also re-analyses them in
 * the background, as the first visits after an update that changed the analysis do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import * as Lantern from 'lighthouse/core/lib/lantern/lantern.js';
import { startPreview } from '../e2e/fixtures/preview';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from '../e2e/fixtures/browser';
import { buildApp } from '../bench/common';
import {
	SEED_ANALYSIS_VERSION,
	currentAnalysisVersion,
	practiceHistory,
	seedSessions
} from '../e2e/fixtures/seed';

const ALL_PAGES = ['/', '/resonance', '/sessions', '/history', '/journal', '/compare', '/settings'];
const PAGES = process.env.AUDIT_PAGES?.split(',').map((p) => p.trim()) ?? ALL_PAGES;
const REPORTS = process.env.AUDIT_REPORTS;
const SESSIONS = Number(process.env.SESSIONS ?? 2000);
const CPU_SLOWDOWN = Number(process.env.CPU_SLOWDOWN ?? 8);
const AFTER_UPDATE = process.env.AFTER_UPDATE === '1';
const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 100 } as const;
type Category = keyof typeof TARGETS;

buildApp();

const { url, stop } = await startPreview();
const chrome = await chromeLauncher.launch({
	chromePath: CHROMIUM_PATH,
	chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run']
});
let failed = false;
try {
	if (SESSIONS > 0) {
		// Seed this very browser's database (Lighthouse is told below not to clear it).
		const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
		const page = await cdp.contexts()[0].newPage();
		await page.goto(new URL('/sessions', url).href);
		await page.getByRole('heading', { name: 'Sessions' }).waitFor();
		await seedSessions(
			page,
			practiceHistory(SESSIONS),
			AFTER_UPDATE ? SEED_ANALYSIS_VERSION : currentAnalysisVersion()
		);
		await page.close();
		await cdp.close();
	}
	console.log(
		`Lighthouse with ${SESSIONS} sessions stored${AFTER_UPDATE ? ' (of an older analysis)' : ''}, CPU slowed ${CPU_SLOWDOWN}×:`
	);
	for (const path of PAGES) {
		const result = await lighthouse(new URL(path, url).href, {
			port: chrome.port,
			output: 'json',
			logLevel: 'error',
			disableStorageReset: SESSIONS > 0,
			onlyCategories: Object.keys(TARGETS),
			throttling: {
				...Lantern.Simulation.Constants.throttling.mobileSlow4G,
				cpuSlowdownMultiplier: CPU_SLOWDOWN
			}
		});
		if (!result) throw new Error(`Lighthouse gave no result for ${path}`);
		if (REPORTS) {
			mkdirSync(REPORTS, { recursive: true });
			const name = path === '/' ? 'practise' : path.slice(1).replaceAll('/', '-');
			writeFileSync(join(REPORTS, `${name}.json`), JSON.stringify(result.lhr));
		}
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
