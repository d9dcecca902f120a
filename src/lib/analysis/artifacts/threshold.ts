/**
 * Kubios HRV's "threshold-based" artifact correction, for people reproducing a Kubios report made
 * with it (docs/hrv-algorithms.md §2.3): every interval is compared with a local average (a median
 * filter, so one outlier does not move it); one differing by more than the level's threshold is
 * replaced by a cubic-spline value through the intervals kept. Kubios's thresholds are for a heart
 * rate of 60 bpm and are scaled to the record's heart rate, so they are scaled here by the record's
 * median interval / 1000 ms. The number of intervals never changes (a missed beat is not split, an
 * extra one not merged): that is the fixed-threshold method, unlike the automatic one.
 *
 * Not verified against Kubios itself: its median filter's length is not published; 11 intervals
 * (5 either side) is ours.
 */
import { median } from '../beat-series';
import { splineAt } from '../resample';
import { rollingMedian } from '../rolling';
import { WARN_PERCENT, type ArtifactReport, type CorrectionResult } from './index';

/** Thresholds at 60 bpm (ms), Kubios's named levels. */
export const THRESHOLD_LEVELS = {
	'very-low': 450,
	low: 350,
	medium: 250,
	strong: 150,
	'very-strong': 50
} as const;
export type ThresholdLevel = keyof typeof THRESHOLD_LEVELS;

/** The local average: a median over 11 intervals (5 either side). */
const WINDOW = 11;

/** Indices of the intervals farther than the level's threshold from their local median. */
export function thresholdArtifacts(rrMs: ArrayLike<number>, level: ThresholdLevel): number[] {
	if (rrMs.length === 0) return [];
	const limit = (THRESHOLD_LEVELS[level] * median(rrMs)) / 1000;
	const local = rollingMedian(rrMs, WINDOW);
	const flagged: number[] = [];
	for (let i = 0; i < rrMs.length; i++) if (Math.abs(rrMs[i] - local[i]) > limit) flagged.push(i);
	return flagged;
}

/**
 * The record with its outlying intervals replaced, and a report in the automatic method's shape.
 * `detected` is the automatic detector's report on the same record: whether the rhythm is
 * irregular is an observation about the heart, which a fixed threshold cannot make.
 */
export function thresholdCorrection(
	rrMs: ArrayLike<number>,
	level: ThresholdLevel,
	detected?: ArtifactReport
): CorrectionResult {
	const n = rrMs.length;
	const flagged = thresholdArtifacts(rrMs, level);
	const out = Float64Array.from(rrMs);
	const corrected = new Uint8Array(n);
	const bad = new Set(flagged);
	const keptAt: number[] = [];
	const kept: number[] = [];
	for (let i = 0; i < n; i++) {
		if (bad.has(i)) continue;
		keptAt.push(i);
		kept.push(rrMs[i]);
	}
	// The spline runs over the interval's number, not its time: an artifact's time is as wrong as
	// its length.
	if (kept.length > 0 && flagged.length > 0) {
		const values = splineAt(Float64Array.from(keptAt), kept, flagged);
		flagged.forEach((i, k) => {
			out[i] = Math.round(values[k] * 1.024) / 1.024;
			corrected[i] = 1;
		});
	}
	const percent = n ? (100 * flagged.length) / n : 0;
	const irregularPercent = detected?.irregularPercent ?? 0;
	const report: ArtifactReport = {
		ectopic: 0,
		missed: 0,
		extra: 0,
		longShort: flagged.length,
		total: flagged.length,
		percent,
		indices: flagged,
		types: flagged.map(() => 'long-short'),
		irregularPercent
	};
	if (irregularPercent > WARN_PERCENT) report.warning = detected?.warning;
	else if (percent > WARN_PERCENT)
		report.warning = `${percent.toFixed(1)} % of beats were replaced by the fixed threshold; treat the figures with care.`;
	return { rrMs: out, corrected, report };
}
