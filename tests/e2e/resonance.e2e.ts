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
import { tabTo } from './fixtures/keyboard';
import { savedSessions } from './fixtures/saved-beats';
import { DEMO_RESONANCE_BPM } from '../../src/lib/strap/demo/demo-strap';

const browser = useBrowser();

describe('finding your breathing rate', () => {
	it('runs a whole resonance assessment from the keyboard and makes its rate the pacer', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.clock.install({ time: new Date(2026, 10, 25, 7, 0) });
		await page.goto(new URL('/resonance', baseUrl()).href);
		expect(await axeViolations(page), 'intro').toEqual([]);
		await tabTo(page, /^Use demo strap$/);
		await page.keyboard.press('Enter');
		await page.clock.runFor(2000);
		await tabTo(page, /^Start the assessment$/);
		await screenshot(page, 'resonance-intro-desktop');
		await page.keyboard.press('Enter');
		await expect.poll(() => page.getByText('Rate 1 of 5').count()).toBe(1);
		// Two minutes to settle, then the first rate with its pacer.
		for (let s = 0; s < 130; s += 10) await page.clock.runFor(10_000);
		await expect
			.poll(() => page.getByText('Breathe in').or(page.getByText('Breathe out')).count())
			.toBe(1);
		expect(await axeViolations(page), 'running').toEqual([]);
		await screenshot(page, 'resonance-running-desktop');
		await page.setViewportSize(PHONE);
		await screenshot(page, 'resonance-running-phone');
		await page.setViewportSize(DESKTOP);
		// The demo chest breathes with the pacer: once the step's own breaths are measured, it says so.
		for (let s = 0; s < 60; s += 10) await page.clock.runFor(10_000);
		await expect
			.poll(() => page.getByTestId('resonance-follow-hint').textContent())
			.toMatch(/^The strap measures 6\.[3-7] breaths a minute.*: you are following the pacer\.$/);
		await screenshot(page, 'resonance-running-measured');
		// Five rates of two minutes, with 20 s rests between them: about 13½ minutes in all.
		for (let s = 0; s < 11.5 * 60; s += 10) await page.clock.runFor(10_000);
		const heading = page.getByRole('heading', { level: 2 }).first();
		await expect
			.poll(() => heading.textContent(), { timeout: 15_000 })
			.toMatch(/resonance rate|close to call/);
		const text = (await heading.textContent()) ?? '';
		const found = Number(text.match(/(\d+(?:\.\d+)?) breaths a minute/)?.[1]);
		// The demo strap's heart has its swings largest at its resonance rate.
		expect(Math.abs(found - DEMO_RESONANCE_BPM)).toBeLessThanOrEqual(0.5);
		expect(
			await page
				.getByRole('table', { name: /each breathing rate/ })
				.getByRole('row')
				.count()
		).toBe(6);
		await expect.poll(() => page.locator('[data-drawn]').count()).toBe(5);
		expect(await axeViolations(page), 'result').toEqual([]);
		await screenshot(page, 'resonance-result-desktop');
		await page.setViewportSize(PHONE);
		// Every figure of every rate on a phone's screen, none in columns scrolled out of sight.
		expect(
			await page
				.locator('.table-wrap')
				.first()
				.evaluate((e) => e.scrollWidth <= e.clientWidth),
			'the rates fit a phone'
		).toBe(true);
		await screenshot(page, 'resonance-result-phone');
		await page.setViewportSize(DESKTOP);

		const [session] = (await savedSessions(page)) as unknown as {
			routine: string;
			assessment: { steps: { rateBpm: number }[] };
			summary: { resonanceBpm?: number };
		}[];
		expect(session.routine).toBe('Resonance assessment');
		expect(session.assessment.steps.map((s) => s.rateBpm)).toEqual([6.5, 6, 5.5, 5, 4.5]);
		expect(session.summary.resonanceBpm).toBe(found);

		// The pacer now starts at that rate, and the assessment is listed to repeat later.
		await tabTo(page, /^Done$/);
		await page.keyboard.press('Enter');
		await expect
			.poll(() => page.getByText(`${found.toFixed(1)} breaths a minute`).count())
			.toBeGreaterThan(0);
		await page.getByRole('link', { name: 'Practise' }).click();
		await page.getByRole('button', { name: 'Start session' }).click();
		await page.clock.runFor(35_000);
		await page.getByText('Breathing guide', { exact: true }).click();
		expect(await page.getByLabel('Breaths a minute').inputValue()).toBe(String(found));
		await screenshot(page, 'practice-pacer-from-assessment-desktop');
		await page.getByRole('button', { name: 'Stop' }).click();
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('tells a person with no resonance that no rate wins, and keeps their pacer', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.clock.install({ time: new Date(2026, 10, 26, 7, 0) });
		await page.goto(new URL('/resonance', baseUrl()).href);
		await page.getByLabel("The demo strap's heart").selectOption('none');
		await page.getByRole('button', { name: 'Use demo strap' }).click();
		await page.clock.runFor(2000);
		await page.getByRole('button', { name: 'Start the assessment' }).click();
		await expect.poll(() => page.getByText('Rate 1 of 5').count()).toBe(1);
		for (let s = 0; s < 130 + 11.5 * 60; s += 10) await page.clock.runFor(10_000);
		const heading = page.getByRole('heading', { level: 2 }).first();
		await expect
			.poll(() => heading.textContent(), { timeout: 15_000 })
			.toMatch(/^Too close to call: .+ breaths a minute$/);
		// The same swing at every rate: at least two rates tie, and no rate is called "yours".
		expect(((await heading.textContent()) ?? '').match(/\d\.\d/g)!.length).toBeGreaterThan(1);
		expect(await page.getByText('Your pacer keeps its rate').count()).toBeGreaterThan(0);
		expect(await page.getByText('(yours)').count()).toBe(0);
		expect(await page.locator('tr.best').count()).toBe(0);
		await screenshot(page, 'resonance-no-resonance-desktop');

		const [session] = (await savedSessions(page)) as unknown as {
			summary: { resonanceBpm?: number; resonanceTieFastBpm?: number };
		}[];
		expect(session.summary.resonanceBpm).toBeUndefined();
		expect(session.summary.resonanceTieFastBpm).toBeDefined();
		await page.getByRole('button', { name: 'Done' }).click();
		await expect.poll(() => page.getByText(/too close to call \(/).count()).toBe(1);

		// The pacer was not moved: the practice page still paces at the default 6 a minute.
		await page.getByRole('link', { name: 'Practise' }).click();
		await page.getByRole('button', { name: 'Start session' }).click();
		await page.clock.runFor(35_000);
		await page.getByText('Breathing guide', { exact: true }).click();
		expect(await page.getByLabel('Breaths a minute').inputValue()).toBe('6');
		await page.getByRole('button', { name: 'Stop' }).click();
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
