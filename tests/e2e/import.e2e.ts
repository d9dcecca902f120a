/**
 * Moving a history over from other apps: a folder of mixed exports (Kubios, Polar, Welltory,
 * SelfLoops, HRV Logger, FatMaxxer, Elite HRV, ann2rr, UTF-16 and Latin-1 files, and three that are
 * not beat intervals) chosen at once, dropped, and chosen again. Files are built in code
 * (fixtures/import-files/formats.ts), each from its format's public description.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
	DESKTOP,
	PHONE,
	baseUrl,
	pageErrors,
	screenshot,
	trackPageErrors,
	useBrowser
} from './fixtures/browser';
import { axeViolations } from './fixtures/axe';
import { savedSessions } from './fixtures/saved-beats';
import {
	eliteHrv,
	mixedFolder,
	restingRr,
	utf8,
	type ImportFixture
} from './fixtures/import-files/formats';

const browser = useBrowser();

interface SavedImport {
	id: string;
	beatCount: number;
	startedAt: number;
	strapName: string;
	signal?: string;
	importFormat?: string;
}

const asFiles = (fixtures: ImportFixture[]) =>
	fixtures.map((f) => ({ name: f.name, mimeType: 'text/plain', buffer: Buffer.from(f.bytes) }));

/** The summary's status region, whitespace collapsed; '' until an import of several files ends. */
async function summaryText(page: Page): Promise<string> {
	const status = page.getByRole('status').filter({ hasText: 'skipped as already imported' });
	if ((await status.count()) !== 1) return '';
	return ((await status.textContent()) ?? '').replace(/\s+/g, ' ');
}

/** Waits (up to a minute: every file is analysed) for the summary to say `counts`. */
async function waitForSummary(page: Page, counts: string): Promise<string> {
	await expect.poll(() => summaryText(page), { timeout: 60_000 }).toContain(counts);
	return summaryText(page);
}

describe('importing a history from other apps', () => {
	it('imports a folder of mixed files, says what each held, and skips them the second time', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.goto(new URL('/settings', baseUrl()).href);
		const folder = mixedFolder();
		const good = folder.filter((f) => f.expect.ok);
		const bad = folder.filter((f) => !f.expect.ok);

		// The label "Import RR files" is found as "Import RR file", as the other tests use it.
		await page.getByLabel('Import RR file').setInputFiles(asFiles(folder));
		const text = await waitForSummary(
			page,
			`${good.length} imported, 0 skipped as already imported, ${bad.length} not imported.`
		);
		for (const f of good) expect(await page.getByText(`Imported ${f.name}:`).count()).toBe(1);
		// What each file held: its format, unit and date, what was left out, what is optical.
		expect(text).toMatch(/Kubios HRV results · RR in seconds/);
		expect(text).toMatch(
			/SelfLoops HRV · RR in ms \(column "R-R \(ms\)"\) · recorded .+ \(date from the file\)/
		);
		expect(text).toMatch(
			/Polar Sensor Logger PPI \(optical\).*optical pulse intervals \(PPI\), not ECG/
		);
		expect(text).toMatch(/4 beats kept but left out of the analysis: blocked/);
		expect(text).toMatch(
			/1 value left out: the first value \(225\.8 s\) is the time from the start/
		);
		expect(text).toMatch(/Elite HRV · RR in ms · recorded .+ \(date from the file name\)/);
		expect(text).toMatch(/read as WINDOWS-1252/);
		expect(text).toMatch(/read as UTF-16LE/);
		// Refused, each with its reason, in one alert.
		const alert = (await page.getByRole('alert').textContent()) ?? '';
		for (const f of bad) {
			if (f.expect.ok) continue;
			expect(alert).toContain(`${f.name} was not imported`);
			expect(alert).toMatch(f.expect.reason);
		}
		await screenshot(page, 'import-folder-desktop');
		expect(await axeViolations(page), 'import summary').toEqual([]);
		await page.setViewportSize(PHONE);
		await screenshot(page, 'import-folder-phone');
		await page.setViewportSize(DESKTOP);

		const saved = (await savedSessions(page)) as unknown as SavedImport[];
		expect(saved).toHaveLength(good.length);
		for (const f of good) {
			if (!f.expect.ok) continue;
			const s = saved.find((x) => x.strapName === `Imported: ${f.name}`);
			expect(s, f.name).toBeDefined();
			expect(s!.beatCount).toBe(f.expect.beats);
			expect(s!.importFormat).toBe(f.expect.format);
			expect(s!.signal).toBe(f.expect.optical ? 'ppi' : undefined);
			if (f.expect.startedAt !== undefined) expect(s!.startedAt, f.name).toBe(f.expect.startedAt);
		}

		// The same folder again: nothing new, each file named as skipped.
		await page.getByLabel('Import RR file').setInputFiles(asFiles(folder));
		await waitForSummary(
			page,
			`0 imported, ${good.length} skipped as already imported, ${bad.length} not imported.`
		);
		for (const f of good)
			expect(await page.getByText(`Skipped ${f.name}: already imported`).count()).toBe(1);
		expect(await savedSessions(page)).toHaveLength(good.length);

		// The optical recording says so on its page.
		const ppi = saved.find((s) => s.signal === 'ppi')!;
		await page.goto(new URL(`/sessions/${ppi.id}`, baseUrl()).href);
		await expect
			.poll(() => page.locator('p.lead').textContent())
			.toMatch(/optical pulse intervals \(PPI\)/);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('imports files dropped on the drop zone', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.goto(new URL('/settings', baseUrl()).href);
		const files = [
			{ name: '2024-04-01 06-50-00.txt', bytes: Array.from(utf8(eliteHrv(restingRr(140, 61)))) },
			{ name: '2024-04-02 06-48-30.txt', bytes: Array.from(utf8(eliteHrv(restingRr(150, 62)))) }
		];
		const dataTransfer = await page.evaluateHandle((list) => {
			const dt = new DataTransfer();
			for (const f of list)
				dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: 'text/plain' }));
			return dt;
		}, files);
		const zone = page.getByRole('group', { name: 'Drop RR files or a folder here' });
		await zone.dispatchEvent('dragenter', { dataTransfer });
		await zone.dispatchEvent('drop', { dataTransfer });
		// As the folder import above waits: each file is summarised in a worker, seconds when busy
		// (the poll's default second failed once on a loaded machine).
		await expect
			.poll(() => summaryText(page), { timeout: 60_000 })
			.toContain('2 imported, 0 skipped as already imported');
		for (const f of files) expect(await page.getByText(`Imported ${f.name}:`).count()).toBe(1);
		expect(await savedSessions(page)).toHaveLength(2);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
