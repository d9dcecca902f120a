/**
 * The phone's navigation fits one row: the pages used while practising and reviewing in view, the
 * rest one tap away under "More", by keyboard as by touch. The desktop shows every page.
 */
import { describe, expect, it } from 'vitest';
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

const browser = useBrowser();

describe('navigation on a phone', () => {
	it('fits one row, and reaches every page by touch and by keyboard', async () => {
		const context = await browser().newContext({ viewport: PHONE });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.goto(new URL('/', baseUrl()).href);
		const nav = page.getByRole('navigation', { name: 'Main' });
		const links = nav.getByRole('link');
		// One row: every visible link and the More button share one line. The single-page app draws
		// its navigation after its code starts, so wait for it rather than read an empty page.
		const visible = nav.locator('a:visible, button:visible');
		await expect.poll(() => visible.count()).toBe(4);
		const boxes = await visible.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
		expect(Math.max(...boxes) - Math.min(...boxes)).toBeLessThan(4);
		const navBox = (await nav.boundingBox())!;
		expect(navBox.x + navBox.width).toBeLessThanOrEqual(PHONE.width);
		expect(await links.filter({ hasText: 'Journal' }).isVisible()).toBe(false);
		await screenshot(page, 'phone-nav-closed', page.locator('header'));

		// By touch: More opens the rest.
		const more = nav.getByRole('button', { name: 'More' });
		expect(await more.getAttribute('aria-expanded')).toBe('false');
		await more.click();
		expect(await more.getAttribute('aria-expanded')).toBe('true');
		await screenshot(page, 'phone-nav-open');
		expect(await axeViolations(page), 'menu open').toEqual([]);
		await nav.getByRole('link', { name: 'Compare' }).click();
		await expect.poll(() => page.url()).toContain('/compare');
		expect(await more.getAttribute('aria-expanded')).toBe('false');
		// The page in the menu is marked on the More button.
		expect(await more.evaluate((b) => b.classList.contains('current'))).toBe(true);

		// By keyboard: Tab to More, Enter, Tab into the menu, Enter; Escape closes it.
		await more.focus();
		await page.keyboard.press('Enter');
		await page.keyboard.press('Escape');
		expect(await more.getAttribute('aria-expanded')).toBe('false');
		await page.keyboard.press('Enter');
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sessions');
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Journal');
		await page.keyboard.press('Enter');
		await expect.poll(() => page.url()).toContain('/journal');

		// The desktop shows all seven pages, no More.
		await page.setViewportSize(DESKTOP);
		expect(await nav.locator('a:visible').count()).toBe(7);
		expect(await more.isVisible()).toBe(false);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
