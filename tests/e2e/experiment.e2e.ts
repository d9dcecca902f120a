/**
 * A four-week self-experiment lived through under a fake clock: a month of history before it
 * (for the power sentence), the plan drawn in the app, 27 days of readings with a known effect
 * (3 bpm lower settled heart rate on routine days, one day missed), the last day's instruction on
 * Practise and its session recorded with the demo strap (tagged automatically), then the answer,
 * its figures worked out here independently, the chart, and the CSV.
 */
import { readFileSync } from 'node:fs';
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
import { savedSessions } from './fixtures/saved-beats';
import { EmulatedStrap } from './fixtures/emulated-strap';
import { seedSessions, type SeedRow } from './fixtures/seed';

const browser = useBrowser();
const DAY = 86_400_000;
const START = new Date(2026, 2, 2, 7, 0).getTime(); // Monday 2 March 2026, 07:00 local
const EFFECT = -3;
// Near the demo strap's own settled rate, so the session recorded on the last day is a typical day.
const BASE = 70;
const MISSED = 5;

function gaussians(seed: number) {
	let s = seed;
	const rnd = () => {
		s = (s * 1103515245 + 12345) % 2147483648;
		return (s + 1) / 2147483649;
	};
	return () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
}

function row(id: string, startedAt: number, settledHr: number, tags: string[]): SeedRow {
	return {
		id,
		startedAt,
		phase: 'none',
		routine: 'Constructive rest',
		tags,
		meanHr: settledHr + 3,
		settledHr,
		lnRmssd: 3.5,
		settledLnRmssd: 3.6,
		hrDrop: 5,
		tauS: 90
	};
}

async function experimentRows(
	page: Page
): Promise<{ arms: string[]; days: object; seed: number }[]> {
	return page.evaluate(
		() =>
			new Promise((resolve, reject) => {
				// Every way the read can stop rejects, so a stuck read fails here, saying why.
				const open = indexedDB.open('settle');
				open.onerror = () => reject(open.error);
				open.onblocked = () => reject(new Error('Reading experiments: the open was blocked'));
				open.onsuccess = () => {
					const req = open.result.transaction('experiments').objectStore('experiments').getAll();
					req.onerror = () => reject(req.error);
					req.onsuccess = () => {
						open.result.close();
						resolve(req.result);
					};
				};
			})
	);
}

describe('a self-experiment', () => {
	it('is planned, lived day by day and answered, with figures that check out', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.clock.install({ time: START });
		await page.goto(new URL('/experiment', baseUrl()).href);
		await page.getByRole('heading', { name: 'Does the routine help me?' }).waitFor();

		// A month of mornings before: settled heart rate 70 ± 1.5 bpm.
		const noise = gaussians(3);
		await seedSessions(
			page,
			Array.from({ length: 30 }, (_, i) =>
				row(`before-${i}`, START - (30 - i) * DAY, BASE + 1.5 * noise(), [])
			)
		);
		await page.reload();
		await page.getByLabel('Question').selectOption('settledHr');
		const power = page.getByTestId('power-sentence');
		await expect
			.poll(() => power.textContent())
			.toMatch(
				/^With your day-to-day spread, 4 weeks can show a change of \d\.\d bpm about [6-9] times in 10\.$/
			);
		await screenshot(page, 'experiment-plan');
		await page.getByRole('button', { name: 'Draw the days and start' }).click();
		await page.getByRole('heading', { name: /Interim answer/ }).waitFor();

		const [plan] = await experimentRows(page);
		expect(plan.arms).toHaveLength(28);
		for (let b = 0; b < 14; b++) expect(plan.arms[2 * b]).not.toBe(plan.arms[2 * b + 1]);
		expect(Number.isInteger(plan.seed)).toBe(true);

		// 27 days of the experiment, the routine lowering settled heart rate by 3 bpm; day 6 missed.
		const rows: SeedRow[] = [];
		for (let d = 0; d < 27; d++) {
			if (d === MISSED) continue;
			const arm = plan.arms[d];
			const hr = BASE + 1.5 * noise() + (arm === 'routine' ? EFFECT : 0);
			rows.push(
				row(`exp-${d}`, START + d * DAY, hr, [
					'experiment',
					arm === 'routine' ? 'routine day' : 'rest day'
				])
			);
		}
		await seedSessions(page, rows);

		// The last day, on Practise.
		await page.clock.setSystemTime(START + 27 * DAY);
		await page.goto(baseUrl());
		const instruction = page.getByTestId('experiment-instruction');
		await instruction.waitFor();
		expect(await instruction.textContent()).toBe(
			plan.arms[27] === 'routine'
				? 'Routine day: do the stability routine before your session.'
				: 'Rest day: no stability routine today; record your session as usual.'
		);
		await page
			.getByRole('button', {
				name: plan.arms[27] === 'routine' ? 'I did the routine' : 'I did not do it'
			})
			.click();
		await page.getByRole('button', { name: 'Add a note for today' }).click();
		await page.getByLabel('Note for today').fill('slept well');
		await page.getByRole('button', { name: 'Save note' }).click();
		await page.getByText('Note: slept well').waitFor();
		await screenshot(page, 'experiment-practise-today');

		// Today's session, recorded with the demo strap, is tagged to the experiment by itself.
		await page.getByRole('button', { name: 'Use demo strap' }).click();
		await page.clock.runFor(2000);
		await page.getByLabel('5 minutes').check();
		await page.getByRole('button', { name: 'Start session' }).click();
		for (let s = 0; s < 180; s += 10) await page.clock.runFor(10_000);
		await page.getByRole('button', { name: 'Stop' }).click();
		await page.getByRole('button', { name: "I'm up" }).click();
		await page.getByRole('button', { name: 'Save and see summary' }).click();
		await expect.poll(() => page.getByText('Settled level').count()).toBe(1);
		const saved = (await savedSessions(page)) as unknown as {
			id: string;
			startedAt: number;
			tags: string[];
			summary?: { settledHr?: number };
		}[];
		const today = saved.find((s) => s.startedAt >= START + 27 * DAY)!;
		expect(today.tags).toEqual(
			expect.arrayContaining([
				'experiment',
				plan.arms[27] === 'routine' ? 'routine day' : 'rest day'
			])
		);
		expect(today.summary?.settledHr).toBeGreaterThan(40);

		// The answer, worked out here from what was stored.
		const byDay = new Map<number, number>();
		for (const s of saved)
			if (s.tags.includes('experiment'))
				byDay.set(Math.floor((s.startedAt - START + 7 * 3_600_000) / DAY), s.summary!.settledHr!);
		const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
		const routine = [...byDay].filter(([d]) => plan.arms[d] === 'routine').map(([, v]) => v);
		const rest = [...byDay].filter(([d]) => plan.arms[d] === 'rest').map(([, v]) => v);
		const diff = mean(routine) - mean(rest);
		expect(byDay.size).toBe(27);

		await page.goto(new URL('/experiment', baseUrl()).href);
		const verdict = page.getByTestId('experiment-verdict');
		await verdict.waitFor();
		const text = (await verdict.textContent())!;
		expect(text).toMatch(
			new RegExp(
				`^The experiment is over \\(28 days\\)\\. Your settled heart rate was about ${Math.abs(diff).toFixed(1)} bpm lower on routine days than on rest days \\(95 % interval \\d\\.\\d to \\d\\.\\d lower\\); a difference this large would come up by chance about 1 time in \\d+`
			)
		);
		expect(text).toContain('1 of 28 days have no reading');
		expect(await page.getByTestId('interim').count()).toBe(0);
		expect(await page.getByTestId('by-plan-diff').textContent()).toBe(diff.toFixed(1));
		// The p-value agrees with the verdict's "1 time in N"; below 0.001 it is written so, never
		// as "p = 0.000".
		const oneIn = Number(/about 1 time in ([\d,]+)/.exec(text)![1].replaceAll(',', ''));
		expect(await page.getByTestId('randomization-p').textContent()).toMatch(
			oneIn > 1000
				? /^Randomization test p < 0\.001, exact over all 16,384 possible assignments\.$/
				: /^Randomization test p = 0\.0\d\d, exact over all 16,384 possible assignments\.$/
		);
		const [routineDone, restKept] = plan.arms[27] === 'routine' ? [1, 0] : [0, 1];
		expect((await page.getByTestId('adherence').textContent())!.replace(/\s+/g, ' ')).toBe(
			`Readings on 27 of 28 days so far · routine done on ${routineDone} of 14 routine days · rest kept on ${restKept} of 14 rest days · 0 swapped · 27 not marked.`
		);
		expect(await page.getByTestId('experiment-weeks').locator('tbody tr').count()).toBe(4);

		// The chart drew its 27 days in two colours.
		const chart = page.getByTestId('experiment-chart');
		await expect
			.poll(() => chart.locator('canvas').evaluate((c: HTMLCanvasElement) => c.width))
			.toBeGreaterThan(100);
		const drawn = await chart.locator('canvas').evaluate((c: HTMLCanvasElement) => {
			const ctx = c.getContext('2d')!;
			const px = ctx.getImageData(0, 0, c.width, c.height).data;
			let orange = 0;
			let blue = 0;
			for (let i = 0; i < px.length; i += 4) {
				const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
				if (r > 170 && g > 100 && g < 140 && b < 70) orange++;
				if (r < 90 && g > 100 && g < 130 && b > 150) blue++;
			}
			return { orange, blue };
		});
		expect(drawn.orange).toBeGreaterThan(50);
		expect(drawn.blue).toBeGreaterThan(50);
		await screenshot(page, 'experiment-answer');

		// The days as CSV: one row a day, as planned and as done.
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Download the days (CSV)' }).click()
		]);
		expect(download.suggestedFilename()).toBe('settle-experiment-2026-03-02.csv');
		const csv = readFileSync((await download.path())!, 'utf8')
			.trim()
			.split('\n');
		expect(csv[0]).toBe('day,date,block,planned,done,settledHr,readings,session_ids,note');
		expect(csv).toHaveLength(29);
		expect(csv[1].startsWith(`1,2026-03-02,1,${plan.arms[0]},,`)).toBe(true);
		expect(csv[MISSED + 1]).toBe(`${MISSED + 1},2026-03-07,3,${plan.arms[MISSED]},,,0,,`);
		expect(csv[28]).toMatch(
			new RegExp(`^28,2026-03-29,14,${plan.arms[27]},${plan.arms[27]},.*,slept well$`)
		);
		const [planFile] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Download the plan' }).click()
		]);
		const exported = JSON.parse(readFileSync((await planFile.path())!, 'utf8'));
		expect(exported).toMatchObject({
			seed: plan.seed,
			assignment: plan.arms,
			lastDay: '2026-03-29'
		});

		await page.setViewportSize(PHONE);
		// Every figure in view on a phone: no table with columns scrolled out of sight.
		const overflowing = await page
			.locator('.table-wrap')
			.evaluateAll((els) =>
				els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent?.slice(0, 40))
			);
		expect(overflowing, 'tables wider than a phone').toEqual([]);
		// A drift that rounds to nothing is written without a sign.
		expect(await page.getByText(/drifted by -0\.0 /).count()).toBe(0);
		await screenshot(page, 'experiment-answer-phone');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('runs two weeks with the last day recorded from an emulated strap, and reads the answer and the chart', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		const start = new Date(2026, 5, 1, 7, 0).getTime(); // Monday 1 June 2026
		await page.clock.install({ time: start });
		await page.goto(new URL('/experiment', baseUrl()).href);
		await page.getByRole('heading', { name: 'Plan an experiment' }).waitFor();
		await page.getByLabel('Question').selectOption('settledHr');
		await page.getByLabel('Length').selectOption('2');
		// No history yet: the plan says it uses a typical spread.
		await expect
			.poll(() => page.getByTestId('power-sentence').textContent())
			.toMatch(/^With a typical day-to-day spread \(Settle does not know yours yet/);
		await page.getByRole('button', { name: 'Draw the days and start' }).click();
		await page.getByTestId('interim').waitFor();
		const [plan] = await experimentRows(page);
		expect(plan.arms).toHaveLength(14);

		// 13 days at 72 ± 1 bpm, 4 bpm lower on routine days.
		const noise = gaussians(11);
		await seedSessions(
			page,
			Array.from({ length: 13 }, (_, d) =>
				row(`two-${d}`, start + d * DAY, 72 + noise() + (plan.arms[d] === 'routine' ? -4 : 0), [
					'experiment',
					plan.arms[d] === 'routine' ? 'routine day' : 'rest day'
				])
			)
		);

		await page.clock.setSystemTime(start + 13 * DAY);
		await page.goto(baseUrl());
		await page.getByTestId('experiment-instruction').waitFor();
		expect(await page.getByRole('heading', { name: /^Experiment · day 14 of 14$/ }).count()).toBe(
			1
		);
		const strap = await EmulatedStrap.attach(browser(), page, { name: 'Polar H10 0A1B2C3D' });
		await page.getByRole('button', { name: 'Connect strap' }).click();
		await expect
			.poll(() => page.getByRole('status', { name: 'Connection' }).textContent())
			.toBe('Connected');
		await page.getByRole('button', { name: 'Start session' }).click();
		// About 5 minutes of beats at 70 bpm (857 ms) with a gentle breathing swing.
		for (let i = 0; i < 360; i++) {
			const ticks = 878 + Math.round(25 * Math.sin(i / 2.5));
			await strap.notifyHeartRate([0x16, 70, ticks & 0xff, ticks >> 8]);
		}
		await page.getByRole('button', { name: 'Stop' }).click();
		await page.getByRole('button', { name: "I'm up" }).click();
		await page.getByRole('button', { name: 'Save and see summary' }).click();
		await expect.poll(() => page.getByText('Settled level').count()).toBe(1);
		await strap.dispose();
		const saved = (await savedSessions(page)) as unknown as {
			startedAt: number;
			tags: string[];
			summary?: { settledHr?: number };
		}[];
		// The beats arrived faster than the paused clock moved, so the start was put back by their
		// length (db/retime): still the 14th morning.
		const last = saved.find((s) => s.startedAt > start + 13 * DAY - 3_600_000)!;
		expect(last.tags).toContain('experiment');
		expect(last.summary?.settledHr).toBeGreaterThan(65);
		expect(last.summary?.settledHr).toBeLessThan(75);

		const byDay = new Map<number, number>();
		for (const s of saved)
			byDay.set(Math.floor((s.startedAt - start + 7 * 3_600_000) / DAY), s.summary!.settledHr!);
		const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
		const diff =
			mean([...byDay].filter(([d]) => plan.arms[d] === 'routine').map(([, v]) => v)) -
			mean([...byDay].filter(([d]) => plan.arms[d] === 'rest').map(([, v]) => v));

		await page.goto(new URL('/experiment', baseUrl()).href);
		const verdict = (await page.getByTestId('experiment-verdict').textContent())!;
		expect(verdict).toMatch(
			/^The experiment is over \(14 days\)\. Your settled heart rate was about \d\.\d bpm lower/
		);
		expect(await page.getByTestId('by-plan-diff').textContent()).toBe(diff.toFixed(1));
		// Seven day pairs: 128 possible assignments, the smallest two-sided p 2/128.
		expect(await page.getByTestId('randomization-p').textContent()).toBe(
			'Randomization test p = 0.016, exact over all 128 possible assignments.'
		);
		const chart = page.getByTestId('experiment-chart').locator('canvas');
		await expect.poll(() => chart.evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(100);
		await screenshot(page, 'experiment-two-weeks-strap');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
