/**
 * Every chart draws every one of its points, inside its axes, and every dot whole inside the plot:
 * for each Chart.js chart on a page, each point of each dataset lies within the drawn x and y
 * scales, and a dot's radius (with its border) fits inside the chart area. The data are chosen
 * with their extremes away from the first and last points (a chart that trusts its data to be
 * sorted by x reads the x range from those two only), and a new user's one day of History.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
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
import { practiceHistory, seedSessions, type SeedRow } from './fixtures/seed';

const browser = useBrowser();
const DAY = 86_400_000;

interface ChartCheck {
	/** Charts found on the page (each canvas with a Chart.js chart). */
	charts: number;
	/** Points checked, by chart label. */
	points: Record<string, number>;
	/** What lies outside: empty when every point is inside. */
	strays: string[];
	/** Legend entries for a series with nothing drawn (a newcomer's normal range, say). */
	unseen: string[];
}

/**
 * Checks every Chart.js chart on the page. Chart.js is the classic script the app loads on demand
 * (`__settleCharts`, see src/lib/components/charts/load-charts.ts); each canvas's chart is
 * `Chart.getChart(canvas)`.
 */
function checkCharts(page: Page): Promise<ChartCheck> {
	return page.evaluate(() => {
		type P = { x: number; y: number };
		type Scale = {
			min: number;
			max: number;
			getPixelForValue(v: number): number;
		};
		type Element = { options?: { radius?: number; borderWidth?: number } };
		type Dataset = { label?: string; data: P[]; _data?: P[] };
		type Bounds = { min?: number; max?: number };
		type ChartLike = {
			options: { scales?: { x?: Bounds; y?: Bounds } };
			scales: { x: Scale; y: Scale };
			chartArea: { left: number; right: number; top: number; bottom: number };
			data: { datasets: Dataset[] };
			legend?: {
				options: { display: boolean };
				legendItems?: { text: string; datasetIndex?: number }[];
			};
			isDatasetVisible(i: number): boolean;
			getDatasetMeta(i: number): { data: Element[] };
		};
		const charts = (
			globalThis as unknown as {
				__settleCharts?: { Chart: { getChart(c: HTMLCanvasElement): ChartLike | undefined } };
			}
		).__settleCharts;
		if (!charts) throw new Error('Chart.js is not loaded on this page');
		const out: ChartCheck = { charts: 0, points: {}, strays: [], unseen: [] };
		const r1 = (v: number) => Math.round(v * 10) / 10;
		for (const canvas of document.querySelectorAll('canvas')) {
			const chart = charts.Chart.getChart(canvas);
			if (!chart) continue;
			out.charts++;
			const name = canvas.closest('[aria-label]')?.getAttribute('aria-label') ?? '(unlabelled)';
			const { x, y } = chart.scales;
			const area = chart.chartArea;
			// A bound the chart's owner set may window a line (the live tachogram shows the last two
			// minutes of a little more), never leave out a dot.
			const set = chart.options.scales ?? {};
			const windowed = (v: number, b: Bounds | undefined) =>
				(b?.min !== undefined && v < b.min) || (b?.max !== undefined && v > b.max);
			let n = 0;
			chart.data.datasets.forEach((ds, i) => {
				if (!chart.isDatasetVisible(i)) return;
				// Decimation swaps `data` for the thinned points and keeps the full data in `_data`.
				const points = ds._data ?? ds.data;
				const el = chart.getDatasetMeta(i).data[0]?.options;
				const radius = el?.radius ?? 0;
				// A dot's outline is centred on its radius: half of it lies outside.
				const reach = radius > 0 ? radius + (el?.borderWidth ?? 0) / 2 : 0;
				for (const p of points) {
					if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
					if (reach === 0 && (windowed(p.x, set.x) || windowed(p.y, set.y))) continue;
					n++;
					const where = `${name} · ${ds.label}: (${r1(p.x)}, ${r1(p.y)})`;
					if (p.x < x.min || p.x > x.max)
						out.strays.push(`${where} is outside the x axis ${r1(x.min)}..${r1(x.max)}`);
					else if (p.y < y.min || p.y > y.max)
						out.strays.push(`${where} is outside the y axis ${r1(y.min)}..${r1(y.max)}`);
					else {
						const px = x.getPixelForValue(p.x);
						const py = y.getPixelForValue(p.y);
						const eps = 1e-6;
						if (
							px - reach < area.left - eps ||
							px + reach > area.right + eps ||
							py - reach < area.top - eps ||
							py + reach > area.bottom + eps
						)
							out.strays.push(
								`${where} is drawn at (${r1(px)}, ${r1(py)}) px with radius ${reach}, not inside the plot ${r1(area.left)}..${r1(area.right)} × ${r1(area.top)}..${r1(area.bottom)}`
							);
					}
				}
			});
			out.points[name] = (out.points[name] ?? 0) + n;
			// The legend names only what is drawn, and is shown when it tells two things apart.
			if (chart.legend?.options.display) {
				if ((chart.legend.legendItems ?? []).length < 2)
					out.unseen.push(`${name}: a legend of one`);
				for (const item of chart.legend.legendItems ?? []) {
					const ds = chart.data.datasets[item.datasetIndex ?? -1];
					const drawn = (ds?._data ?? ds?.data ?? []).some(
						(p) => Number.isFinite(p.x) && Number.isFinite(p.y)
					);
					if (!drawn) out.unseen.push(`${name}: "${item.text}" in the legend, nothing drawn`);
				}
			}
		}
		return out;
	});
}

/** Every chart has drawn at the page's current size (after a resize, Chart.js redraws a frame later). */
async function chartsAtSize(page: Page): Promise<void> {
	await expect
		.poll(() =>
			page.evaluate(() => {
				const setup = (
					globalThis as unknown as {
						__settleCharts?: {
							Chart: { getChart(c: HTMLCanvasElement): { width: number } | undefined };
						};
					}
				).__settleCharts;
				return [...document.querySelectorAll('canvas')].every((c) => {
					const chart = setup?.Chart.getChart(c);
					return !chart || Math.abs(chart.width - (c.parentElement?.clientWidth ?? 0)) < 1;
				});
			})
		)
		.toBe(true);
}

/** Strays as a failure reads best: per chart, how many, and the first three. */
function brief(strays: string[]): string[] {
	const byChart = new Map<string, string[]>();
	for (const s of strays) {
		const chart = s.slice(0, s.indexOf(' · '));
		byChart.set(chart, [...(byChart.get(chart) ?? []), s]);
	}
	return [...byChart].flatMap(([chart, list]) => [
		`${chart}: ${list.length} points outside`,
		...list.slice(0, 3)
	]);
}

/** Checks the page's charts at desktop and phone sizes; returns the desktop result. */
async function expectAllInside(page: Page, expectedCharts: number, what: string) {
	await expect
		.poll(() => page.locator('[data-drawn]').count(), { message: what, timeout: 10_000 })
		.toBe(expectedCharts);
	await chartsAtSize(page);
	const desktop = await checkCharts(page);
	expect(desktop.charts, `${what}: charts`).toBe(expectedCharts);
	await page.setViewportSize(PHONE);
	await chartsAtSize(page);
	const phone = await checkCharts(page);
	await page.setViewportSize(DESKTOP);
	await chartsAtSize(page);
	expect(brief(desktop.strays), `${what}, desktop`).toEqual([]);
	expect(brief(phone.strays), `${what}, phone`).toEqual([]);
	expect(desktop.unseen, `${what}: legends`).toEqual([]);
	for (const [name, n] of Object.entries(desktop.points))
		expect(n, `${what}: points in ${name}`).toBeGreaterThan(0);
	return desktop;
}

/** A chart's card at desktop and at phone size, for looking at. */
async function shoot(page: Page, part: Locator, name: string): Promise<void> {
	await part.scrollIntoViewIfNeeded();
	await screenshot(page, `${name}-desktop`, part);
	await page.setViewportSize(PHONE);
	await chartsAtSize(page);
	await part.scrollIntoViewIfNeeded();
	await screenshot(page, `${name}-phone`, part);
	await page.setViewportSize(DESKTOP);
	await chartsAtSize(page);
}

/**
 * An Elite HRV export (one interval in ms a line) of eight minutes whose intervals swing slowly
 * between about 500 and 1300 ms: the recording starts and ends mid-swing, so its first and last
 * intervals are not its shortest or longest. Two premature beats with their pauses give the
 * tachogram corrected beats to mark.
 */
function wideRr(seed: number, phase: number): string {
	let s = seed;
	const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
	const out: number[] = [];
	for (let t = 0; t < 480_000;) {
		const rr = 900 + 400 * Math.sin((2 * Math.PI * t) / 240_000 + phase) + 5 * rand();
		out.push(Math.round(rr));
		t += rr;
	}
	for (const i of [150, 330]) {
		const early = Math.round(out[i] * 0.6);
		out[i + 1] += out[i] - early;
		out[i] = early;
	}
	return out.join('\n');
}

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * Ten mornings with felt tension noted; the heart-rate drops run from 1.5 to 18 bpm and the felt
 * calming from −1 to 6 points, with the largest and smallest in the middle of the ten days.
 */
function feltMornings(now: number): SeedRow[] {
	const drops = [7, 15, 3, 11, 18, 1.5, 9, 12, 5, 8];
	const calming = [2, 5, 0, 3, 6, -1, 2, 4, 1, 2];
	return drops.map((hrDrop, i) => ({
		id: `wide-${i}`,
		startedAt: now - (10 - i) * DAY,
		phase: 'none' as const,
		routine: 'Constructive rest',
		tags: [],
		meanHr: 60 + hrDrop,
		settledHr: 55 + (i % 4) * 6,
		lnRmssd: 3.4,
		settledLnRmssd: 2.6 + (i % 3) * 0.5,
		hrDrop,
		tauS: 90,
		tensionBefore: 7,
		tensionAfter: 7 - calming[i]
	}));
}

/** A new desktop context with these sessions stored, opened on History from the app's navigation. */
async function historyOf(rows: SeedRow[]) {
	const context = await browser().newContext({ viewport: DESKTOP });
	const page = await context.newPage();
	trackPageErrors(page);
	await page.goto(new URL('/sessions', baseUrl()).href);
	await page.getByRole('heading', { name: 'Sessions' }).waitFor();
	await seedSessions(page, rows);
	await page.getByRole('link', { name: 'History' }).click();
	return { context, page };
}

describe('every chart keeps every point inside its axes', () => {
	it('the session page and Compare, with intervals from 500 to 1300 ms', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.goto(new URL('/settings', baseUrl()).href);
		const day = stamp(new Date());
		const files = [
			{ name: `${day} 07-00-00.txt`, text: wideRr(11, 0), phase: 'before' },
			{ name: `${day} 07-40-00.txt`, text: wideRr(29, Math.PI), phase: 'after' }
		];
		for (const f of files) {
			await page
				.getByLabel('Import RR files')
				.setInputFiles({ name: f.name, mimeType: 'text/plain', buffer: Buffer.from(f.text) });
			await expect
				.poll(() => page.getByText(`Imported ${f.name}`).count(), { timeout: 10_000 })
				.toBe(1);
		}
		const saved = (await savedSessions(page)) as unknown as { id: string; strapName: string }[];
		expect(saved).toHaveLength(2);
		for (const s of saved) {
			const phase = files.find((f) => s.strapName.endsWith(f.name))!.phase;
			await page.goto(new URL(`/sessions/${s.id}`, baseUrl()).href);
			await page.getByLabel(`${phase} a routine`).check();
			await page.getByRole('button', { name: 'Save notes' }).click();
			await expect
				.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count(), {
					timeout: 10_000
				})
				.toBe(1);
			// Heart rate, tachogram, rolling RMSSD, Poincaré, spectrum, histogram.
			const check = await expectAllInside(page, 6, `session page (${phase})`);
			expect(check.points['Poincaré plot of successive RR intervals']).toBeGreaterThan(400);
		}
		const poincare = page.locator('figure').filter({ hasText: 'Poincaré plot' });
		// Each interval against the next, on one scale: the same range on both axes, a square plot.
		const plot = await poincare.locator('canvas').evaluate((canvas) => {
			type Scale = { min: number; max: number };
			const chart = (
				globalThis as unknown as {
					__settleCharts: {
						Chart: {
							getChart(c: HTMLCanvasElement): {
								scales: { x: Scale; y: Scale };
								chartArea: { width: number; height: number };
							};
						};
					};
				}
			).__settleCharts.Chart.getChart(canvas as HTMLCanvasElement);
			const { x, y } = chart.scales;
			return { x: [x.min, x.max], y: [y.min, y.max], ...chart.chartArea };
		});
		expect(plot.x, 'Poincaré axes').toEqual(plot.y);
		expect(Math.abs(plot.width - plot.height), 'Poincaré plot square').toBeLessThan(
			0.1 * plot.height
		);
		await shoot(page, poincare, 'charts-inside-poincare');
		await shoot(
			page,
			page.locator('figure').filter({ hasText: 'Beat-to-beat intervals' }),
			'charts-inside-tachogram'
		);

		await page.getByRole('link', { name: 'Compare' }).click();
		await expectAllInside(page, 1, 'Compare');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('History: felt calming against heart-rate drops from 1.5 to 18 bpm', async () => {
		const { context, page } = await historyOf(feltMornings(Date.now()));
		// Three heart trends, three felt trends, felt against heart.
		const check = await expectAllInside(page, 7, 'History with felt tension');
		const scatter = Object.keys(check.points).find((k) => k.startsWith('Each session: felt'));
		expect(check.points[scatter!], 'every session is a dot').toBe(10);
		await shoot(
			page,
			page.getByRole('region', { name: 'Does your feeling follow your heart?' }),
			'charts-inside-felt'
		);
		await shoot(
			page,
			page.locator('figure').filter({ hasText: 'Settling: heart-rate drop' }),
			'charts-inside-trend-ten-days'
		);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('History of a new user: one morning of readings', async () => {
		const now = Date.now();
		const [before, after] = feltMornings(now).slice(0, 2);
		const { context, page } = await historyOf([
			{ ...before, startedAt: now - 3 * 3_600_000, phase: 'before' },
			{ ...after, startedAt: now - 2 * 3_600_000, phase: 'after' }
		]);
		// Three heart trends, three felt trends; too few sessions for felt against heart.
		await expectAllInside(page, 6, 'History of one morning');
		await shoot(
			page,
			page.locator('figure').filter({ hasText: 'Settled heart rate' }),
			'charts-inside-trend-one-day'
		);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('History with breathing: ten sessions estimated from the heart, then ten measured', async () => {
		const now = Date.now();
		// The heart reads 8-12 a minute; the strap measures 4.5-7.5 and ratios from 1.1 to 2.2, the
		// extremes mid-run (not first or last).
		const rates = [6, 7.5, 5, 4.5, 6.5, 7, 5.5, 6, 5, 6.2];
		const ratios = [1.4, 1.1, 2.2, 1.6, 1.5, 1.3, 1.9, 1.7, 1.5, 1.6];
		const rows = feltMornings(now).map((r, i) => ({
			...r,
			tensionBefore: undefined,
			tensionAfter: undefined,
			summary: { respirationRate: 8 + (i % 5) }
		}));
		const measured = rates.map((rate, i) => ({
			...rows[i],
			id: `measured-${i}`,
			startedAt: now - (10 - i) * DAY + 3_600_000,
			summary: {
				respirationRate: 10 + (i % 3),
				measuredBreathRate: rate,
				measuredBreathRatio: ratios[i],
				measuredBreaths: 60
			}
		}));
		const { context, page } = await historyOf([
			...rows.map((r) => ({ ...r, startedAt: r.startedAt - 20 * DAY })),
			...measured
		]);
		// Three heart trends, the breathing rate and the out/in ratio.
		const check = await expectAllInside(page, 5, 'History with measured breathing');
		expect(
			check.points['Breathing rate per session with your normal range and 7-day average']
		).toBeGreaterThan(20);
		const breathing = page.locator('figure').filter({ hasText: 'Breathing rate' });
		await expect
			.poll(() => breathing.getByText('10 of them measured by the strap').count())
			.toBe(1);
		await shoot(page, breathing, 'charts-inside-breathing-rate');
		await shoot(
			page,
			page.locator('figure').filter({ hasText: 'Out-breath / in-breath, measured' }),
			'charts-inside-breathing-ratio'
		);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('History of a long practice, over six months and all time', async () => {
		const { context, page } = await historyOf(practiceHistory(300));
		await expectAllInside(page, 3, 'History of 300 sessions, six months');
		await shoot(
			page,
			page.locator('figure').filter({ hasText: 'Settled heart rate' }),
			'charts-inside-trend-six-months'
		);
		// The same charts, redrawn for all time.
		await page.getByLabel('Period').selectOption({ label: 'All time' });
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: '300 of 300 sessions' }).count())
			.toBe(1);
		await expectAllInside(page, 3, 'History of 300 sessions, all time');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('a session on the demo strap: the live charts and the summary', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.clock.install();
		await page.goto(baseUrl());
		await page.getByRole('button', { name: 'Use demo strap' }).click();
		await page.clock.runFor(2000);
		await page.getByLabel('5 minutes').check();
		await page.getByRole('button', { name: 'Start session' }).click();
		for (let s = 0; s < 180; s += 10) await page.clock.runFor(10_000);
		// Heart rate, the last two minutes of intervals, rolling RMSSD.
		await expectAllInside(page, 3, 'live session');
		await page.getByRole('button', { name: 'Stop' }).click();
		await page.getByRole('button', { name: "I'm up" }).click();
		await page.getByRole('button', { name: 'Save and see summary' }).click();
		await expect.poll(() => page.getByText('Settled level').count()).toBe(1);
		await expectAllInside(page, 1, 'session summary');
		// The demo strap's chest breathes with the pacer: the summary shows the measurement beside
		// the heart's estimate.
		const summary = page.getByRole('region', { name: 'Your session' });
		await expect.poll(() => summary.getByText('Breathing, measured by the strap').count()).toBe(1);
		await expect
			.poll(() => summary.getByText(/\d+(\.\d)?\/min · out [\d.]+× in · \d+ breaths/).count())
			.toBe(1);
		await screenshot(page, 'charts-inside-session-summary', summary);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});

	it('the resonance result: heart rate at each breathing rate', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.clock.install({ time: new Date(2026, 10, 25, 7, 0) });
		await page.goto(new URL('/resonance', baseUrl()).href);
		await page.getByRole('button', { name: 'Use demo strap' }).click();
		await page.clock.runFor(2000);
		await page.getByRole('button', { name: 'Start the assessment' }).click();
		await expect.poll(() => page.getByText('Rate 1 of 5').count()).toBe(1);
		// Two minutes to settle, five rates of two minutes with rests between them.
		for (let s = 0; s < 130 + 11.5 * 60; s += 10) await page.clock.runFor(10_000);
		await expect
			.poll(() => page.getByRole('heading', { level: 2 }).first().textContent(), {
				timeout: 15_000
			})
			.toMatch(/resonance rate|close to call/);
		await expectAllInside(page, 5, 'resonance result');
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	});
});
