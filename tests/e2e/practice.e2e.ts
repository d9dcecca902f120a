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
import { EmulatedStrap } from './fixtures/emulated-strap';
import { savedRrMs, savedSessions } from './fixtures/saved-beats';

const browser = useBrowser();

async function openWithClock(viewport = DESKTOP): Promise<Page> {
	const context = await browser().newContext({ viewport });
	const page = await context.newPage();
	trackPageErrors(page);
	await page.clock.install();
	await page.goto(baseUrl());
	return page;
}

/** Runs the fake clock in one-second steps so the demo strap's packets flow as in real time. */
async function runMinutes(page: Page, minutes: number): Promise<void> {
	for (let s = 0; s < minutes * 60; s += 10) await page.clock.runFor(10_000);
}

describe('guided constructive-rest session', () => {
	for (const [name, viewport] of [
		['desktop', DESKTOP],
		['phone', PHONE]
	] as const) {
		it(`runs a whole 5-minute session on the demo strap in accelerated time (${name})`, async () => {
			const page = await openWithClock(viewport);
			await page.getByRole('button', { name: 'Use demo strap' }).click();
			await page.clock.runFor(2000);
			await expect
				.poll(() => page.getByRole('status', { name: 'Connection' }).textContent())
				.toBe('Connected');

			await page.getByLabel('5 minutes').check();
			await page.getByLabel('before a routine').check();
			await page.getByLabel('Note it').check();
			await page.getByLabel('Tension before, 0 to 10').fill('6');
			await screenshot(page, `practice-choose-${name}`);
			await page.getByRole('button', { name: 'Guide me into position' }).click();
			for (let step = 1; step <= 7; step++) {
				await expect.poll(() => page.getByText(`Step ${step} of 7`).count()).toBe(1);
				await screenshot(page, `practice-setup-${step}-${name}`);
				if (step < 7) await page.getByRole('button', { name: 'Next' }).click();
			}
			await page.getByRole('button', { name: 'Start session' }).click();
			await page.clock.runFor(10_000);
			await screenshot(page, `practice-settle-${name}`);
			await runMinutes(page, 3);
			await expect
				.poll(() => page.getByLabel('Remaining time').textContent())
				.toMatch(/^[12]:\d\d$/);
			// The breathing read from the heart, beside the pacer's 4 s in / 6 s out.
			expect(
				await page.getByLabel('Your breathing, estimated from your heart').textContent()
			).toMatch(/Out-breath \d\.\d× the in-breath; aim for 1\.5×\s*· \d\.\d breaths a minute/);
			await screenshot(page, `practice-live-${name}`);
			await runMinutes(page, 2.5);
			await expect.poll(() => page.getByText('Time is up').count()).toBe(1);
			await screenshot(page, `practice-come-up-${name}`);

			await page.getByRole('button', { name: "I'm up" }).click();
			await page.getByLabel('Note it').check();
			await page.getByLabel('Tension after, 0 to 10').fill('2');
			await page.getByLabel('Anything that came up?').fill('Hips let go after a few minutes.');
			await page.getByLabel('New tag').fill('garden');
			await page.getByRole('button', { name: 'Add tag' }).click();
			await screenshot(page, `practice-report-${name}`);
			await page.getByRole('button', { name: 'Save and see summary' }).click();
			await expect.poll(() => page.getByText('Settled level').count()).toBe(1);
			// The demo person moves once: the settling figures say what they leave out, in sentences.
			const settling = await page
				.getByRole('region', { name: 'Settling' })
				.locator('p')
				.first()
				.textContent();
			expect(settling?.replace(/\s+/g, ' ').trim()).toBe(
				'How far your heart rate and lnRMSSD moved from the first two minutes to the last two. ' +
					'Beats where your body moved, and the half minute after, are left out.'
			);
			await screenshot(page, `practice-summary-${name}`);

			const [session] = (await savedSessions(page)) as unknown as {
				status: string;
				phase: string;
				plannedMinutes: number;
				tensionBefore: number;
				tensionAfter: number;
				note: string;
				tags: string[];
				durationMs: number;
				beatCount: number;
			}[];
			expect(session).toMatchObject({
				status: 'finished',
				phase: 'before',
				plannedMinutes: 5,
				tensionBefore: 6,
				tensionAfter: 2,
				note: 'Hips let go after a few minutes.'
			});
			expect(session.tags).toContain('garden');
			// 30 s settle-in + 5 min rest, at a resting heart rate.
			expect(session.durationMs).toBeGreaterThan(5.3 * 60_000);
			expect(session.beatCount).toBeGreaterThan(300);
			expect(pageErrors(page)).toEqual([]);
			await page.context().close();
		});
	}

	it('records a guided session from an emulated strap and measures the per-beat cost', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		await page.goto(baseUrl());
		const strap = await EmulatedStrap.attach(browser(), page, { name: 'Wahoo TICKR' });
		await page.getByRole('button', { name: 'Connect strap' }).click();
		await expect
			.poll(() => page.getByRole('status', { name: 'Connection' }).textContent())
			.toBe('Connected');
		await page.getByRole('button', { name: 'Start session' }).click();
		const sent: number[] = [];
		for (let i = 0; i < 300; i++) {
			const ticks = 820 + Math.round(60 * Math.sin(i / 3));
			sent.push((ticks * 1000) / 1024);
			await strap.notifyHeartRate([0x16, 72, ticks & 0xff, ticks >> 8]);
		}
		await expect.poll(() => page.getByText(/^Good/).count()).toBe(1);
		const cost = await page.evaluate(() =>
			(globalThis as { settleBeatCost?: { summary(): unknown } }).settleBeatCost?.summary()
		);
		console.log('main-thread cost per beat (ms):', JSON.stringify(cost));
		await screenshot(page, 'practice-emulated-live-desktop');
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect
			.poll(async () => (await savedSessions(page)).map((s) => s.status))
			.toEqual(['finished']);
		const [session] = await savedSessions(page);
		expect(await savedRrMs(page, session.id)).toEqual(sent);
		const c = cost as { logic: { meanMs: number }; charts: { meanMs: number } };
		// Headless Chromium here rasterizes canvases in software; the logic budget is 1 ms a beat.
		expect(c.logic.meanMs).toBeLessThan(1);
		expect(c.charts.meanMs).toBeLessThan(16);
		await strap.dispose();
		await context.close();
	});
});
