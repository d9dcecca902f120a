/**
 * A Kubios user reproducing a Kubios report: on a session's page they choose Kubios's settings
 * (artifact correction, detrending, Welch window, interpolation rate), the figures are recomputed
 * in place, the choice stays with the session after a reload, and the downloaded report names the
 * settings that produced its figures.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeRr } from '../../src/lib/analysis';
import {
	DESKTOP,
	baseUrl,
	pageErrors,
	screenshot,
	trackPageErrors,
	useBrowser
} from './fixtures/browser';
import { importRrText } from './fixtures/saved-beats';
import { breathingHeart, rrText } from '../fixtures/hearts';

const browser = useBrowser();

describe('analysis settings on a session', () => {
	it('recomputes in place with the chosen settings, keeps them, and names them in the report', async () => {
		const context = await browser().newContext({ viewport: DESKTOP, acceptDownloads: true });
		const page = await context.newPage();
		trackPageErrors(page);
		const heart = breathingHeart({ seed: 5, rate: 6, swingBpm: 20, durationS: 300 });
		const text = rrText(heart);
		const id = await importRrText(page, baseUrl(), 'kubios-check.txt', text);
		await page.goto(new URL(`/sessions/${id}`, baseUrl()).href);
		const value = (label: string) =>
			page
				.locator('table.metrics tr', { has: page.locator('th', { hasText: label }) })
				.locator('td.value')
				.first();
		await expect.poll(() => value('LF / HF').count(), { timeout: 30_000 }).toBe(1);

		// What the engine gives for the file with each set of settings (the page shows 2 decimals).
		const rr = text.trim().split('\n').map(Number);
		const lfhf = (settings = {}) => analyzeRr(rr, { settings }).frequency.lfhf.toFixed(2);
		const kubios = { correction: 'none', lambda: 0, windowS: 256, resampleHz: 4 } as const;
		expect(lfhf()).not.toBe(lfhf(kubios));
		expect(await value('LF / HF').textContent()).toBe(lfhf());

		await page.getByRole('heading', { name: 'Analysis settings' }).click();
		await page.getByLabel('Artifact correction').selectOption('none');
		await page.getByLabel('Detrending').selectOption('none');
		await page.getByLabel('Welch window (s)').fill('10');
		await page.getByRole('button', { name: 'Apply and recompute' }).click();
		await expect
			.poll(() => page.getByRole('alert').textContent())
			.toContain('the Welch window (s) must be a number from 30 to 600');
		await page.getByLabel('Welch window (s)').fill('256');
		await page.getByRole('button', { name: 'Apply and recompute' }).click();
		await expect.poll(() => value('LF / HF').textContent()).toBe(lfhf(kubios));
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'Recomputed' }).textContent())
			.toContain('detrending: none; Welch window: 256 s');
		await screenshot(page, 'analysis-settings', page.locator('details.card'));

		// Kept with the session.
		await page.reload();
		await expect.poll(() => value('LF / HF').textContent(), { timeout: 30_000 }).toBe(lfhf(kubios));
		expect(
			await page.getByText(/These figures: artifact correction: none; detrending: none/).count()
		).toBe(1);

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Export the report (.txt)' }).click()
		]);
		const report = readFileSync((await download.path())!, 'utf8');
		expect(report).toContain(
			'Settings    artifact correction: none; detrending: none; Welch window: 256 s; interpolation: 4 Hz'
		);
		expect(report).toContain(`LF/HF ${lfhf(kubios)}`);

		// Back to the defaults.
		await page.getByRole('heading', { name: 'Analysis settings' }).click();
		await page.getByRole('button', { name: 'Back to Settle’s defaults' }).click();
		await expect.poll(() => value('LF / HF').textContent()).toBe(lfhf());
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
