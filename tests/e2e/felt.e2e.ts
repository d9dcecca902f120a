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
import { seedSessions, type SeedRow } from './fixtures/seed';

const browser = useBrowser();
const MORNING = new Date(2026, 10, 25, 7, 0);
const DAY = 86_400_000;

/** A demo reading with tension noted before and after, and a note. */
async function reading(
	page: Page,
	phase: 'before a routine' | 'after a routine',
	tension: [number, number],
	note: string
) {
	await page.getByLabel(phase).check();
	await page.getByLabel('5 minutes').check();
	await page.getByLabel('Note it').check();
	await page.getByLabel('Tension before, 0 to 10').fill(String(tension[0]));
	await page.getByRole('button', { name: 'Start session' }).click();
	for (let s = 0; s < 180; s += 10) await page.clock.runFor(10_000);
	await page.getByRole('button', { name: 'Stop' }).click();
	await page.getByRole('button', { name: "I'm up" }).click();
	await page.getByLabel('Note it').check();
	await page.getByLabel('Tension after, 0 to 10').fill(String(tension[1]));
	await page.getByLabel('Anything that came up?').fill(note);
	await page.getByRole('button', { name: 'Save and see summary' }).click();
	await expect.poll(() => page.getByRole('heading', { name: 'Felt', exact: true }).count()).toBe(1);
}

/** Twelve earlier mornings: a before and an after reading around the routine, each with a note. */
function earlierMornings(): SeedRow[] {
	const rows: SeedRow[] = [];
	for (let d = 1; d <= 12; d++) {
		const t = MORNING.getTime() - d * DAY;
		const w = ((d * 7) % 5) - 2;
		const common = { routine: 'Constructive rest', tags: [], lnRmssd: 3.4, tauS: 90 };
		rows.push({
			...common,
			id: `felt-${d}-b`,
			startedAt: t,
			phase: 'before',
			meanHr: 68 + w,
			settledHr: 64 + w,
			settledLnRmssd: 3.3 - 0.03 * w,
			hrDrop: 6 + 0.5 * w,
			tensionBefore: 6 + (w > 0 ? 1 : 0),
			tensionAfter: 4 - 0.3 * w,
			note: d % 3 ? `Day ${d}: hips slow to let go.` : `Day ${d}: jaw tight, shoulders fine.`
		});
		rows.push({
			...common,
			id: `felt-${d}-a`,
			startedAt: t + 40 * 60_000,
			phase: 'after',
			meanHr: 63 + w,
			settledHr: 60 + w,
			settledLnRmssd: 3.6 - 0.03 * w,
			hrDrop: 3 + 0.5 * w,
			tensionBefore: 4,
			tensionAfter: 2 - 0.2 * w,
			note: `Day ${d}: lower back softer after the routine.`
		});
	}
	return rows;
}

describe('what you feel beside what your heart shows', () => {
	it('trends felt tension, compares it before/after, and keeps a searchable journal', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.clock.install({ time: MORNING });
		await page.goto(new URL('/sessions', baseUrl()).href);
		await page.getByRole('heading', { name: 'Sessions' }).waitFor();
		await seedSessions(page, earlierMornings());
		await page.goto(baseUrl());
		await page.getByRole('button', { name: 'Use demo strap' }).click();
		await page.clock.runFor(2000);
		await reading(page, 'before a routine', [7, 4], 'Hips let go; jaw still tight.');
		await screenshot(page, 'felt-summary-desktop');
		await page.getByRole('button', { name: 'Done' }).click();
		await page.clock.runFor(20 * 60_000);
		await reading(page, 'after a routine', [4, 2], 'Lower back melted into the floor.');

		// History: felt tension over days beside the heart, and whether feeling follows the heart.
		await page.getByRole('link', { name: 'History' }).click();
		await expect.poll(() => page.getByRole('heading', { name: 'How you felt' }).count()).toBe(1);
		for (const title of ['Felt tension before', 'Felt tension after', 'Felt change in the session'])
			expect(await page.getByText(title, { exact: true }).count()).toBe(1);
		// Three heart trends, the breathing rate and the out/in ratio (the demo strap's chest measured
		// it), three felt trends, the felt-against-heart chart.
		await expect.poll(() => page.locator('[data-drawn]').count()).toBe(9);
		const agreement = page.getByRole('region', { name: 'Does your feeling follow your heart?' });
		expect(await agreement.textContent()).toMatch(/26 sessions\)/);
		expect(await agreement.textContent()).not.toMatch(/Too few/);
		expect(
			await page.getByRole('heading', { name: /^Since you started Constructive rest on/ }).count()
		).toBe(1);
		expect(await axeViolations(page), 'history with felt trends').toEqual([]);
		await screenshot(page, 'felt-history-desktop');
		await page.setViewportSize(PHONE);
		await screenshot(page, 'felt-history-phone');
		await page.setViewportSize(DESKTOP);

		// Compare: felt tension in the before/after question, with its own interval.
		await page.getByRole('link', { name: 'Compare' }).click();
		const felt = page
			.getByRole('region', { name: 'Changes' })
			.getByRole('row')
			.filter({ hasText: 'Felt tension at the end' });
		await expect.poll(() => felt.count()).toBe(1);
		expect(await felt.textContent()).toMatch(/−\d\.\d/);
		const verdict =
			(await page.getByRole('region', { name: 'What this says' }).textContent()) ?? '';
		expect(verdict).toMatch(/Across 13 before\/after pairs/);
		expect(verdict).toMatch(/felt tension fell by \d\.\d \(of 10\)/);
		await screenshot(page, 'felt-compare-desktop');

		// The journal: every note, newest first, searchable, each opening its session.
		await page.getByRole('link', { name: 'Journal' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^26 notes$/);
		expect(await page.locator('.note').first().textContent()).toBe(
			'Lower back melted into the floor.'
		);
		await page.getByLabel('Search').fill('hips');
		await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^\d+ notes?$/);
		const hips = Number((await page.getByRole('status').textContent())?.match(/\d+/)?.[0]);
		expect(hips).toBe(1 + 12 - 4);
		await page.getByLabel('Reading').selectOption('before');
		expect(await axeViolations(page), 'journal').toEqual([]);
		await screenshot(page, 'journal-desktop');
		await page.setViewportSize(PHONE);
		await screenshot(page, 'journal-phone');
		await page.setViewportSize(DESKTOP);
		await page.locator('.meta a').first().click();
		await expect
			.poll(() => page.getByRole('heading', { level: 1 }).textContent())
			.toMatch(/^Before a routine/);
		await expect
			.poll(() => page.getByRole('heading', { name: 'Felt', exact: true }).count())
			.toBe(1);
		await screenshot(page, 'felt-session-desktop');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
