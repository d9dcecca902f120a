import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, useBrowser, openApp, pageErrors, screenshot } from './fixtures/browser';
import { EmulatedStrap } from './fixtures/emulated-strap';
import { mixedPayloads } from './fixtures/payloads';
import { savedRrMs, savedSessions } from './fixtures/saved-beats';

const browser = useBrowser();

describe('thin slice: strap to saved session', () => {
	it('records every RR value an emulated Polar H10 sends and keeps the session after a reload', async () => {
		const { page, context } = await openApp(browser(), '/');
		const strap = await EmulatedStrap.attach(browser(), page, { name: 'Polar H10', battery: 76 });
		await screenshot(page, 'home-desktop');

		await page.getByRole('button', { name: 'Connect strap' }).click();
		await expect
			.poll(() => page.getByRole('status', { name: 'Connection' }).textContent())
			.toBe('Connected');
		await expect.poll(() => page.getByText('Polar H10').count()).toBeGreaterThan(0);
		await expect.poll(() => page.getByText('Battery 76%').count()).toBe(1);

		await strap.notifyHeartRate([0x16, 64, 0x20, 0x03]);
		await expect.poll(() => page.getByLabel('Heart rate').first().textContent()).toBe('64');
		await screenshot(page, 'connected-desktop');

		await page.getByRole('button', { name: 'Start session' }).click();
		const payloads = mixedPayloads(120);
		await strap.notifyMany(payloads.map((p) => p.bytes));
		const expected = payloads.flatMap((p) => p.rrTicks.map((t) => (t * 1000) / 1024));
		expect(expected.length).toBeGreaterThan(150);
		await screenshot(page, 'recording-desktop');

		await page.getByRole('button', { name: 'Stop' }).click();
		await expect
			.poll(async () => (await savedSessions(page)).map((s) => s.status))
			.toEqual(['finished']);

		await page.reload();
		await page.getByRole('link', { name: 'Sessions' }).click();
		const row = page.getByRole('row').nth(1);
		await expect.poll(() => row.textContent()).toContain(String(expected.length));
		await screenshot(page, 'sessions-desktop');
		await page.setViewportSize(PHONE);
		// On a phone the list fits the screen: nothing to scroll sideways, each date on one line.
		expect(
			await page.locator('.table-wrap').evaluate((e) => e.scrollWidth <= e.clientWidth),
			'the sessions list fits a phone'
		).toBe(true);
		const date = page.getByRole('row').nth(1).getByRole('link');
		const lines = await date.evaluate(
			(a) => a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight)
		);
		expect(lines, 'a session date on a phone').toBeLessThan(1.5);
		await screenshot(page, 'sessions-phone');
		await page.setViewportSize(DESKTOP);

		const [session] = await savedSessions(page);
		expect(session.beatCount).toBe(expected.length);
		expect(await savedRrMs(page, session.id)).toEqual(expected);
		expect(pageErrors(page)).toEqual([]);
		await strap.dispose();
		await context.close();
	});
});
