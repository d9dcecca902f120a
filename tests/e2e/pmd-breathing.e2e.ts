/**
 * Breathing measured by an emulated Polar H10: Chromium's real Web Bluetooth stack, the strap
 * answering the PMD control point as the H10 does and streaming ACC frames of a synthetic chest
 * that breathes 7.5 times a minute at 1:1.5 (never the pacer's 6), under Playwright's fake clock.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
	DESKTOP,
	baseUrl,
	pageErrors,
	screenshot,
	trackPageErrors,
	useBrowser
} from './fixtures/browser';
import { EmulatedStrap } from './fixtures/emulated-strap';
import { savedSessions } from './fixtures/saved-beats';
import { ChestModel } from '../../src/lib/strap/demo/chest-model';
import { encodeAccFrame } from '../../src/lib/strap/pmd/acc-frame';

const browser = useBrowser();
/** Disposed after each test, passed or failed: emulation left on would fail the next one. */
let strapInUse: EmulatedStrap | undefined;
afterEach(async () => {
	await strapInUse?.dispose();
	strapInUse = undefined;
});

/** The synthetic person: 8 s breaths (3.2 s in, 4.8 s out), a shift of position at 150 s. */
const BREATH_S = 8;
const IN_S = 3.2;
const TRUE_RATE = 60 / BREATH_S;
const ease = (x: number) => 0.5 - 0.5 * Math.cos(Math.PI * x);
const fill = (t: number) => {
	const c = ((t % BREATH_S) + BREATH_S) % BREATH_S;
	return c < IN_S ? ease(c / IN_S) : 1 - ease((c - IN_S) / (BREATH_S - IN_S));
};
/** An H10 whose clock was never set counts from 2019-01-01, in ns since 2000-01-01. */
const SENSOR_EPOCH_NS = 599_616_000n * 1_000_000_000n;

async function connectH10(pmd: 'h10' | 'refuse-start') {
	const context = await browser().newContext({ viewport: DESKTOP });
	const page = await context.newPage();
	trackPageErrors(page);
	await page.clock.install();
	await page.goto(baseUrl());
	const strap = await EmulatedStrap.attach(browser(), page, { pmd });
	strapInUse = strap;
	await page.getByRole('button', { name: 'Connect strap' }).click();
	await expect
		.poll(() => page.getByRole('status', { name: 'Connection' }).textContent())
		.toBe('Connected');
	return { context, page, strap };
}

/** One second of the strap: a heart-rate packet, then that second's ACC in two H10 frames. */
async function streamSecond(page: Page, strap: EmulatedStrap, chest: ChestModel, s: number) {
	await page.clock.runFor(1000);
	const rrTicks = Math.round(1024 * (1 + 0.03 * Math.sin((2 * Math.PI * s) / BREATH_S)));
	await strap.notifyHeartRate([0x10, 62, rrTicks & 0xff, rrTicks >> 8]);
	if (!strap.accStarted) return;
	for (const [from, to] of [
		[0, 13],
		[13, 25]
	]) {
		const xyz: number[] = [];
		for (let i = from; i < to; i++) xyz.push(...chest.sample(s + i / 25, fill(s + i / 25)));
		const lastNs = SENSOR_EPOCH_NS + BigInt(Math.round((s + (to - 1) / 25) * 1e9));
		await strap.notifyPmdData(encodeAccFrame(lastNs, xyz));
	}
}

describe('breathing measured by an emulated H10', () => {
	it('streams ACC while recording and shows the true breathing rate live and on the session page', async () => {
		const { context, page, strap } = await connectH10('h10');
		// Settings asked at connection; nothing started before a recording.
		await expect.poll(() => strap.pmdCommands.length).toBe(1);
		await expect
			.poll(() => page.getByTestId('movement-status').textContent())
			.toMatch(/can measure your breathing/);
		expect(strap.pmdCommands[0]).toEqual([0x01, 0x02]);
		await page.getByRole('button', { name: 'Start session' }).click();
		await expect.poll(() => strap.accStarted).toBe(true);
		// Start ACC at 25 Hz, 16 bit, 2 g: every setting, as the H10 requires.
		expect(strap.pmdCommands[1]).toEqual([
			0x02, 0x02, 0x00, 0x01, 0x19, 0x00, 0x01, 0x01, 0x10, 0x00, 0x02, 0x01, 0x02, 0x00
		]);
		await expect
			.poll(() => page.getByTestId('movement-status').textContent())
			.toBe('Breathing measured by the strap');
		const chest = new ChestModel({
			seed: 21,
			depthDeg: 1.2,
			movements: [{ atS: 150, durationS: 4, kind: 'shift' }]
		});
		for (let s = 0; s < 120; s++) await streamSecond(page, strap, chest, s);
		const live = await page.getByTestId('measured-breath').textContent();
		const liveRate = Number(/Measured: ([\d.]+) breaths a minute/.exec(live ?? '')?.[1]);
		expect(Math.abs(liveRate - TRUE_RATE)).toBeLessThanOrEqual(0.3);
		await screenshot(page, 'pmd-live-desktop');
		for (let s = 120; s < 240; s++) await streamSecond(page, strap, chest, s);
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(async () => (await savedSessions(page))[0]?.status).toBe('finished');
		await expect.poll(() => strap.accStarted).toBe(false);
		expect(strap.pmdCommands.at(-1)).toEqual([0x03, 0x02]);
		const [session] = await savedSessions(page);
		await page.goto(new URL(`/sessions/${session.id}`, baseUrl()).href);
		const card = page.getByRole('figure').filter({ hasText: 'Breathing, measured by the strap' });
		await expect.poll(() => card.count()).toBe(1);
		const summary = (await card.textContent()) ?? '';
		const m =
			/(\d+) breaths measured from the chest's movement: ([\d.]+) a minute, out-breath ([\d.]+)×/.exec(
				summary
			);
		expect(m).not.toBeNull();
		expect(Math.abs(Number(m![2]) - TRUE_RATE)).toBeLessThanOrEqual(0.2);
		expect(Math.abs(Number(m![3]) - (BREATH_S - IN_S) / IN_S)).toBeLessThanOrEqual(0.15);
		// 240 s of 8 s breaths, less those the shift of position covers.
		expect(Number(m![1])).toBeGreaterThanOrEqual(24);
		expect(summary).toMatch(/1 movement marked/);
		// The stored summary holds the measurement beside the heart's estimate (for History).
		const [row] = (await savedSessions(page)) as unknown as { summary: Record<string, number> }[];
		const stored = row.summary;
		expect(Math.abs(stored.measuredBreathRate - TRUE_RATE)).toBeLessThanOrEqual(0.2);
		expect(stored.movements).toBe(1);
		// The heart figures know where the person moved: shaded on the heart-rate chart (2:30 less
		// the mark's padding), left out of the settled level (the last two minutes hold the shift).
		const heart = page.getByRole('figure').filter({ hasText: 'Heart rate in 10-second steps' });
		await expect.poll(() => heart.textContent()).toMatch(/where you moved is shaded \(2:[23]\d\)/);
		await expect.poll(() => page.getByText(/You moved in them: \d+ s/).count()).toBe(1);
		await heart.scrollIntoViewIfNeeded();
		await page.clock.runFor(1000);
		await screenshot(page, 'pmd-session-heart-moved', heart);
		await page.getByTestId('measured-breathing').scrollIntoViewIfNeeded();
		await page.clock.runFor(1000);
		await screenshot(page, 'pmd-session-desktop');
		await screenshot(page, 'pmd-session-breathing', card);
		await screenshot(
			page,
			'pmd-session-breathing-rate',
			page.getByRole('figure').filter({ hasText: 'Breathing rate, measured and from the heart' })
		);
		// The breaths as a CSV: one in-breath row per breath counted, at the true rate.
		const files = page.getByRole('region', { name: 'Files' });
		await files.scrollIntoViewIfNeeded();
		await screenshot(page, 'pmd-session-files', files);
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Export breaths (.csv)' }).click()
		]);
		expect(download.suggestedFilename()).toMatch(/^settle-.*\.breaths\.csv$/);
		await download.saveAs('tests/e2e/screenshots/pmd-breaths.csv');
		const [comment, header, ...lines] = readFileSync((await download.path())!, 'utf8')
			.trimEnd()
			.split('\n');
		expect(comment).toMatch(/^# .*seconds/);
		const columns = header.split(',');
		const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i], v])));
		const ins = rows.filter((r) => r.event === 'in-breath start');
		expect(ins).toHaveLength(Number(m![1]));
		const meanRate = ins.reduce((t, r) => t + Number(r.rate_per_min), 0) / ins.length;
		expect(Math.abs(meanRate - TRUE_RATE)).toBeLessThanOrEqual(0.2);
		expect(rows.filter((r) => r.event === 'movement')).toHaveLength(1);
		expect(pageErrors(page)).toEqual([]);
		await strap.dispose();
		await context.close();
	}, 180_000);

	it('restarts ACC after a lost link, and the breathing goes on being measured', async () => {
		const { context, page, strap } = await connectH10('h10');
		await page.getByRole('button', { name: 'Start session' }).click();
		await expect.poll(() => strap.accStarted).toBe(true);
		const chest = new ChestModel({ seed: 5, depthDeg: 1.2 });
		for (let s = 0; s < 40; s++) await streamSecond(page, strap, chest, s);
		await strap.dropLink();
		await expect.poll(() => strap.accStarted, { timeout: 15_000 }).toBe(true);
		// Started again with the same settings (once per connection the app opened).
		const starts = strap.pmdCommands.filter((c) => c[0] === 0x02);
		expect(starts.length).toBeGreaterThanOrEqual(2);
		for (const s of starts) expect(s).toEqual(starts[0]);
		await expect
			.poll(() => page.getByTestId('movement-status').textContent())
			.toBe('Breathing measured by the strap');
		for (let s = 45; s < 120; s++) await streamSecond(page, strap, chest, s);
		const live = await page.getByTestId('measured-breath').textContent();
		const liveRate = Number(/Measured: ([\d.]+) breaths a minute/.exec(live ?? '')?.[1]);
		expect(Math.abs(liveRate - TRUE_RATE)).toBeLessThanOrEqual(0.3);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	}, 120_000);

	it('an H10 that refuses the start: said in words, the session records from heart rate alone', async () => {
		const { context, page, strap } = await connectH10('refuse-start');
		await page.getByRole('button', { name: 'Start session' }).click();
		await expect
			.poll(() => page.getByTestId('movement-status').textContent())
			.toMatch(/refused to start its movement sensor.*estimated from the heart/);
		await screenshot(page, 'pmd-refused-desktop');
		const chest = new ChestModel({ seed: 21 });
		for (let s = 0; s < 30; s++) await streamSecond(page, strap, chest, s);
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(async () => (await savedSessions(page))[0]?.status).toBe('finished');
		const [session] = await savedSessions(page);
		expect(session.beatCount).toBeGreaterThanOrEqual(28);
		await page.goto(new URL(`/sessions/${session.id}`, baseUrl()).href);
		await expect.poll(() => page.getByRole('figure').count()).toBeGreaterThan(0);
		expect(await page.getByText('Breathing, measured by the strap').count()).toBe(0);
		await expect
			.poll(() => page.getByRole('button', { name: 'Export beats (.csv)' }).count())
			.toBe(1);
		expect(await page.getByRole('button', { name: 'Export breaths (.csv)' }).count()).toBe(0);
		expect(pageErrors(page)).toEqual([]);
		await strap.dispose();
		await context.close();
	}, 120_000);
});
