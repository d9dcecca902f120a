/**
 * Felt tension noted after the fact: an imported session (which never had a slider) is given a
 * tension before and after on its page, which its page then shows as felt and which survives a
 * reload; clearing one removes it.
 */
import { describe, expect, it } from 'vitest';
import { DESKTOP, baseUrl, pageErrors, trackPageErrors, useBrowser } from './fixtures/browser';
import { importRrText, savedSessions } from './fixtures/saved-beats';
import { breathingHeart, rrText } from '../fixtures/hearts';

const browser = useBrowser();

describe('felt tension on a saved session', () => {
	it('can be added to an imported session, corrected and cleared', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		const text = rrText(breathingHeart({ seed: 9, durationS: 240 }));
		const id = await importRrText(page, baseUrl(), 'old.txt', text);
		await page.goto(new URL(`/sessions/${id}`, baseUrl()).href);
		await expect.poll(() => page.getByLabel('Before the session').count()).toBe(1);
		expect(await page.getByRole('heading', { name: 'Felt', exact: true }).count()).toBe(0);

		await page.getByLabel('Before the session').selectOption('7');
		await page.getByLabel('After the session').selectOption('3');
		await page.getByRole('button', { name: 'Save notes' }).click();
		await expect
			.poll(() => page.getByRole('heading', { name: 'Felt', exact: true }).count())
			.toBe(1);
		const stored = async () =>
			(
				(await savedSessions(page)) as unknown as {
					tensionBefore?: number;
					tensionAfter?: number;
				}[]
			)[0];
		expect(await stored()).toMatchObject({ tensionBefore: 7, tensionAfter: 3 });

		await page.reload();
		await expect.poll(() => page.getByLabel('Before the session').inputValue()).toBe('7');
		expect(await page.getByLabel('After the session').inputValue()).toBe('3');

		// Corrected, and one of them cleared.
		await page.getByLabel('Before the session').selectOption('');
		await page.getByLabel('After the session').selectOption('4');
		await page.getByRole('button', { name: 'Save notes' }).click();
		await expect.poll(async () => (await stored()).tensionAfter).toBe(4);
		expect((await stored()).tensionBefore).toBeUndefined();
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
