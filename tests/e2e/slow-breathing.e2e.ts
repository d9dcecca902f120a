/**
 * The calm Settle exists to measure: a clean recording of a heart that follows a 6 a minute breath
 * with a 35 bpm swing and an out-breath twice the in-breath (tests/fixtures/hearts.ts), imported
 * as a person would, and read on its page: nothing corrected, no irregular-rhythm warning,
 * breathing 6.0 a minute and out-breath 2.0 × the in-breath. Before the breathing-aware artifact
 * detection the same file read "corrected beats" and an irregular rhythm.
 */
import { describe, expect, it } from 'vitest';
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

describe('slow breathing with a big heart swing', () => {
	it('reads as the clean sinus rhythm it is', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		const heart = breathingHeart({ seed: 2, rate: 6, swingBpm: 35, ratio: 2 });
		const id = await importRrText(page, baseUrl(), 'slow-breathing.txt', rrText(heart));
		await page.goto(new URL(`/sessions/${id}`, baseUrl()).href);
		const row = (label: string) =>
			page.locator('table.metrics tr', { has: page.locator('th', { hasText: label }) });
		await expect.poll(() => row('Corrected beats').count(), { timeout: 30_000 }).toBe(1);
		expect(await row('Corrected beats').locator('td.value').textContent()).toBe('0.0 %');
		expect(await row('Breaths a minute').locator('td.value').textContent()).toBe('6.0 /min');
		const ratio = Number.parseFloat(
			(await row('Out-breath / in-breath').locator('td.value').textContent()) ?? ''
		);
		expect(Math.abs(ratio - 2)).toBeLessThanOrEqual(0.2);
		expect(await page.getByText(/irregular/i).count()).toBe(0);
		// No warning notice, and the tachogram marks no beat.
		expect(await page.locator('p.notice').count()).toBe(0);
		expect(await page.getByText(/RR intervals; 0 judged ectopic, missed or extra/).count()).toBe(1);
		await screenshot(page, 'slow-breathing-session');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
