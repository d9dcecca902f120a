/**
 * "Your data" with five years of daily 10-minute sessions (1,800 sessions, over a million beats):
 * the page is usable (the "Download backup" button drawn and enabled) within 500 ms of navigation
 * on a first visit, when every session's beats are to be checked, and on a second, when nothing is;
 * and how long the first, full integrity check takes. Serves the existing build (this script does
 * not build: run `npm run build` first), fills a fresh browser's database through the raw IndexedDB
 * API, then loads /settings in a new tab five times for each kind of visit (medians).
 *
 *   npm run build && npm run bench:your-data     (needs Chromium: /usr/bin/chromium or CHROMIUM_PATH)
 *
 * BENCH_SESSIONS (default 1800) and BENCH_CHUNK_SECONDS (default 600: one chunk a session; the
 * recorder writes one every 5 s, so 5 gives recordings' real layout, 120 chunks a session) change
 * the data; BENCH_SW=1 lets the service worker run.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { practiceHistory, seedSessions } from '../e2e/fixtures/seed';
import { startPreview } from '../e2e/fixtures/preview';
import { CHROMIUM_PATH, launch } from '../e2e/fixtures/browser';
import { fmt, median } from './common';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1800);
const CHUNK_SECONDS = Number(process.env.BENCH_CHUNK_SECONDS ?? 600);
const RUNS = 5;
const TARGET_MS = 500;
/** Where the app keeps what its integrity check found sound (src/lib/db/integrity.ts, recordKey). */
const CHECK_RECORD_KEY = 'settle.integrity-checked.settle';
/** The user-timing measure YourData.check adds when a check ends (src/lib/data/your-data.svelte.ts). */
const CHECK_MEASURE = 'Settle: integrity check';

if (!Number.isInteger(SESSIONS) || SESSIONS < 1 || !(CHUNK_SECONDS > 0)) {
	console.error('BENCH_SESSIONS must be a positive integer and BENCH_CHUNK_SECONDS positive.');
	process.exit(2);
}
if (!existsSync('build/index.html')) {
	console.error('No build/ to serve: run `npm run build` first (this benchmark does not build).');
	process.exit(2);
}
if (!existsSync(CHROMIUM_PATH)) {
	console.error(`No Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH).`);
	process.exit(2);
}

/** The newest modification time under a folder, in ms. */
function newest(dir: string): number {
	let t = 0;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, e.name);
		t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
	}
	return t;
}
if (newest('src') > statSync('build/index.html').mtimeMs)
	console.warn('Note: src/ changed after build/ was made; `npm run build` to measure the latest.');

interface Stats {
	sessions: number;
	sessionsChecked: number;
	chunksRead: number;
	keysRead: number;
	restarts: number;
}

interface Visit {
	/** Navigation start to the "Download backup" button drawn and enabled. */
	usableMs: number;
	/** Navigation start to the integrity check's end. */
	checkDoneMs: number;
	/** The check alone, from its start (after the first paint) to its end. */
	checkMs: number;
	stats: Stats;
	/**
	 * The longest main-thread task from navigation to the check's end, of those over 50 ms (the
	 * only ones the browser reports as long tasks): 0 when there was none.
	 */
	longestTaskMs: number;
}

/** Opens the app once so it creates its database, then waits until the schema is there. */
async function createDatabase(page: Page, url: string): Promise<void> {
	await page.goto(new URL('/settings', url).href);
	await page.getByRole('heading', { name: 'Your data' }).waitFor();
	await page.waitForFunction(
		async () => {
			const dbs = await indexedDB.databases();
			if (!dbs.some((d) => d.name === 'settle')) return false;
			return new Promise<boolean>((resolve) => {
				const open = indexedDB.open('settle');
				open.onsuccess = () => {
					resolve(open.result.objectStoreNames.contains('beatChunks'));
					open.result.close();
				};
				open.onerror = () => resolve(false);
			});
		},
		null,
		{ polling: 100, timeout: 20_000 }
	);
}

/**
 * Ten minutes of beats for each session at its heart rate (breathing swings and a little noise),
 * in chunks of `chunkMs` as beats.ts packChunk writes them, generated in the page (not sent over
 * the wire). Each row's beat count is set to match. Returns the beats and chunks written.
 */
async function seedBeats(
	page: Page,
	sessions: { id: string; meanHr: number }[],
	chunkMs: number
): Promise<{ beats: number; chunks: number }> {
	// Beats are made here and sent as plain arrays; the page only writes them.
	const made = sessions.map(({ id, meanHr }, k) => {
		let seed = k + 1;
		const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		const meanRr = 60_000 / meanHr;
		const rr: number[] = [];
		const times: number[] = [];
		for (let t = 0; t < 600_000;) {
			const v = meanRr + 40 * Math.sin(t / 1600) + 20 * (rnd() - 0.5);
			t += v;
			rr.push(v);
			times.push(t);
		}
		const chunks: { seq: number; t0Ms: number; rr: number[]; offsets: number[] }[] = [];
		for (let i0 = 0, seq = 0; i0 < rr.length; seq++) {
			let i1 = i0 + 1;
			while (i1 < rr.length && times[i1] <= (seq + 1) * chunkMs) i1++;
			const t0Ms = times[i0];
			chunks.push({
				seq,
				t0Ms,
				rr: rr.slice(i0, i1),
				offsets: times.slice(i0, i1).map((x) => x - t0Ms)
			});
			i0 = i1;
		}
		return { id, beats: rr.length, durationMs: times[times.length - 1], chunks };
	});
	await page.evaluate(
		(made) =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('settle');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction(['sessions', 'beatChunks'], 'readwrite');
					const rows = tx.objectStore('sessions');
					const store = tx.objectStore('beatChunks');
					for (const m of made) {
						for (const c of m.chunks)
							store.put({
								sessionId: m.id,
								seq: c.seq,
								t0Ms: c.t0Ms,
								rrMs: Float64Array.from(c.rr),
								offsetMs: Float32Array.from(c.offsets),
								flags: new Uint8Array(c.rr.length)
							});
						const get = rows.get(m.id);
						get.onsuccess = () => {
							if (get.result)
								rows.put({ ...get.result, beatCount: m.beats, durationMs: m.durationMs });
						};
					}
					tx.oncomplete = () => {
						db.close();
						resolve();
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
		made
	);
	return {
		beats: made.reduce((n, m) => n + m.beats, 0),
		chunks: made.reduce((n, m) => n + m.chunks.length, 0)
	};
}

/** A cold load of /settings in a new tab, timed from navigation start. */
async function visit(context: BrowserContext, url: string): Promise<Visit> {
	const page = await context.newPage();
	await page.addInitScript(() => {
		const w = window as unknown as { benchLongTasks: number[] };
		w.benchLongTasks = [];
		try {
			new PerformanceObserver((list) => {
				for (const e of list.getEntries()) w.benchLongTasks.push(e.duration);
			}).observe({ type: 'longtask', buffered: true });
		} catch {
			// No long-task timing in this browser: reported as 0.
		}
	});
	await page.goto(new URL('/settings', url).href, { waitUntil: 'commit' });
	// performance.now() counts from this document's navigation start.
	const usable = await page.waitForFunction(
		() => {
			const button = [...document.querySelectorAll('button')].find(
				(b) => b.textContent?.trim() === 'Download backup'
			);
			return button && !button.disabled && button.getClientRects().length > 0
				? performance.now()
				: false;
		},
		null,
		{ polling: 'raf', timeout: 30_000 }
	);
	const usableMs = (await usable.jsonValue()) as number;
	const done = await page.waitForFunction(
		(name) => {
			const [m] = performance.getEntriesByName(name, 'measure') as PerformanceMeasure[];
			const w = window as unknown as { benchLongTasks: number[] };
			return m
				? {
						checkDoneMs: m.startTime + m.duration,
						checkMs: m.duration,
						stats: m.detail as Stats,
						longestTaskMs: Math.max(0, ...w.benchLongTasks)
					}
				: false;
		},
		CHECK_MEASURE,
		{ polling: 50, timeout: 300_000 }
	);
	const result = (await done.jsonValue()) as Omit<Visit, 'usableMs'>;
	await page.close();
	return { usableMs, ...result };
}

const num = (n: number) => n.toLocaleString('en');

const { url, stop } = await startPreview();
const browser = await launch();
try {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 },
		serviceWorkers: process.env.BENCH_SW ? 'allow' : 'block'
	});
	const setup = await context.newPage();
	await createDatabase(setup, url);
	// Seed from a page of the site without the app: the app would check and re-list every
	// transaction as it lands, and a million beats written under it crashed the browser here.
	await setup.goto(new URL('/robots.txt', url).href);
	const rows = practiceHistory(SESSIONS);
	await seedSessions(setup, rows);
	let beats = 0;
	let chunks = 0;
	// A transaction per 50 sessions: a few MB each, not the whole history at once.
	for (let i = 0; i < rows.length; i += 50) {
		const part = await seedBeats(
			setup,
			rows.slice(i, i + 50).map((r) => ({ id: r.id, meanHr: r.meanHr })),
			CHUNK_SECONDS * 1000
		);
		beats += part.beats;
		chunks += part.chunks;
	}
	// (Still on the page without the app: it clears the app's check record between visits.)

	const first: Visit[] = [];
	const second: Visit[] = [];
	for (let i = 0; i < RUNS; i++) {
		await setup.evaluate((key) => localStorage.removeItem(key), CHECK_RECORD_KEY);
		first.push(await visit(context, url));
		second.push(await visit(context, url));
	}
	await setup.close();

	const report = (label: string, visits: Visit[]) => {
		const s = visits[visits.length - 1].stats;
		console.log(`  ${label}`);
		console.log(
			`    usable (Download backup drawn and enabled): ${fmt(visits.map((v) => v.usableMs))}`
		);
		console.log(
			`    check finished after navigation:          ${fmt(visits.map((v) => v.checkDoneMs))}`
		);
		console.log(
			`    the check itself:                          ${fmt(visits.map((v) => v.checkMs))}`
		);
		console.log(
			`    longest task over 50 ms (0: none):         ${fmt(visits.map((v) => v.longestTaskMs))}`
		);
		console.log(
			`    read: ${num(s.sessions)} session rows, the beats of ${num(s.sessionsChecked)} sessions (${num(s.chunksRead)} chunks), ${num(s.keysRead)} chunk keys; ${s.restarts} restarts`
		);
	};
	console.log(
		`Your data with ${num(SESSIONS)} sessions (${num(beats)} beats in ${num(chunks)} chunks of up to ${CHUNK_SECONDS} s), ${RUNS} cold loads each (target: usable < ${TARGET_MS} ms):`
	);
	report('first visit (every session’s beats to check):', first);
	report('second visit (nothing to check):', second);

	const problems: string[] = [];
	if (first.some((v) => v.stats.sessionsChecked < SESSIONS))
		problems.push('a first visit did not read every session’s beats');
	if (second.some((v) => v.stats.sessionsChecked > 0 || v.stats.chunksRead > 0))
		problems.push('a second visit read beats again');
	for (const [label, visits] of [
		['first', first],
		['second', second]
	] as const)
		if (median(visits.map((v) => v.usableMs)) > TARGET_MS)
			problems.push(`the ${label} visit was usable after more than ${TARGET_MS} ms`);
	for (const p of problems) console.log(`FAILED: ${p}.`);
	if (problems.length) process.exitCode = 1;
} finally {
	await browser.close();
	stop();
}
