import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
	DESKTOP,
	PHONE,
	baseUrl,
	useBrowser,
	pageErrors,
	screenshot,
	trackPageErrors
} from './fixtures/browser';
import { axeViolations } from './fixtures/axe';
import { savedSessions } from './fixtures/saved-beats';
import { calmStartReadings } from './fixtures/calm-start-readings';
import { practiceHistory, seedSessions, untilReanalysed } from './fixtures/seed';

const browser = useBrowser();

/** Opens the app in `page` and stores `count` sessions of practice, as after years of it. */
async function storeSessions(page: Page, count: number): Promise<void> {
	await page.goto(new URL('/sessions', baseUrl()).href);
	await page.getByRole('heading', { name: 'Sessions' }).waitFor();
	await seedSessions(page, practiceHistory(count));
}

/** A guided demo session of about `minutes`, marked before or after the routine, saved. */
async function recordReading(
	page: Page,
	phase: 'before a routine' | 'after a routine',
	minutes: number
) {
	await page.getByLabel(phase).check();
	await page.getByLabel('5 minutes').check();
	await page.getByRole('button', { name: 'Start session' }).click();
	for (let s = 0; s < minutes * 60; s += 10) await page.clock.runFor(10_000);
	await page.getByRole('button', { name: 'Stop' }).click();
	await page.getByRole('button', { name: "I'm up" }).click();
	await page.getByRole('button', { name: 'Save and see summary' }).click();
	await expect.poll(() => page.getByText('Settled level').count()).toBe(1);
}

describe('reviewing the practice', () => {
	it('compares a before and an after reading, and shows each session in full', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		// A fixed morning: before and after must fall on the same day whenever the suite runs.
		await page.clock.install({ time: new Date(2026, 10, 25, 7, 0) });
		await page.goto(baseUrl());
		await page.getByRole('button', { name: 'Use demo strap' }).click();
		await page.clock.runFor(2000);

		await recordReading(page, 'before a routine', 3);
		await page.getByRole('button', { name: 'Done' }).click();
		// The routine itself happens away from the screen.
		await page.clock.runFor(20 * 60_000);
		await recordReading(page, 'after a routine', 3);
		const saved = await savedSessions(page);
		expect(saved.map((s) => (s as unknown as { phase: string }).phase).sort()).toEqual([
			'after',
			'before'
		]);

		// The comparison, straight from the after reading's summary: one pair, judged honestly.
		await page.getByRole('link', { name: 'Compare with before' }).click();
		await expect
			.poll(() => page.getByRole('region', { name: 'What this says' }).textContent())
			.toMatch(/In this pair, settled heart rate (fell|rose) by \d+\.\d bpm/);
		const verdict = await page.getByRole('region', { name: 'What this says' }).textContent();
		// Two readings cannot give a day-to-day noise estimate, and the verdict says so.
		expect(verdict).toMatch(/does not know your day-to-day variation yet/);
		expect(verdict).toMatch(/One pair cannot show that the routine helps/);
		expect(await page.getByLabel('all same-day pairs (1)').isChecked()).toBe(true);
		const rows = page.getByRole('region', { name: 'Changes' }).getByRole('row');
		// A header, three group headings, six figures.
		expect(await rows.count()).toBe(10);
		const hrRow = rows.filter({ hasText: 'Settled heart rate' });
		expect(await hrRow.textContent()).toMatch(/Settled heart rate \(bpm\)\s*\d+\.\d\s*\d+\.\d/);
		expect(await hrRow.textContent()).toMatch(/not known yet/);
		// The noise not known, the table cannot answer "beyond noise?" with a no (the verdict above
		// says it cannot tell).
		expect(
			await hrRow.getByRole('cell').last().textContent(),
			'beyond noise, noise not known'
		).toMatch(/Can.t tell yet/);
		await expect
			.poll(() =>
				page
					.locator('[data-drawn][aria-label="Heart rate curves before and after the routine"]')
					.count()
			)
			.toBe(1);
		expect(await axeViolations(page), 'compare').toEqual([]);
		await screenshot(page, 'compare-desktop');

		// Every control works from the keyboard: arrow keys move between the modes.
		await page.getByLabel('all same-day pairs (1)').focus();
		await page.keyboard.press('ArrowRight');
		expect(
			await page
				.getByRole('radio', { name: /every before \(1\) with\s+every after \(1\)/ })
				.isChecked()
		).toBe(true);
		await expect
			.poll(() => page.getByRole('region', { name: 'What this says' }).textContent())
			.toMatch(/too wide to say anything yet/);
		// One pair chosen by hand (the list is newest first: the after, then the before reading).
		await page.getByRole('radio', { name: 'one pair' }).check();
		await page.getByRole('combobox', { name: /^Pair/ }).selectOption('hand');
		await page.getByRole('combobox', { name: /^Before/ }).selectOption({ index: 2 });
		await page.getByRole('combobox', { name: /^After/ }).selectOption({ index: 1 });
		await expect
			.poll(() => page.getByRole('region', { name: 'What this says' }).textContent())
			.toMatch(/^What this says\s*In this pair, settled heart rate/);

		// The session page: pictures, then every figure, then notes.
		await page.getByRole('link', { name: 'Sessions' }).click();
		await page.getByRole('row').nth(2).getByRole('link').click();
		await expect
			.poll(() => page.getByRole('heading', { level: 1 }).textContent())
			.toMatch(/^Before a routine/);
		for (const chart of [
			'Heart rate over the session',
			'RR tachogram with corrected beats marked',
			'Rolling RMSSD over the session',
			'Poincaré plot of successive RR intervals',
			'Power spectral density with VLF, LF and HF bands shaded',
			'Histogram of RR intervals'
		])
			await expect
				.poll(() => page.locator(`[data-drawn][aria-label="${chart}"]`).count(), { message: chart })
				.toBe(1);
		const figures = page.getByRole('table', { name: 'All HRV figures with explanations' });
		expect(await figures.getByRole('row').count()).toBeGreaterThan(20);
		expect(await figures.textContent()).toMatch(/RMSSD\s*\d+\.\d ms\s*Beat-to-beat variability/);
		// Folded tables are built when first opened.
		const folded = page.getByRole('table', { name: 'Minute by minute', includeHidden: true });
		expect(await folded.count()).toBe(0);
		// The heart rate's card (the demo strap's measured breathing has cards of its own above it).
		await page
			.getByRole('figure', { name: 'Heart rate', exact: true })
			.getByText('Show as a table')
			.click();
		await expect
			.poll(() => page.getByRole('table', { name: 'Minute by minute' }).getByRole('row').count())
			.toBeGreaterThan(3);
		expect(await axeViolations(page), 'session detail').toEqual([]);
		await screenshot(page, 'session-detail-desktop');

		await page.getByLabel('Note', { exact: true }).fill('Stiff after the drive.');
		await page.getByLabel('Tags, separated by commas').fill('travel, evening');
		await page.getByRole('button', { name: 'Save notes' }).click();
		await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);
		await page.reload();
		await expect
			.poll(() => page.getByLabel('Note', { exact: true }).inputValue())
			.toBe('Stiff after the drive.');
		expect(await page.getByLabel('Tags, separated by commas').inputValue()).toBe('travel, evening');

		// History: the streak and the trends, filtered by the new tag.
		await page.getByRole('link', { name: 'History' }).click();
		await expect.poll(() => page.getByText('1 day in a row').count()).toBe(1);
		await page.getByLabel('Tag').selectOption('travel');
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: '1 of 2 sessions' }).count())
			.toBe(1);
		// Three heart trends, the breathing rate and the out/in ratio (the demo strap's chest measured
		// it).
		await expect.poll(() => page.locator('[data-drawn]').count()).toBe(5);
		expect(await page.getByText('Your normal range appears after five sessions.').count()).toBe(5);
		expect(
			await page.getByRole('figure').filter({ hasText: 'Out-breath / in-breath, measured' }).count()
		).toBe(1);
		expect(await axeViolations(page), 'history').toEqual([]);
		await screenshot(page, 'history-desktop');
		// Each reading in a trend's table opens its session.
		await page.getByText('Show as a table').first().click();
		await page
			.getByRole('table', { name: /Settled heart rate/ })
			.getByRole('link')
			.first()
			.click();
		await expect
			.poll(() => page.getByRole('heading', { level: 1 }).textContent())
			.toMatch(/^Before a routine/);
		await page.goBack();
		await page.setViewportSize(PHONE);
		await screenshot(page, 'history-phone');
		// On a phone Compare is one tap away, under More.
		await page.getByRole('button', { name: 'More' }).click();
		await page.getByRole('link', { name: 'Compare' }).click();
		await expect.poll(() => page.getByRole('region', { name: 'What this says' }).count()).toBe(1);
		await screenshot(page, 'compare-phone');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('answers honestly when after-readings start calmer and end calmer', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.goto(new URL('/settings', baseUrl()).href);
		const files = calmStartReadings(new Date());
		for (const f of files) {
			await page
				.getByLabel('Import RR file')
				.setInputFiles({ name: f.name, mimeType: 'text/plain', buffer: Buffer.from(f.text) });
			await expect.poll(() => page.getByText(`Imported ${f.name}`).count()).toBe(1);
		}
		// Each reading marked on its own page, as a person would.
		const saved = (await savedSessions(page)) as unknown as { id: string; strapName: string }[];
		expect(saved).toHaveLength(12);
		for (const s of saved) {
			const phase = files.find((f) => s.strapName.endsWith(f.name))!.phase;
			await page.goto(new URL(`/sessions/${s.id}`, baseUrl()).href);
			await page.getByLabel(`${phase} a routine`).check();
			await page.getByRole('button', { name: 'Save notes' }).click();
			await expect
				.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count())
				.toBe(1);
		}
		await page.getByRole('link', { name: 'Compare' }).click();
		const verdict = page.getByRole('region', { name: 'What this says' });
		await expect.poll(() => verdict.textContent()).toMatch(/Across 6 before\/after pairs/);
		const text = (await verdict.textContent()) ?? '';
		// Judged on where the readings ended: about 6 bpm lower, breathing swings 1.6× larger.
		expect(text).toMatch(/settled heart rate fell by [4-8]\.\d bpm/);
		expect(text).toMatch(/settled lnRMSSD rose by 0\.\d\d/);
		expect(text).toMatch(/more than your day-to-day noise/);
		expect(text).toMatch(/started calmer, so there was less to settle/);
		expect(text).not.toMatch(/less settled|worse|fell by \d+ points/);
		const changes = page.getByRole('region', { name: 'Changes' });
		expect(
			await changes.getByRole('row').filter({ hasText: 'Heart-rate drop' }).textContent()
		).toMatch(/Not judged/);
		expect(await axeViolations(page), 'compare, calm-start readings').toEqual([]);
		await screenshot(page, 'compare-calm-start-desktop');
		await page.setViewportSize(PHONE);
		await screenshot(page, 'compare-calm-start-phone');
		// The session page shows both answers for one reading.
		await page.goto(new URL(`/sessions/${saved[0].id}`, baseUrl()).href);
		await expect.poll(() => page.getByRole('heading', { name: 'Settled level' }).count()).toBe(1);
		expect(await page.getByRole('heading', { name: 'Settling' }).count()).toBe(1);
		await page.setViewportSize(DESKTOP);
		await screenshot(page, 'session-settle-desktop');
		// History: the settled level and the settling, with a normal range after five sessions.
		await page.getByRole('link', { name: 'History' }).click();
		await expect.poll(() => page.locator('[data-drawn]').count()).toBe(4);
		expect(await page.getByText('Settled heart rate', { exact: true }).count()).toBe(1);
		expect(await page.getByText('Settling: heart-rate drop', { exact: true }).count()).toBe(1);
		await screenshot(page, 'history-calm-start-desktop');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('tells a short session apart: stopped early, and under a minute has no analysis', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.clock.install();
		await page.goto(baseUrl());
		await page.getByRole('button', { name: 'Use demo strap' }).click();
		await page.clock.runFor(2000);
		await page.getByRole('button', { name: 'Start session' }).click();
		for (let s = 0; s < 45; s += 5) await page.clock.runFor(5000);
		// Polled: the clock stands still meanwhile, so the session stays under a minute; the page
		// may still be finishing the work those 45 s of timers set off (an instant count failed
		// 3 times in 6).
		await expect
			.poll(() =>
				page.getByText('Stopping before one minute saves the session without analysis.').count()
			)
			.toBe(1);
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(() => page.getByText('You stopped early').count()).toBe(1);
		expect(await page.getByText('Time is up').count()).toBe(0);
		expect(
			await page.getByText(/lasted under a minute. It is saved, but it has no analysis/).count()
		).toBe(1);
		await screenshot(page, 'come-up-early-desktop');
		await page.getByRole('button', { name: "I'm up" }).click();
		await page.getByRole('button', { name: 'Save and see summary' }).click();
		await expect.poll(() => page.getByText('Settled level').count()).toBe(1);
		const [saved] = await savedSessions(page);
		await page.goto(new URL(`/sessions/${saved.id}`, baseUrl()).href);
		await expect
			.poll(() => page.getByText('This session is too short for the full analysis').count())
			.toBe(1);
		// No settled level or settling from 45 seconds: unknown, not zero.
		expect(await page.getByText('no clear decay').count()).toBe(1);
		expect(await page.getByText(/the intervals ran from \d+ to \d+ ms/).count()).toBe(1);
		expect(await page.getByText('from – to –').count()).toBe(0);
		await screenshot(page, 'session-short-desktop');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('deletes a session with undo', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		await page.goto(new URL('/settings', baseUrl()).href);
		const rr = Array.from({ length: 300 }, (_, i) => String(820 + (i % 11) * 7)).join('\n');
		await page
			.getByLabel('Import RR file')
			.setInputFiles({ name: 'morning.txt', mimeType: 'text/plain', buffer: Buffer.from(rr) });
		await expect.poll(() => page.getByText('Imported morning.txt').count()).toBe(1);
		await page.getByRole('link', { name: 'Sessions' }).click();
		await page.getByRole('row').nth(1).getByRole('link').click();
		await page.getByRole('button', { name: 'Delete this session' }).click();
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'was deleted' }).count())
			.toBe(1);
		expect(await savedSessions(page)).toEqual([]);
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect.poll(async () => (await savedSessions(page)).length).toBe(1);
		await expect
			.poll(() => page.getByRole('heading', { level: 1 }).textContent())
			.toMatch(/Imported/);
		await context.close();
	});

	it('opens History in a new tab from the sessions read while the app loaded, and stays live', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const setup = await context.newPage();
		await storeSessions(setup, 300);
		// Closed at once: left open, its upkeep of older summaries would write while History loads.
		await setup.close();

		// Count reads of the finished sessions, anything the security policy blocks, and Dexie's
		// debugging (a console task per query, which it starts by itself on 127.0.0.1).
		await context.addInitScript(`
			window.__reads = [];
			window.__blocked = [];
			window.__consoleTasks = 0;
			addEventListener('securitypolicyviolation', (e) => __blocked.push(e.violatedDirective));
			const createTask = console.createTask;
			if (createTask)
				console.createTask = function (...args) {
					__consoleTasks++;
					return createTask.apply(this, args);
				};
			const getAll = IDBIndex.prototype.getAll;
			IDBIndex.prototype.getAll = function (...args) {
				// A key, a key range, or (newer Chromium, as Dexie passes it) { query, count }.
				const arg = args[0];
				const query = arg && typeof arg === 'object' && !(arg instanceof IDBKeyRange) ? arg.query : arg;
				const key = query instanceof IDBKeyRange ? query.lower : query;
				if (this.objectStore.name === 'sessions' && this.name === 'status' && key === 'finished')
					__reads.push(performance.now());
				return getAll.apply(this, args);
			};
			// The check of the first answer reads the sessions in steps, by primary key: its first
			// step (no lower bound) counts as a read.
			const storeGetAll = IDBObjectStore.prototype.getAll;
			IDBObjectStore.prototype.getAll = function (...args) {
				const arg = args[0];
				const query = arg && typeof arg === 'object' && !(arg instanceof IDBKeyRange) ? arg.query : arg;
				if (this.name === 'sessions' && query == null) __reads.push(performance.now());
				return storeGetAll.apply(this, args);
			};
		`);
		const page = await context.newPage();
		trackPageErrors(page);
		await page.goto(new URL('/history', baseUrl()).href);
		const drawn = await page.waitForFunction(() =>
			document.querySelectorAll('[data-drawn]').length >= 3 ? performance.now() : false
		);
		const drawnAt = Number(await drawn.jsonValue());
		expect(await page.getByRole('status').filter({ hasText: 'of 300 sessions' }).count()).toBe(1);
		const reads = () => page.evaluate(() => (window as unknown as { __reads: number[] }).__reads);
		// One read before the charts: the inline script's, which the app took as its first answer.
		expect((await reads()).filter((t) => t <= drawnAt)).toHaveLength(1);
		// The next read is the check of that answer, a second later: building the rest of the page
		// reads nothing again.
		await page.getByRole('link', { name: /Everything you noted/ }).waitFor();
		// Months of a routine: its last 12 weeks are listed, all of them on request.
		const weeks = page.getByRole('table', { name: /week by week/ });
		const all = page.getByRole('button', { name: /^Show all \d+ weeks$/ });
		expect(await weeks.locator('tbody tr').count()).toBe(12);
		const total = Number((await all.textContent())?.match(/\d+/)?.[0]);
		expect(total).toBeGreaterThan(12);
		await all.click();
		await expect.poll(() => weeks.locator('tbody tr').count()).toBe(total);
		expect(await axeViolations(page), 'history with every week listed').toEqual([]);
		// The same button, still focused, takes the list back to the last 12.
		const fewer = page.getByRole('button', { name: 'Show the last 12 weeks' });
		expect(await fewer.evaluate((b) => b === document.activeElement)).toBe(true);
		await fewer.click();
		await expect.poll(() => weeks.locator('tbody tr').count()).toBe(12);
		await expect.poll(async () => (await reads()).length, { timeout: 5000 }).toBeGreaterThan(1);
		const [early, check] = await reads();
		expect(check - early).toBeGreaterThanOrEqual(1000);
		expect(
			await page.evaluate(() => (window as unknown as { __blocked: string[] }).__blocked)
		).toEqual([]);
		expect(
			await page.evaluate(() => (window as unknown as { __consoleTasks: number }).__consoleTasks)
		).toBe(0);

		// A session deleted in another tab leaves this tab's History too.
		const other = await context.newPage();
		await other.goto(new URL('/sessions', baseUrl()).href);
		await other.getByRole('row').nth(1).getByRole('link').click();
		await other.getByRole('button', { name: 'Delete this session' }).click();
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'of 299 sessions' }).count())
			.toBe(1);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('opens History in a new tab from the copy of the sessions kept last time, never a stale one', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const setup = await context.newPage();
		await storeSessions(setup, 120);
		await setup.goto(new URL('/history', baseUrl()).href);
		// Re-analysis of the seeded sessions writes them in batches: a tab opened meanwhile would
		// rightly read them again (seen on a loaded machine), so the counts below wait for its end.
		await untilReanalysed(setup);
		// The visit keeps a copy once idle, under the mark of the sessions' last change.
		const copyIsCurrent = () =>
			setup.evaluate(
				() =>
					new Promise<boolean>((resolve) => {
						const open = indexedDB.open('settle-snapshot');
						// Not there yet: create nothing (the app creates it with its store).
						open.onupgradeneeded = () => open.transaction!.abort();
						open.onsuccess = () => {
							const get = open.result
								.transaction('snapshot')
								.objectStore('snapshot')
								.get('finished');
							get.onsuccess = () => {
								open.result.close();
								resolve(get.result?.mark === localStorage.getItem('settle-sessions-changed'));
							};
							get.onerror = () => resolve(false);
						};
						open.onerror = () => resolve(false);
					})
			);
		await expect.poll(copyIsCurrent, { timeout: 10_000 }).toBe(true);

		await context.addInitScript(`
			window.__reads = 0;
			window.__copyOpens = 0;
			const getAll = IDBIndex.prototype.getAll;
			IDBIndex.prototype.getAll = function (...args) {
				if (this.objectStore.name === 'sessions') __reads++;
				return getAll.apply(this, args);
			};
			const open = IDBFactory.prototype.open;
			IDBFactory.prototype.open = function (name, ...rest) {
				if (name === 'settle-snapshot') __copyOpens++;
				return open.call(this, name, ...rest);
			};
		`);
		/**
		 * A new tab on History, when drawn: the sessions it counts, how many reads of them it made,
		 * and how often it opened the copy's database.
		 */
		const newTab = async () => {
			const page = await context.newPage();
			trackPageErrors(page);
			await page.goto(new URL('/history', baseUrl()).href);
			return page.waitForFunction(
				() =>
					document.querySelectorAll('[data-drawn]').length >= 3
						? {
								count: document.querySelector('.count')?.textContent,
								reads: (window as unknown as { __reads: number }).__reads,
								copyOpens: (window as unknown as { __copyOpens: number }).__copyOpens
							}
						: false,
				null,
				{ timeout: 20_000 }
			);
		};
		expect(await (await newTab()).jsonValue()).toEqual({
			count: '120 of 120 sessions',
			reads: 0,
			copyOpens: 1
		});

		// A session deleted in the app: the copy no longer counts, so the next tab reads the sessions
		// without opening the copy's database at all.
		await setup.goto(new URL('/sessions', baseUrl()).href);
		await setup.getByRole('row').nth(1).getByRole('link').click();
		await setup.getByRole('button', { name: 'Delete this session' }).click();
		await expect
			.poll(() => setup.getByRole('status').filter({ hasText: 'was deleted' }).count())
			.toBe(1);
		expect(await copyIsCurrent()).toBe(false);
		expect(await (await newTab()).jsonValue()).toEqual({
			count: '119 of 119 sessions',
			reads: 1,
			copyOpens: 0
		});
		for (const page of context.pages()) expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('writes History’s dates in the browser’s language, in a new tab without building a formatter', async () => {
		const context = await browser().newContext({ viewport: DESKTOP, locale: 'de-DE' });
		const setup = await context.newPage();
		await storeSessions(setup, 60);
		// A first visit learns the formats, one per idle moment (each waits up to 10 s for one): on
		// a busy CI machine that took over the default second.
		await setup.goto(new URL('/history', baseUrl()).href);
		await expect
			.poll(() => setup.evaluate(() => localStorage.getItem('settle-date-formats') ?? ''), {
				timeout: 60_000
			})
			.toContain('weekday');
		await setup.close();

		// Counts the Intl formatters a page builds (a tab's first costs 15–40 ms).
		await context.addInitScript(`
			window.__formatters = [];
			window.__RealDateFormat = Intl.DateTimeFormat;
			for (const name of ['DateTimeFormat', 'NumberFormat']) {
				const Real = Intl[name];
				Intl[name] = function (...args) {
					__formatters.push(name);
					return new Real(...args);
				};
			}
		`);
		const page = await context.newPage();
		trackPageErrors(page);
		await page.goto(new URL('/history', baseUrl()).href);
		await page.waitForFunction(() => document.querySelectorAll('[data-drawn]').length >= 3);
		type Counted = { __formatters: string[]; __RealDateFormat: typeof Intl.DateTimeFormat };
		expect(await page.evaluate(() => (window as unknown as Counted).__formatters)).toEqual([]);

		// The calendar's days, as German writes them ("Donnerstag, 26. November: 1 session").
		const days = await page
			.locator('.calendar td')
			.evaluateAll((cells) => cells.map((c) => c.getAttribute('title')!.split(':')[0]));
		const german = await page.evaluate(() => {
			const intl = new (window as unknown as Counted).__RealDateFormat(undefined, {
				weekday: 'long',
				month: 'long',
				day: 'numeric'
			});
			const today = new Date();
			// The calendar runs to the end of this week.
			return Array.from({ length: 400 }, (_, i) =>
				intl.format(new Date(today.getFullYear(), today.getMonth(), today.getDate() + 7 - i, 12))
			);
		});
		expect(days.length).toBeGreaterThanOrEqual(7 * 8);
		expect(german[7]).toMatch(
			/^(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag), \d+\. /
		);
		for (const d of days) expect(german).toContain(d);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('says a chart could not be drawn when its code does not load, and draws it on the next try', async () => {
		const context = await browser().newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
		const page = await context.newPage();
		trackPageErrors(page);
		await storeSessions(page, 60);
		// Chart.js's script fails, as it would offline before the app was kept.
		const chartsScript = /\/_app\/immutable\/assets\/charts\.[^/]+\.js$/;
		await page.route(chartsScript, (route) => route.abort('internetdisconnected'));
		await page.getByRole('link', { name: 'History' }).click();
		const notDrawn = page.getByText('This chart could not be drawn');
		await expect.poll(() => notDrawn.count()).toBe(3);
		expect(await page.getByRole('img', { name: /not drawn, its code did not load/ }).count()).toBe(
			3
		);
		await screenshot(page, 'history-charts-not-loaded');

		// Back online: the next visit loads it and draws every chart.
		await page.unroute(chartsScript);
		await page.getByRole('link', { name: 'Sessions' }).click();
		await page.getByRole('link', { name: 'History' }).click();
		await page.waitForFunction(() => document.querySelectorAll('[data-drawn]').length >= 3);
		expect(await notDrawn.count()).toBe(0);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('keeps the charts of History side by side after the other pages were shown', async () => {
		const context = await browser().newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
		const page = await context.newPage();
		await storeSessions(page, 60);
		await page.goto(baseUrl());
		// Each of these pages spaces its own cards; none of that may reach History's grid.
		for (const name of ['Breathing', 'Compare', 'History']) {
			await page.getByRole('navigation').getByRole('link', { name }).click();
			await page.getByRole('heading', { level: 1 }).waitFor();
		}
		await expect.poll(() => page.locator('[data-drawn]').count()).toBeGreaterThanOrEqual(3);
		const tops = await page
			.locator('figure.card')
			.evaluateAll((cards) => cards.slice(0, 2).map((c) => c.getBoundingClientRect().top));
		expect(tops[1]).toBe(tops[0]);
		await context.close();
	});
});
