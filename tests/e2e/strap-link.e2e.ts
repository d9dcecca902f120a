import { describe, expect, it } from 'vitest';
import { chromium, type Page } from 'playwright-core';
import {
	CHROMIUM_ARGS,
	CHROMIUM_PATH,
	DESKTOP,
	PHONE,
	baseUrl,
	useBrowser,
	openApp,
	pageErrors,
	screenshot
} from './fixtures/browser';
import { EmulatedStrap, type StrapSpec } from './fixtures/emulated-strap';
import { savedRrMs, savedSessions } from './fixtures/saved-beats';

const browser = useBrowser();

const status = (page: Page) => page.getByRole('status', { name: 'Connection' });

async function connected(spec: StrapSpec = {}) {
	const { page, context } = await openApp(browser(), '/');
	const strap = await EmulatedStrap.attach(browser(), page, spec);
	await page.getByRole('button', { name: 'Connect strap' }).click();
	await expect.poll(() => status(page).textContent()).toBe('Connected');
	return { page, context, strap };
}

/** A beat payload: contact detected, 8-bit HR, one RR in 1/1024 s. */
const beat = (ticks: number, flags = 0x16) => [flags, 70, ticks & 0xff, ticks >> 8];

describe('strap link', () => {
	it('explains a cancelled chooser and connects on the next try', async () => {
		const { page, context } = await openApp(browser(), '/');
		const strap = await EmulatedStrap.attach(browser(), page);
		strap.cancelNextChooser();
		await page.getByRole('button', { name: 'Connect strap' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('No strap was chosen');
		await screenshot(page, 'chooser-cancelled-desktop');
		strap.chooseNext();
		await page.getByRole('button', { name: 'Connect strap' }).click();
		await expect.poll(() => status(page).textContent()).toBe('Connected');
		await strap.dispose();
		await context.close();
	});

	it('survives three link losses in one session without losing a beat sent while connected', async () => {
		const { page, context, strap } = await connected();
		await page.getByRole('button', { name: 'Start session' }).click();
		const sent: number[] = [];
		for (let round = 0; round < 4; round++) {
			for (let i = 0; i < 25; i++) {
				const ticks = 800 + ((round * 25 + i) % 7) * 10;
				sent.push((ticks * 1000) / 1024);
				await strap.notifyHeartRate(beat(ticks));
			}
			if (round < 3) {
				await strap.dropLink();
				await expect.poll(() => status(page).textContent()).toBe('Connected');
			}
		}
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(async () => (await savedSessions(page))[0]?.status).toBe('finished');
		const [session] = await savedSessions(page);
		expect(await savedRrMs(page, session.id)).toEqual(sent);
		expect(pageErrors(page)).toEqual([]);
		await strap.dispose();
		await context.close();
	});

	it('keeps trying with backoff while the strap is out of range, then continues', async () => {
		const { page, context, strap } = await connected();
		await page.getByRole('button', { name: 'Start session' }).click();
		await strap.notifyMany([beat(800), beat(810)]);
		strap.setOutOfRange(true);
		await strap.dropLink();
		await expect.poll(() => status(page).textContent()).toBe('Reconnecting');
		await screenshot(page, 'reconnecting-desktop');
		await page.setViewportSize(PHONE);
		await screenshot(page, 'reconnecting-phone');
		await page.setViewportSize(DESKTOP);
		await page.waitForTimeout(2500);
		expect(await status(page).textContent()).toBe('Reconnecting');
		strap.setOutOfRange(false);
		await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe('Connected');
		await strap.notifyHeartRate(beat(820));
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(async () => (await savedSessions(page))[0]?.beatCount).toBe(3);
		await strap.dispose();
		await context.close();
	}, 60_000);

	it('shows lost skin contact at once and clears it when contact returns', async () => {
		const { page, context, strap } = await connected();
		await strap.notifyHeartRate(beat(800, 0x14));
		await expect.poll(() => page.getByText('No skin contact').count()).toBe(1);
		await strap.notifyHeartRate(beat(800, 0x16));
		await expect.poll(() => page.getByText('No skin contact').count()).toBe(0);
		await strap.dispose();
		await context.close();
	});

	it('updates the battery level from notifications', async () => {
		const { page, context, strap } = await connected({ battery: 80 });
		await expect.poll(() => page.getByText('Battery 80%').count()).toBe(1);
		await strap.notifyBattery(42);
		await expect.poll(() => page.getByText('Battery 42%').count()).toBe(1);
		await strap.dispose();
		await context.close();
	});

	it('works with a strap that offers no battery, device information or RR', async () => {
		const { page, context, strap } = await connected({
			name: 'Basic HRM',
			battery: null,
			deviceInfo: null,
			sensorLocation: null
		});
		await expect.poll(() => page.getByText('Basic HRM').count()).toBeGreaterThan(0);
		expect(await page.getByText(/Battery/).count()).toBe(0);
		for (let i = 0; i < 7; i++) await strap.notifyHeartRate([0x00, 66]);
		await expect.poll(() => page.getByLabel('Heart rate').first().textContent()).toBe('66');
		await expect.poll(() => page.getByText(/no beat-to-beat \(RR\) intervals/).count()).toBe(1);
		await strap.dispose();
		await context.close();
	});

	it('survives fifty disconnect/reconnect cycles without losing a beat sent while connected', async () => {
		const { page, context, strap } = await connected();
		await page.getByRole('button', { name: 'Start session' }).click();
		const sent: number[] = [];
		for (let cycle = 0; cycle < 50; cycle++) {
			for (let i = 0; i < 3; i++) {
				const ticks = 780 + ((cycle * 3 + i) % 11) * 7;
				sent.push((ticks * 1000) / 1024);
				await strap.notifyHeartRate(beat(ticks));
			}
			await strap.dropLink();
			await expect.poll(() => status(page).textContent()).toBe('Connected');
		}
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(async () => (await savedSessions(page))[0]?.status).toBe('finished');
		const [session] = await savedSessions(page);
		expect(await savedRrMs(page, session.id)).toEqual(sent);
		await strap.dispose();
		await context.close();
	}, 120_000);

	it('explains plainly where the browser has no Web Bluetooth and offers the demo strap', async () => {
		const plain = await chromium.launch({
			executablePath: CHROMIUM_PATH,
			args: CHROMIUM_ARGS.filter((a) => !a.includes('WebBluetooth'))
		});
		const context = await plain.newContext({ viewport: PHONE });
		const page = await context.newPage();
		await page.goto(baseUrl());
		// Without the WebBluetooth blink feature, Linux Chromium has no navigator.bluetooth.
		expect(await page.evaluate(() => 'bluetooth' in navigator && !!navigator.bluetooth)).toBe(
			false
		);
		await expect.poll(() => page.getByText(/cannot talk to Bluetooth straps/).count()).toBe(1);
		expect(await page.getByRole('button', { name: 'Connect strap' }).count()).toBe(0);
		await screenshot(page, 'no-bluetooth-phone');
		expect(await page.getByRole('button', { name: 'Use demo strap' }).count()).toBe(1);
		await plain.close();
	});
});
