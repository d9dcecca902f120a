/** Analysis settings as Kubios offers them: known answers for each choice. */
import { describe, expect, it } from 'vitest';
import {
	analyzeRr,
	changeSetting,
	DEFAULT_SETTINGS,
	describeSettings,
	frequencyDomain,
	settingsFrom,
	settingsFromForm,
	thresholdArtifacts,
	thresholdCorrection
} from '$lib/analysis';
import { breathingHeart } from '../../../fixtures/hearts';

/** A steady 60 bpm heart with a 0.25 Hz swing of ±30 ms, and the given intervals replaced. */
function heart(n: number, replaced: Record<number, number> = {}): number[] {
	const rr: number[] = [];
	let t = 0;
	for (let i = 0; i < n; i++) {
		const v = 1000 + 30 * Math.sin(2 * Math.PI * 0.25 * (t / 1000));
		rr.push(replaced[i] ?? v);
		t += v;
	}
	return rr;
}

describe('threshold-based correction (Kubios levels, scaled to the heart rate)', () => {
	it('flags an interval beyond the level from its local median, and only then', () => {
		// 60 bpm: thresholds are the named ones. 1300 ms is 300 ms off: beyond medium (250),
		// within low (350).
		const rr = heart(100, { 50: 1300 });
		expect(thresholdArtifacts(rr, 'medium')).toEqual([50]);
		expect(thresholdArtifacts(rr, 'low')).toEqual([]);
		expect(thresholdArtifacts(rr, 'very-low')).toEqual([]);
		// The breathing swing (±30 ms) stays within very strong (50 ms).
		expect(thresholdArtifacts(heart(100), 'very-strong')).toEqual([]);
	});

	it('scales the thresholds to the heart rate: 120 bpm halves them', () => {
		const fast = heart(100, { 50: 1300 }).map((v) => v / 2); // 650 vs 500: 150 ms off
		expect(thresholdArtifacts(fast, 'medium')).toEqual([50]); // 125 ms at 120 bpm
		expect(thresholdArtifacts(fast, 'low')).toEqual([]); // 175 ms
	});

	it('replaces a flagged interval by the spline through its neighbours and keeps the count', () => {
		const clean = heart(100);
		const rr = heart(100, { 50: 1300 });
		const out = thresholdCorrection(rr, 'medium');
		expect(out.rrMs.length).toBe(100);
		expect(Array.from(out.corrected).flatMap((c, i) => (c ? [i] : []))).toEqual([50]);
		expect(Math.abs(out.rrMs[50] - clean[50])).toBeLessThan(2);
		expect(out.report).toMatchObject({ total: 1, longShort: 1, indices: [50] });
		expect(out.report.percent).toBeCloseTo(1, 10);
	});

	it('keeps a missed beat as one long interval (the fixed method neither splits nor merges)', () => {
		const rr = heart(200, { 100: 2000 });
		const a = analyzeRr(rr, { settings: { correction: 'strong' } });
		expect(a.nAnalysed).toBe(200);
		expect(a.artifacts.indices).toEqual([100]);
		// The automatic method splits it in two.
		expect(analyzeRr(rr).nAnalysed).toBe(201);
	});
});

describe('the settings reach every figure they govern', () => {
	const rr = breathingHeart({ rate: 6, swingBpm: 20, durationS: 360, seed: 3 }).rrMs;

	it('defaults to Kubios 3.x: automatic correction, λ 500, 300 s, 4 Hz', () => {
		expect(analyzeRr(rr).settings).toEqual(DEFAULT_SETTINGS);
		expect(DEFAULT_SETTINGS).toEqual({
			correction: 'automatic',
			lambda: 500,
			windowS: 300,
			resampleHz: 4
		});
	});

	it('passes λ, the window and the rate to the spectrum', () => {
		const settings = { lambda: 0, windowS: 120, resampleHz: 2 };
		const a = analyzeRr(rr, { settings });
		const f = frequencyDomain(a.rrMs, settings);
		expect(a.frequency.lfhf).toBe(f.lfhf);
		expect(a.frequency.windowS).toBe(120);
		expect(a.frequency.lfhf).not.toBe(analyzeRr(rr).frequency.lfhf);
	});

	it('with correction none analyses the intervals as given and still counts artifacts', () => {
		const bad = heart(200, { 100: 2000 });
		const a = analyzeRr(bad, { settings: { correction: 'none' } });
		expect(Array.from(a.rrMs)).toEqual(bad);
		expect(a.artifacts.total).toBe(1);
	});
});

describe('settings in words and from untrusted places', () => {
	it('names each setting', () => {
		expect(describeSettings(DEFAULT_SETTINGS)).toBe(
			'artifact correction: automatic (beat classification); detrending: smoothness priors, λ 500; Welch window: 300 s; interpolation: 4 Hz'
		);
		expect(
			describeSettings({ correction: 'very-strong', lambda: 0, windowS: 256, resampleHz: 4 })
		).toBe(
			'artifact correction: very strong threshold (0.05 s at 60 bpm); detrending: none; Welch window: 256 s; interpolation: 4 Hz'
		);
	});

	it('takes the default for each damaged or unknown field, keeping the valid ones', () => {
		expect(settingsFrom(undefined)).toEqual(DEFAULT_SETTINGS);
		expect(settingsFrom('x')).toEqual(DEFAULT_SETTINGS);
		expect(
			settingsFrom({ correction: 'extreme', lambda: -3, windowS: 256, resampleHz: Infinity })
		).toEqual({ ...DEFAULT_SETTINGS, windowS: 256 });
	});

	it('refuses a change out of range with the reason, and keeps λ when detrending returns', () => {
		expect(changeSetting(DEFAULT_SETTINGS, 'windowS', '29')).toEqual({
			ok: false,
			reason: 'the Welch window (s) must be a number from 30 to 600'
		});
		const off = changeSetting(DEFAULT_SETTINGS, 'detrend', 'none');
		expect(off).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, lambda: 0 } });
		if (!off.ok) return;
		const on = changeSetting(off.settings, 'detrend', 'smoothness-priors');
		expect(on.ok && on.settings.lambda).toBe(500);
	});
});

describe("the session page's form", () => {
	const form = {
		correction: 'none',
		detrend: 'none',
		lambda: 500,
		windowS: 256,
		resampleHz: 4
	} as const;
	it('turns its fields into settings, detrending off as λ 0', () => {
		expect(settingsFromForm(form)).toEqual({
			ok: true,
			settings: { correction: 'none', lambda: 0, windowS: 256, resampleHz: 4 }
		});
	});
	it('refuses an empty or out-of-range field, and smoothness priors with λ 0', () => {
		expect(settingsFromForm({ ...form, windowS: null })).toEqual({
			ok: false,
			reason: 'the Welch window (s) must be a number from 30 to 600'
		});
		expect(settingsFromForm({ ...form, detrend: 'smoothness-priors', lambda: 0 })).toMatchObject({
			ok: false
		});
	});
});
