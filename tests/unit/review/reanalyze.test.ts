import { beforeEach, describe, expect, it } from 'vitest';
import {
	appendBeats,
	createSession,
	finishSession,
	getDb,
	getSession,
	saveAssessmentSteps,
	useDatabase
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { assessmentOf } from '../../fixtures/resonance-people';
import { DEFAULT_SETTINGS } from '$lib/analysis';
import { reanalyzeStaleSessions } from '$lib/review/reanalyze';
import { saveAnalysisSettings } from '$lib/review/session-edits';
import { ANALYSIS_VERSION, computeSummary } from '$lib/review/summary';
import { currentBreathing } from '$lib/review/current-breathing';
import { BREATH_ANALYSIS_VERSION } from '$lib/db/breathing';
import { summariseBreaths } from '$lib/breath-measured/summary';
import { record } from '../breath-measured/chest-truth';

let n = 0;
beforeEach(() => {
	useDatabase(new SettleDB(`reanalyze-${n++}`));
});

/** Five minutes settling from about 75 to 62 bpm. */
function beats() {
	const out: { timeMs: number; rrMs: number; flags: number }[] = [];
	let t = 0;
	for (let i = 0; t < 300_000; i++) {
		const hr = 62 + 13 * Math.exp(-t / 150_000);
		const rr = 60000 / hr + 20 * Math.sin(i * 1.7);
		t += rr;
		out.push({ timeMs: t, rrMs: rr, flags: 0 });
	}
	return out;
}

async function oldSession(startedAt: number) {
	const s = await createSession({ source: 'demo', strapName: 'Demo', startedAt });
	await appendBeats(s.id, 0, beats());
	// A summary as version 1 stored it: a relaxation score, no settled level, no version.
	await finishSession(s.id, { summary: { meanHr: 66, hrLast: 63, relaxationScore: 48 } });
	return s.id;
}

describe('re-analysing summaries from an older engine', () => {
	it('recomputes each stale summary once, newest first, with progress', async () => {
		const ids = [await oldSession(1000), await oldSession(2000), await oldSession(3000)];
		const progress: [number, number][] = [];
		const done = await reanalyzeStaleSessions({
			batch: 2,
			onProgress: (d, t) => progress.push([d, t])
		});
		expect(done).toBe(3);
		expect(progress).toEqual([
			[0, 3],
			[2, 3],
			[3, 3]
		]);
		for (const id of ids) {
			const s = await getSession(id);
			expect(s?.summary?.analysisVersion).toBe(ANALYSIS_VERSION);
			expect(s?.summary?.relaxationScore).toBeUndefined();
			expect(s?.summary?.settledHr).toBeGreaterThan(61);
			expect(s?.summary?.settledHr).toBeLessThan(65);
			expect(s?.summary?.hrDrop).toBeGreaterThan(5);
		}
		// Nothing is left to do the second time.
		expect(await reanalyzeStaleSessions()).toBe(0);
	});

	it('stops between batches when asked (a recording started)', async () => {
		await oldSession(1000);
		await oldSession(2000);
		let batches = 0;
		const done = await reanalyzeStaleSessions({
			batch: 1,
			shouldStop: () => batches++ > 0
		});
		expect(done).toBe(1);
	});

	it('keeps what a summary said when its beats are gone', async () => {
		const s = await createSession({ source: 'demo', strapName: 'Demo', startedAt: 5000 });
		await finishSession(s.id, {
			summary: { meanHr: 66, hrFirst: 72, hrLast: 63, lnRmssdLast: 3.4, relaxationScore: 48 }
		});
		expect(await reanalyzeStaleSessions()).toBe(1);
		const after = (await getSession(s.id))?.summary;
		expect(after).toMatchObject({
			meanHr: 66,
			settledHr: 63,
			settledLnRmssd: 3.4,
			hrDrop: 9,
			analysisVersion: ANALYSIS_VERSION
		});
	});

	it("recomputes with the session's own analysis settings, and saving new ones recomputes", async () => {
		const id = await oldSession(1000);
		const settings = { correction: 'none', lambda: 0, windowS: 120, resampleHz: 2 } as const;
		await (await getDb()).sessions.update(id, { analysisSettings: settings });
		await reanalyzeStaleSessions();
		const b = beats();
		const series = {
			rrMs: Float64Array.from(b.map((x) => x.rrMs)),
			timeMs: Float64Array.from(b.map((x) => x.timeMs)),
			flags: new Uint8Array(b.length)
		};
		const own = computeSummary(series, settings);
		const defaults = computeSummary(series);
		expect(own.lfHf).not.toBe(defaults.lfHf);
		expect((await getSession(id))?.summary?.lfHf).toBe(own.lfHf);

		// Back to the defaults: the choice is dropped and the summary follows.
		await saveAnalysisSettings(id, { ...DEFAULT_SETTINGS });
		const back = await getSession(id);
		expect(back?.analysisSettings).toBeUndefined();
		expect(back?.summary?.lfHf).toBe(defaults.lfHf);
		await saveAnalysisSettings(id, settings);
		expect((await getSession(id))?.analysisSettings).toEqual(settings);
		expect((await getSession(id))?.summary?.lfHf).toBe(own.lfHf);
	});

	it('re-analysing an assessment stores what it finds now: a tie as a tie, with no rate', async () => {
		const a = assessmentOf({ seed: 3 });
		const s = await createSession({ source: 'demo', strapName: 'Demo', startedAt: 9000 });
		await appendBeats(
			s.id,
			0,
			a.rrMs.map((rrMs, i) => ({ rrMs, timeMs: a.timeMs[i], flags: 0 }))
		);
		await saveAssessmentSteps(
			s.id,
			a.steps.map((x) => ({ ...x })),
			2
		);
		// As version 3 stored it: the best-ranked rate, though no rate stood out.
		await finishSession(s.id, { summary: { meanHr: 62, resonanceBpm: 5, analysisVersion: 3 } });
		await reanalyzeStaleSessions();
		const after = (await getSession(s.id))?.summary;
		expect(after?.resonanceBpm).toBeUndefined();
		expect(after?.resonanceTieFastBpm).toBeGreaterThan(after!.resonanceTieSlowBpm!);
	});

	it('a fresh summary carries the current version', () => {
		const b = beats();
		const summary = computeSummary({
			rrMs: Float64Array.from(b.map((x) => x.rrMs)),
			timeMs: Float64Array.from(b.map((x) => x.timeMs)),
			flags: new Uint8Array(b.length)
		});
		expect(summary.analysisVersion).toBe(ANALYSIS_VERSION);
	});
});

describe('re-analysing a session the strap measured breathing for', () => {
	it('fills in the measured figures from its breathing row, and older sessions go on without', async () => {
		const { saveBreathing } = await import('$lib/db');
		const measured = await oldSession(5000);
		const plain = await oldSession(6000);
		// 6 a minute, 4 s in and 6 s out, from 30 s; one shift of 20 s at 200 s.
		const breaths = Array.from({ length: 25 }, (_, i) => ({
			inStartMs: 30_000 + i * 10_000,
			outStartMs: 34_000 + i * 10_000,
			endMs: 40_000 + i * 10_000,
			depthMg: 6
		}));
		await saveBreathing(measured, {
			breaths,
			movements: [{ startMs: 200_000, endMs: 220_000 }],
			blocks: {
				startMs: 0,
				blockMs: 200,
				xyz: new Float32Array(3 * 1500),
				activity: new Float32Array(1500)
			},
			sampleRateHz: 25
		});
		expect(await reanalyzeStaleSessions()).toBe(2);
		const m = (await getSession(measured))!.summary!;
		expect(m.measuredBreathRate).toBeCloseTo(6, 9);
		expect(m.measuredBreathRatio).toBeCloseTo(1.5, 9);
		expect(m.measuredBreaths).toBe(25);
		expect(m.movedS).toBe(20);
		expect(m.correctedWhileMovingPercent).toBe(0);
		// The shift lies in the last two minutes: it and the 30 s after are left out.
		expect(m.settledLeftOutS).toBe(50);
		const p = (await getSession(plain))!.summary!;
		expect(p.measuredBreathRate).toBeUndefined();
		expect(p.settledLeftOutS).toBeUndefined();
		// The same beats (no jump at the shift): the same level from fewer of them.
		expect(Math.abs(p.settledHr! - m.settledHr!)).toBeLessThan(0.5);
	});
});

describe('a measured session whose breathing is not on this device (it does not sync yet)', () => {
	it('keeps the measured figures its summary held, and claims no movement left out', async () => {
		const s = await createSession({ source: 'bluetooth', strapName: 'Polar H10', startedAt: 9000 });
		await appendBeats(s.id, 0, beats());
		await finishSession(s.id, {
			summary: {
				meanHr: 66,
				analysisVersion: 4,
				measuredBreathRate: 6.1,
				measuredBreathRatio: 1.4,
				measuredBreaths: 28,
				movedS: 12,
				movements: 1,
				settledLeftOutS: 42
			}
		});
		expect(await reanalyzeStaleSessions()).toBe(1);
		const m = (await getSession(s.id))!.summary!;
		expect(m.analysisVersion).toBe(ANALYSIS_VERSION);
		expect(m.measuredBreathRate).toBe(6.1);
		expect(m.measuredBreathRatio).toBe(1.4);
		expect(m.movements).toBe(1);
		expect(m.settledLeftOutS).toBeUndefined();
		// So does a change of analysis settings.
		await saveAnalysisSettings(s.id, { ...DEFAULT_SETTINGS, windowS: 120 });
		expect((await getSession(s.id))!.summary!.measuredBreathRate).toBe(6.1);
	});
});

describe('breathing kept by an older breath analysis', () => {
	/** 20 a minute, out-breaths 2.5 times the in-breaths: where the older analysis read 0.4 low. */
	async function measuredSession(startedAt: number) {
		const { getDb, packBreathing } = await import('$lib/db');
		const id = await oldSession(startedAt);
		const t = record({ durationS: 300, ratePerMin: 20, ratio: 2.5, seed: 5, startMs: 0 });
		// What version 1 kept: its own breaths (here every breath even) beside the blocks.
		const even = t.breaths.map((b) => ({
			inStartMs: b.inStartS * 1000,
			outStartMs: ((b.inStartS + b.endS) / 2) * 1000,
			endMs: b.endS * 1000,
			depthMg: 20
		}));
		await (
			await getDb()
		).breathing.put(
			packBreathing(id, {
				breaths: even,
				movements: [],
				blocks: { ...t.blocks, blockMs: 200 },
				sampleRateHz: 25,
				analysisVersion: 1
			})
		);
		const len = t.breaths.reduce((s, b) => s + b.endS - b.inStartS, 0);
		const out = t.breaths.reduce((s, b) => s + b.endS - b.outStartS, 0);
		return { id, trueRatio: out / (len - out) };
	}

	it('is read as the current analysis finds it, before the background re-analysis stores it', async () => {
		const { getBreathing } = await import('$lib/db');
		const { id, trueRatio } = await measuredSession(7000);
		const read = (await currentBreathing(id))!;
		expect(read.analysisVersion).toBe(BREATH_ANALYSIS_VERSION);
		expect(Math.abs(summariseBreaths(read.breaths).ratio - trueRatio)).toBeLessThanOrEqual(0.1);
		// Reading stores nothing.
		expect((await getBreathing(id))!.analysisVersion).toBe(1);
	});

	it('is analysed again from its blocks and stored by the re-analysis, and the summary follows', async () => {
		const { getBreathing } = await import('$lib/db');
		const { id, trueRatio } = await measuredSession(8000);
		expect(await reanalyzeStaleSessions()).toBe(1);
		const kept = (await getBreathing(id))!;
		expect(kept.analysisVersion).toBe(BREATH_ANALYSIS_VERSION);
		expect(kept.blocks.activity.length).toBe(1500);
		const ratio = (await getSession(id))!.summary!.measuredBreathRatio!;
		expect(Math.abs(ratio - trueRatio)).toBeLessThanOrEqual(0.1);
		expect(ratio).toBeCloseTo(summariseBreaths(kept.breaths).ratio, 9);
	});
});

describe('breathing kept without its movement blocks', () => {
	it('keeps the breaths it has: there is nothing to analyse again', async () => {
		const { getDb, packBreathing } = await import('$lib/db');
		const id = await oldSession(9500);
		const breaths = [{ inStartMs: 1000, outStartMs: 5000, endMs: 11_000, depthMg: 20 }];
		await (
			await getDb()
		).breathing.put(
			packBreathing(id, {
				breaths,
				movements: [],
				blocks: {
					startMs: 0,
					blockMs: 200,
					xyz: new Float32Array(0),
					activity: new Float32Array(0)
				},
				sampleRateHz: 25,
				analysisVersion: 1
			})
		);
		expect((await currentBreathing(id))!.breaths).toEqual(breaths);
	});
});
