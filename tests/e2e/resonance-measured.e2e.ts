/**
 * A resonance assessment kept with the breath a strap measured, opened on the Breathing page: the
 * person followed the pacer at every rate but 5.5, where they breathed 6.8 a minute, and their
 * heart swung most there. Seeded straight into IndexedDB (a session row with its paced steps, its
 * beats, its measured breaths), generated here with a known truth, so the page's reading of it is
 * what is tested: the phase against the measured breath, the note on the step not followed, and
 * no rate named for a step not followed.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
	DESKTOP,
	baseUrl,
	pageErrors,
	screenshot,
	trackPageErrors,
	useBrowser
} from './fixtures/browser';
import { axeViolations } from './fixtures/axe';
import { patternFor } from '../../src/lib/practice/pacer';
import { gaussian, mulberry32 } from '../../src/lib/seeded-random';

const browser = useBrowser();

type Breath = { inStartMs: number; outStartMs: number; endMs: number };
const RATES = [6.5, 6, 5.5, 5, 4.5];
/** The heart's swing (bpm) at each step; the 5.5 step is breathed at 6.8 a minute. */
const SWING: Record<number, number> = { 6.5: 5, 6: 6, 5.5: 10, 5: 6.5, 4.5: 5.5 };
const NOT_FOLLOWED = { rate: 5.5, breathedPerMin: 6.8 };

function recording() {
	const steps = RATES.map((rateBpm, i) => {
		const p = patternFor(rateBpm, 0.6);
		const startMs = (120 + i * 140) * 1000;
		return { rateBpm, ...p, startMs, endMs: startMs + 120_000 };
	});
	const breaths: (Breath & { swing: number })[] = [];
	let t = 0;
	const endMs = steps.at(-1)!.endMs + 10_000;
	while (t < endMs) {
		const step = steps.find((s) => t >= s.startMs - 2000 && t < s.endMs);
		let inS = 4;
		let outS = 6;
		if (step && step.rateBpm === NOT_FOLLOWED.rate) {
			inS = 3.5;
			outS = 60 / NOT_FOLLOWED.breathedPerMin - inS;
		} else if (step) ({ inhaleS: inS, exhaleS: outS } = step);
		breaths.push({
			inStartMs: t,
			outStartMs: t + inS * 1000,
			endMs: t + (inS + outS) * 1000,
			swing: step ? SWING[step.rateBpm] : 3
		});
		t += (inS + outS) * 1000;
	}
	// The heart in phase with the breath (its rate peaking with the fill), 12 ms of beat noise.
	const rand = mulberry32(3);
	const hrAt = (ms: number) => {
		const b = breaths.find((x) => ms >= x.inStartMs && ms < x.endMs);
		if (!b) return 62;
		const len = b.endMs - b.inStartMs;
		const peak = b.outStartMs - b.inStartMs + 300;
		return 62 + (b.swing / 2) * Math.cos((2 * Math.PI * (ms - b.inStartMs - peak)) / len);
	};
	const rrMs: number[] = [];
	const timeMs: number[] = [];
	for (let at = 0; at < endMs;) {
		const rr = 60_000 / hrAt(at + 500) + 12 * gaussian(rand);
		at += rr;
		rrMs.push(rr);
		timeMs.push(at);
	}
	return { steps, breaths, rrMs, timeMs };
}

/**
 * Writes the assessment as the app keeps one (raw IndexedDB). False, writing nothing, while the app
 * has not made its schema yet: opening a missing database would make an empty one the app must
 * then upgrade, so that open is aborted.
 */
async function seed(page: Page, id: string, startedAt: number): Promise<boolean> {
	const rec = recording();
	return page.evaluate(
		({ id, startedAt, rec }) =>
			new Promise<boolean>((resolve, reject) => {
				const open = indexedDB.open('settle');
				open.onupgradeneeded = () => open.transaction?.abort();
				open.onerror = () =>
					open.error?.name === 'AbortError' ? resolve(false) : reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('breathing')) {
						db.close();
						resolve(false);
						return;
					}
					const tx = db.transaction(['sessions', 'beatChunks', 'breathing'], 'readwrite');
					tx.oncomplete = () => {
						db.close();
						resolve(true);
					};
					tx.onerror = () => reject(tx.error);
					const n = rec.rrMs.length;
					tx.objectStore('sessions').put({
						id,
						startedAt,
						endedAt: startedAt + rec.timeMs[n - 1],
						status: 'finished',
						source: 'bluetooth',
						strapName: 'Polar H10 (seeded)',
						routine: 'Resonance assessment',
						phase: 'none',
						tags: [],
						beatCount: n,
						durationMs: rec.timeMs[n - 1],
						summary: { meanHr: 62 },
						updatedAt: startedAt,
						assessment: { stepMinutes: 2, steps: rec.steps }
					});
					for (let seq = 0, k = 0; k < n; seq++, k += 500) {
						const to = Math.min(n, k + 500);
						const t0Ms = rec.timeMs[k];
						tx.objectStore('beatChunks').put({
							sessionId: id,
							seq,
							t0Ms,
							rrMs: Float64Array.from(rec.rrMs.slice(k, to)),
							offsetMs: Float32Array.from(rec.timeMs.slice(k, to), (t) => t - t0Ms),
							flags: new Uint8Array(to - k)
						});
					}
					tx.objectStore('breathing').put({
						sessionId: id,
						inStartMs: Float64Array.from(rec.breaths, (b) => b.inStartMs),
						outStartMs: Float64Array.from(rec.breaths, (b) => b.outStartMs),
						endMs: Float64Array.from(rec.breaths, (b) => b.endMs),
						depthMg: Float32Array.from(rec.breaths, () => 20),
						movements: [],
						blocksStartMs: 0,
						blockMs: 200,
						xyz: new Int16Array(0),
						activity: new Uint16Array(0),
						sampleRateHz: 25,
						analysisVersion: 1
					});
				};
			}),
		{ id, startedAt, rec }
	);
}

describe('a resonance assessment with the breath the strap measured', () => {
	it('takes the phase against the measured breath, notes the step not followed and names no rate for it', async () => {
		const context = await browser().newContext({ viewport: DESKTOP });
		const page = await context.newPage();
		trackPageErrors(page);
		await page.goto(new URL('/resonance', baseUrl()).href);
		await expect
			.poll(() => page.getByRole('heading', { name: 'Your assessments' }).count())
			.toBe(1);
		await expect
			.poll(() => seed(page, 'seeded-measured', Date.UTC(2026, 11, 1, 7)), { timeout: 15_000 })
			.toBe(true);
		await page.goto(new URL('/resonance?id=seeded-measured', baseUrl()).href);
		const heading = page.getByRole('heading', { level: 2 }).first();
		await expect
			.poll(() => heading.textContent(), { timeout: 15_000 })
			.toMatch(/No resonance rate named: you did not follow the pacer at 5\.5/);
		const verdict = (await page.locator('.verdict').textContent()) ?? '';
		expect(verdict).toMatch(/5\.5\/min came out best, but you breathed at 6\.8 a minute/);
		const notes = page.getByTestId('resonance-step-note');
		expect(await notes.count()).toBe(1);
		expect(await notes.first().textContent()).toMatch(
			/5\.5:\s*You breathed at 6\.8 a minute in this 5\.5 step: its figures describe 6\.8\./
		);
		expect(await page.getByTestId('resonance-phase-from').textContent()).toMatch(
			/against your breath as the strap measured it/
		);
		// The heart was made in phase with the measured breath: every phase reads near 0°.
		const phases = await page.locator('td[data-label="Phase (°)"]').allTextContents();
		expect(phases).toHaveLength(5);
		for (const p of phases) expect(Math.abs(Number(/-?\d+/.exec(p)?.[0]))).toBeLessThanOrEqual(15);
		await expect.poll(() => page.locator('[data-drawn]').count()).toBe(5);
		expect(await axeViolations(page), 'result').toEqual([]);
		await screenshot(page, 'resonance-measured-not-followed');
		// The list keeps it: no rate named, and why.
		await expect
			.poll(() => page.getByRole('listitem').filter({ hasText: 'no rate named' }).count())
			.toBe(1);
		expect(pageErrors(page)).toEqual([]);
		await context.close();
	}, 120_000);
});
