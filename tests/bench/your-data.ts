/**
 * "Your data" with five years of daily 10-minute sessions (1,800 sessions, over a million beats):
 * the page is usable (the "Download backup" button drawn and enabled) within 500 ms of navigation
 * on a first visit, when every session's beats are to be checked, and on a second, when nothing is;
 * and how long the first, full integrity check takes. Serves the existing build (this script does
 * not build: run `npm run build` first), fills a fresh browser's database through the raw IndexedDB
 * API, then loads /settings in a new tab five times for each kind of visit (medians).
 *
 * Then importing: a day-long file and issue 34's 50 MiB line of ten million intervals, each chosen
 * on the import input of an empty "Your data" three times: the longest main-thread task while it
 * is read, analysed and written or refused (a long-task observer in the page; target under 200 ms)
 * and when its outcome is drawn.
 *
 *   npm run build && npm run bench:your-data     (needs Chromium: /usr/bin/chromium or CHROMIUM_PATH)
 *
 * BENCH_SESSIONS (default 1800) and BENCH_CHUNK_SECONDS (default 600: one chunk a session; the
 * recorder writes one every 5 s, so 5 gives recordings' real layout, 120 chunks a session) change
 * the data; BENCH_SW=1 lets the service worker run. BENCH_PART=load or BENCH_PART=import runs one
 * part only; BENCH_URL measures a build served elsewhere (an older one, to compare) instead of
 * build/.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HUGE_COUNT, dayOfBeats, oneLineOfIntervals } from '../e2e/fixtures/import-files/huge';
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
const IMPORT_RUNS = 3;
const IMPORT_TASK_MS = 200;
const LTDB_23H = resolve(process.cwd(), '../shared/data/rr/ltdb_14149_23h.txt');

if (!Number.isInteger(SESSIONS) || SESSIONS < 1 || !(CHUNK_SECONDS > 0)) {
	console.error('BENCH_SESSIONS must be a positive integer and BENCH_CHUNK_SECONDS positive.');
	process.exit(2);
}
if (!process.env.BENCH_URL && !existsSync('build/index.html')) {
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
if (!process.env.BENCH_URL && newest('src') > statSync('build/index.html').mtimeMs)
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

/** The page load part: five cold loads of each kind over a seeded history. */
async function loadPart(browser: Browser, url: string): Promise<string[]> {
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
	await context.close();
	return problems;
}

interface ImportRun {
	/** From the file set on the input to the outcome drawn ("Imported …" or "… was not imported"). */
	outcomeMs: number;
	/** The longest main-thread task over 50 ms in that time (0: none). */
	longestTaskMs: number;
	/** Main-thread tasks over 50 ms in that time. */
	longTasks: number;
	/** The longest task until the page's integrity check that follows an import has ended too. */
	longestWithCheckMs: number;
	outcome: string;
}

/** Imports one file on a fresh "Your data" (an empty database) and times the main thread. */
async function importOnce(browser: Browser, url: string, path: string): Promise<ImportRun> {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 },
		serviceWorkers: 'block'
	});
	const page = await context.newPage();
	await page.addInitScript(() => {
		const w = window as unknown as { benchTasks: { start: number; duration: number }[] };
		w.benchTasks = [];
		try {
			new PerformanceObserver((list) => {
				for (const e of list.getEntries())
					w.benchTasks.push({ start: e.startTime, duration: e.duration });
			}).observe({ type: 'longtask', buffered: true });
		} catch {
			// No long-task timing in this browser: reported as 0.
		}
	});
	await page.goto(new URL('/settings', url).href);
	await page.getByRole('heading', { name: 'Your data' }).waitFor();
	// The page's own start (and its integrity check, with nothing to check) is over.
	await page.waitForFunction(
		(name) => performance.getEntriesByName(name, 'measure').length > 0,
		CHECK_MEASURE,
		{ timeout: 30_000 }
	);
	await page.waitForTimeout(300);
	const t0 = await page.evaluate(() => performance.now());
	await page.getByLabel('Import RR file').setInputFiles(path);
	const name = basename(path);
	const done = await page.waitForFunction(
		({ name, t0 }) => {
			const lines = [...document.querySelectorAll('[role=status] li, [role=alert] li')];
			const line = lines.find((l) => (l.textContent ?? '').includes(name));
			if (!line) return false;
			const w = window as unknown as { benchTasks: { start: number; duration: number }[] };
			// Tasks that end after the file was chosen (one may have begun just before).
			const tasks = w.benchTasks.filter((t) => t.start + t.duration > t0);
			return {
				outcomeMs: performance.now() - t0,
				longestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
				longTasks: tasks.length,
				outcome: (line.textContent ?? '').replace(/\s+/g, ' ').trim()
			};
		},
		{ name, t0 },
		{ polling: 50, timeout: 600_000 }
	);
	const run = (await done.jsonValue()) as Omit<ImportRun, 'longestWithCheckMs'>;
	// The page checks its recordings again once an import ends (a second check measure).
	const checked = await page.waitForFunction(
		({ name, t0 }) => {
			if (performance.getEntriesByName(name, 'measure').length < 2) return false;
			const w = window as unknown as { benchTasks: { start: number; duration: number }[] };
			const tasks = w.benchTasks.filter((t) => t.start + t.duration > t0);
			// An object: a longest task of 0 (none) is falsy and would be waited on.
			return { longest: Math.max(0, ...tasks.map((t) => t.duration)) };
		},
		{ name: CHECK_MEASURE, t0 },
		{ polling: 50, timeout: 120_000 }
	);
	const longestWithCheckMs = ((await checked.jsonValue()) as { longest: number }).longest;
	await context.close();
	return { ...run, longestWithCheckMs };
}

/**
 * The import part: a day-long file (LTDB 14149's 23 h when ../shared/data/rr is there, else 145,000
 * synthetic beats) and the 50 MiB line of ten million intervals of issue 34, each imported three
 * times into an empty database. Target: no main-thread task over 200 ms; the day imported, the
 * line refused for its length.
 */
async function importPart(browser: Browser, url: string): Promise<string[]> {
	const dir = mkdtempSync(join(tmpdir(), 'settle-bench-import-'));
	const problems: string[] = [];
	try {
		const day = existsSync(LTDB_23H)
			? { path: LTDB_23H, label: 'LTDB 14149, 23 h, 144,817 beats one a line' }
			: { path: join(dir, 'day-of-beats.txt'), label: '145,000 synthetic beats one a line' };
		if (day.path !== LTDB_23H) writeFileSync(day.path, dayOfBeats());
		const huge = join(dir, 'ten-million-on-one-line.txt');
		writeFileSync(huge, oneLineOfIntervals());
		console.log(
			`Importing on "Your data" (an empty database), ${IMPORT_RUNS} runs each (target: no task over ${IMPORT_TASK_MS} ms):`
		);
		for (const [file, label, expected] of [
			[day.path, day.label, /^Imported /],
			[huge, `${num(HUGE_COUNT)} intervals on one line, 50 MiB`, /was not imported/]
		] as const) {
			const runs: ImportRun[] = [];
			for (let i = 0; i < IMPORT_RUNS; i++) runs.push(await importOnce(browser, url, file));
			console.log(`  ${basename(file)} (${label}):`);
			console.log(`    outcome drawn after:            ${fmt(runs.map((r) => r.outcomeMs))}`);
			console.log(
				`    longest task over 50 ms (0: none): ${fmt(runs.map((r) => r.longestTaskMs))}`
			);
			console.log(`    tasks over 50 ms:               ${runs.map((r) => r.longTasks).join(', ')}`);
			console.log(
				`    longest task until the page's check after it ended: ${fmt(runs.map((r) => r.longestWithCheckMs))}`
			);
			console.log(`    ${runs[0].outcome.slice(0, 240)}`);
			if (runs.some((r) => !expected.test(r.outcome)))
				problems.push(`${basename(file)}: ${runs.find((r) => !expected.test(r.outcome))!.outcome}`);
			if (Math.max(...runs.map((r) => r.longestTaskMs)) > IMPORT_TASK_MS)
				problems.push(`importing ${basename(file)} blocked the page for over ${IMPORT_TASK_MS} ms`);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	return problems;
}

const PARTS = (process.env.BENCH_PART ?? 'load,import').split(',');
const served = process.env.BENCH_URL ? undefined : await startPreview();
const url = process.env.BENCH_URL ?? served!.url;
const browser = await launch();
try {
	const problems: string[] = [];
	if (PARTS.includes('load')) problems.push(...(await loadPart(browser, url)));
	if (PARTS.includes('import')) problems.push(...(await importPart(browser, url)));
	for (const p of problems) console.log(`FAILED: ${p}.`);
	if (problems.length) process.exitCode = 1;
} finally {
	await browser.close();
	served?.stop();
}
