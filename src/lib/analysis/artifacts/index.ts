/**
 * Artifact detection and correction after Lipponen & Tarvainen (J Med Eng Technol 43(3), 2019),
 * the method behind Kubios' automatic correction (docs/hrv-algorithms.md §2.1): each beat's
 * interval is judged against the local normal rhythm, an ectopic beat shows as a short interval
 * followed by a long one (the paper's S11/S12 signature), a missed beat as an interval close to
 * twice the normal one, an extra beat as two intervals that add up to one.
 *
 * The improvement: the original thresholds come from the quartile deviation of successive
 * differences in a 91-beat window, which grows with the ectopy itself, so frequent ectopy (for
 * example bigeminy) hides itself — NeuroKit2's implementation finds 24 % of the ectopic beats of
 * ltdb_14046. Here the normal rhythm is the rolling median of PAIR averages (RRᵢ + RRᵢ₊₁)/2: a
 * premature beat and its compensatory pause add up to two normal intervals, so the reference stays
 * on the sinus rhythm even when every other beat is ectopic; the threshold scales with the
 * variability of the beats judged normal in a first pass (lower quartile of the last 301), not with
 * the artifacts; and a deviating beat must also be abrupt (a spike in the successive differences),
 * which slow sinus swings never are. Every window looks at most a few beats ahead, so the verdicts
 * do not move when a record is a beat longer or shorter (ARTIFACT_LOOKAHEAD). Measured on the
 * MIT-BIH annotations (tests/unit/analysis): mitdb 100 sensitivity 100 % / precision 100 %,
 * ltdb 14046 96.4 % / 98.0 % (within one beat).
 *
 * Slow breathing: a heart that follows a breath of 4-8 a minute swings by 15-40 bpm, successive
 * sinus intervals then differ by 100-300 ms and the pair-average median lags the swing by a third
 * of its size, so the steady-rhythm verdicts above flagged up to a quarter of the beats of a clean
 * recording and the irregular test called it atrial fibrillation. Where the heart swings with the
 * breath (breathAware), premature and late beats are found instead as beat times displaced from
 * the smooth rhythm of their neighbours (beat-times.ts): a premature beat moves one beat time, a
 * breath moves them all smoothly. On 630 known-truth series (tests/fixtures/hearts.ts, 4-8 breaths
 * a minute, 10-40 bpm, in:out 1:1 to 1:2; `npm run bench:breathing`): 99.7 % with no beat flagged,
 * at most 0.32 % of beats; of 4633 premature beats placed on the steep part of the swings, 98.2 %
 * found, false flags 1.9 % of their number.
 */
import { lookaheadQuantile, windowEnd, type LookaheadWindow } from '../lookahead-window';
import { DISPLACED, DISPLACED_LOOKAHEAD, displacedBeats } from './beat-times';

export type ArtifactType = 'ectopic' | 'missed' | 'extra' | 'long-short';

export interface ArtifactReport {
	ectopic: number;
	missed: number;
	extra: number;
	longShort: number;
	/** Number of flagged input intervals. */
	total: number;
	/** 100 · total / input length. */
	percent: number;
	/** 0-based indices of the input intervals judged abnormal, ascending. */
	indices: number[];
	/** Parallel to indices. */
	types: ArtifactType[];
	/**
	 * Share of beats (%) in stretches whose rhythm is irregular throughout (as in atrial
	 * fibrillation, or a noisy signal): left as recorded, since "correcting" them would invent a rhythm.
	 */
	irregularPercent: number;
	/** Set above 5 %: the figures rest on many corrected beats, or on an irregular rhythm. */
	warning?: string;
}

export interface CorrectionResult {
	rrMs: Float64Array;
	/** Per output beat: 1 when the value was changed, interpolated or created. */
	corrected: Uint8Array;
	report: ArtifactReport;
}

export const WARN_PERCENT = 5;
/**
 * Windows (beats) over which the local normal interval and the normal variability are estimated.
 * None reaches more than a few beats ahead (lookahead-window.ts), so that a beat's verdict depends
 * on no beat more than ARTIFACT_LOOKAHEAD after it. Centred windows reached up to 166 beats ahead
 * and shrank at the end of the record, so one beat more or fewer at the end moved the thresholds,
 * and with them the verdicts on borderline beats, up to 160 beats back: the LF power of a 5-minute
 * record swung by half when one final beat was dropped.
 *
 * The pair-average median: 14 beats back, 6 ahead. Tried 15-31 beats with 5-8 ahead: the windows
 * of about 21 beats with 5-7 ahead judged mitdb 100 and ltdb 14046 best; longer ones, lagging
 * further behind the beat judged, flagged 1-3 more normal beats of mitdb 100.
 */
const REF_WINDOW: LookaheadWindow = { span: 21, ahead: 6, first: 21 };
/** Normal variability: the 301 beats up to the beat judged, long enough that a run of dense
 * ectopy cannot take it over; the first 91 beats for the beats before them. */
const SPREAD_WINDOW: LookaheadWindow = { span: 301, ahead: 0, first: 91 };
/** Relative deviation from the local normal interval that is always tolerated. */
const MIN_DEVIATION = 0.1;
/** Multiple of the local normal variability beyond which a beat is abnormal. */
const VARIABILITY_FACTOR = 3;
/** Relative deviation flagged whatever the neighbours do. */
const FAR_OFF = 0.35;
/** Beats within this relative distance count towards the normal variability estimates. */
const CLEAN_LIMIT = 0.1;
/** Multiple of the normal successive-difference scale that makes a spike (L&T's dRR test). */
const SPIKE_FACTOR = 3;
/** Lower quartile of |X| for X ~ N(0, σ²), in units of σ: scales a quartile into an SD. */
const HALF_NORMAL_Q25 = 0.3186;

function emptyReport(): ArtifactReport {
	return {
		ectopic: 0,
		missed: 0,
		extra: 0,
		longShort: 0,
		total: 0,
		percent: 0,
		indices: [],
		types: [],
		irregularPercent: 0
	};
}

/**
 * Where the heart swings with the breath, a sinus interval can differ from its neighbours by 20-40 %
 * (15-40 bpm peak to trough in slow breathing): there the reference and the spike test above, made
 * for a steady rhythm, take steep slopes for premature beats. A beat is in such a swing when the
 * pair averages (which a premature beat and its pause leave as they were) of the 31 beats around it
 * span more than SWING_SHARE of their median from the 10th to the 90th percentile, its beats sit
 * where the rhythm predicts them (median within SMOOTH_SWING of their interval) and its intervals
 * turn slowly (roughness()); there premature and late beats are found as displaced beat times
 * (beat-times.ts) instead. The span measured (median): 0.075 in mitdb 100, 0.11 in ltdb 14046 (up
 * to 0.37 where dense ectopy widens it, which the other two tests tell apart), 0.14-0.15 with a
 * 10 bpm swing, 0.2-0.64 with 15-40 bpm.
 */
const SWING_WINDOW: LookaheadWindow = { span: 31, ahead: 6, first: 31 };
const SWING_SHARE = 0.15;
/**
 * Inside a breathing swing a step between two unflagged beats is restless (irregular rhythm) when
 * the beat is displaced from the smooth rhythm of its neighbours by this share of its interval,
 * not when it differs from its predecessor: breathing swings move every step by 6 % or more, but
 * leave beat times where the rhythm predicts them (median 2 % off in the largest swings).
 */
const RESTLESS_DISPLACED = 0.05;
/** A swing is breathing where the median beat sits within this share of its interval of the rhythm. */
const SMOOTH_SWING = 0.05;
/** A swing is breathing where its intervals turn no more often than this (roughness()). */
const MAX_ROUGHNESS = 1.55;
/** In a swing, a missed beat's interval exceeds both neighbours by this factor. */
const MISSED_AGAINST_NEIGHBOURS = 1.5;
/** In a swing, an extra beat's two intervals add up to their neighbours' mean within this share. */
const EXTRA_AGAINST_NEIGHBOURS = 0.25;

/**
 * Window (beats) in which the rhythm is judged irregular: the 601 beats (about ten minutes) up to
 * the beat judged, long enough that a burst of dense multifocal ectopy (a few hundred beats in
 * ltdb 14046) is not mistaken for it. Looking back only, it is late to see an irregular rhythm
 * begin: the first few hundred beats of a paroxysm are judged beat by beat. (Synthetic: 1500
 * irregular beats between stretches of sinus rhythm, 189 of them flagged, all in the first 490;
 * the centred window it replaced, late at both ends, flagged 158 and reached 300 beats ahead.)
 */
const IRREGULAR_WINDOW: LookaheadWindow = { span: 601, ahead: 0, first: 301 };

/**
 * How far ahead (beats) the verdict on a beat looks: the pair average reaches one beat past the
 * reference window, and an ectopic beat is judged with its successor's spike, which looks one beat
 * further. Once a record holds IRREGULAR_WINDOW.first beats, growing it (or dropping beats from its
 * end) changes no verdict on beats more than ARTIFACT_LOOKAHEAD before its end.
 */
export const ARTIFACT_LOOKAHEAD = Math.max(
	REF_WINDOW.ahead + 1 + SPREAD_WINDOW.ahead + 1 + IRREGULAR_WINDOW.ahead,
	SWING_WINDOW.ahead + 1 + DISPLACED_LOOKAHEAD + 1
);
/** Record length (beats) from which the verdicts are final except in the last ARTIFACT_LOOKAHEAD. */
export const ARTIFACT_SETTLED_LENGTH = Math.max(
	REF_WINDOW.first,
	SPREAD_WINDOW.first,
	IRREGULAR_WINDOW.first
);
/** Flagged share above which a window is suspect. */
const IRREGULAR_FLAGGED_SHARE = 0.15;
/** Successive normal beats differing by more than this share of the normal interval are restless. */
const RESTLESS_STEP = 0.06;

/**
 * Stretches where many beats look abnormal AND the beats between them are irregular too: not
 * ectopy (between ectopic beats the sinus rhythm is steady) but an irregular rhythm. Measured on
 * the annotated recordings: successive unflagged beats differ by a median 2 % of the normal
 * interval in the flagged stretches of ltdb 14046 (frequent ectopy) and the Polar PVC file, by
 * 7-15 % throughout ltdb 14149 (atrial fibrillation, whose beats are annotated normal).
 */
function irregularStretches(
	rrMs: ArrayLike<number>,
	ref: Float64Array,
	types: (ArtifactType | undefined)[],
	{ offRhythm, breathing }: BreathAwareness
): Uint8Array {
	const n = rrMs.length;
	const flagged = new Int32Array(n + 1);
	const steps = new Int32Array(n + 1);
	const restless = new Int32Array(n + 1);
	for (let i = 0; i < n; i++) {
		const step = i > 0 && !types[i] && !types[i - 1];
		flagged[i + 1] = flagged[i] + (types[i] ? 1 : 0);
		steps[i + 1] = steps[i] + (step ? 1 : 0);
		restless[i + 1] =
			restless[i] +
			(step &&
			(breathing[i]
				? offRhythm[i] > RESTLESS_DISPLACED
				: Math.abs(rrMs[i] - rrMs[i - 1]) > RESTLESS_STEP * ref[i])
				? 1
				: 0);
	}
	const irregular = new Uint8Array(n);
	for (let i = 0; i < n; i++) {
		const b = windowEnd(i, n, IRREGULAR_WINDOW) + 1;
		const a = Math.max(0, b - IRREGULAR_WINDOW.span);
		const k = steps[b] - steps[a];
		// Most steps between normal beats restless: their median is above RESTLESS_STEP.
		if (
			(flagged[b] - flagged[a]) / (b - a) > IRREGULAR_FLAGGED_SHARE &&
			k >= 10 &&
			(restless[b] - restless[a]) / k > 0.5
		)
			irregular[i] = 1;
	}
	return irregular;
}

/** The local normal interval (ms) around each beat. */
export function normalReference(rrMs: ArrayLike<number>): Float64Array {
	const n = rrMs.length;
	const pairs = new Float64Array(n);
	for (let i = 0; i < n; i++) pairs[i] = i + 1 < n ? (rrMs[i] + rrMs[i + 1]) / 2 : rrMs[i];
	return lookaheadQuantile(pairs, 0.5, REF_WINDOW);
}

/**
 * Allowed deviation (ms) around each beat's reference: a multiple of the typical deviation of the
 * beats that a fixed 15 % rule calls normal, so that frequent artifacts cannot inflate it.
 */
function tolerance(rrMs: ArrayLike<number>, ref: Float64Array): Float64Array {
	const n = rrMs.length;
	const dev = new Float64Array(n);
	const normal = new Uint8Array(n);
	for (let i = 0; i < n; i++) {
		dev[i] = Math.abs(rrMs[i] - ref[i]);
		normal[i] = dev[i] <= CLEAN_LIMIT * ref[i] ? 1 : 0;
	}
	// The lower quartile stays on the normal beats even where most beats in the window are not.
	const spread = lookaheadQuantile(dev, 0.25, SPREAD_WINDOW, normal);
	const tol = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const s = Number.isFinite(spread[i]) ? spread[i] / HALF_NORMAL_Q25 : 0;
		tol[i] = Math.max(MIN_DEVIATION * ref[i], VARIABILITY_FACTOR * s);
	}
	return tol;
}

/**
 * Spikes in the successive differences (L&T's dRR criterion): an interval that jumps away from
 * its predecessor and straight back, by more than SPIKE_FACTOR times the typical difference
 * between normal beats. Catches premature beats only a few percent early, whose compensatory
 * pause gives them away, while slow sinus swings (however large) never jump back at once.
 */
function spikes(
	rrMs: ArrayLike<number>,
	ref: Float64Array
): { spike: Uint8Array; sharp: Uint8Array } {
	const n = rrMs.length;
	const absD = new Float64Array(n);
	const clean = new Uint8Array(n);
	for (let i = 1; i < n; i++) {
		absD[i] = Math.abs(rrMs[i] - rrMs[i - 1]);
		clean[i] = absD[i] <= CLEAN_LIMIT * ref[i] ? 1 : 0;
	}
	const scale = lookaheadQuantile(absD, 0.25, SPREAD_WINDOW, clean);
	const spike = new Uint8Array(n);
	const sharp = new Uint8Array(n);
	for (let i = 0; i < n; i++) {
		const k = (SPIKE_FACTOR * (Number.isFinite(scale[i]) ? scale[i] : 0)) / HALF_NORMAL_Q25;
		const into = i > 0 ? rrMs[i] - rrMs[i - 1] : 0;
		const out = i + 1 < n ? rrMs[i + 1] - rrMs[i] : 0;
		if ((into > k && out < -k) || (into < -k && out > k)) spike[i] = 1;
		if (Math.abs(into) > k || Math.abs(out) > k) sharp[i] = 1;
	}
	return { spike, sharp };
}

/**
 * Per beat: the median |second difference| over the median |first difference| of the intervals
 * in SWING_WINDOW. A swing sampled by the beats turns slowly (0.6-1.4 in slow breathing with
 * 15-40 bpm swings: ramps of several beats), white noise gives about 1.7 and ectopy that alternates
 * short and long about 2 (1.7-2.0 where ltdb 14046's dense ectopy widens the pair averages).
 */
function roughness(rrMs: ArrayLike<number>): Float64Array {
	const n = rrMs.length;
	const d1 = new Float64Array(n);
	const d2 = new Float64Array(n);
	for (let i = 1; i < n; i++) {
		d1[i] = Math.abs(rrMs[i] - rrMs[i - 1]);
		d2[i] = i >= 2 ? Math.abs(rrMs[i] - 2 * rrMs[i - 1] + rrMs[i - 2]) : d1[i];
	}
	// Medians, so that an occasional premature beat inside a swing leaves it a swing.
	const m1 = lookaheadQuantile(d1, 0.5, SWING_WINDOW);
	const m2 = lookaheadQuantile(d2, 0.5, SWING_WINDOW);
	return Float64Array.from(m2, (v, i) => (m1[i] > 0 ? v / m1[i] : Infinity));
}

/** Per beat: 1 where the heart swings with the breath (SWING_WINDOW). */
function swinging(rrMs: ArrayLike<number>, ref: Float64Array): Uint8Array {
	const n = rrMs.length;
	const pairs = new Float64Array(n);
	for (let i = 0; i < n; i++) pairs[i] = i + 1 < n ? (rrMs[i] + rrMs[i + 1]) / 2 : rrMs[i];
	const hi = lookaheadQuantile(pairs, 0.9, SWING_WINDOW);
	const lo = lookaheadQuantile(pairs, 0.1, SWING_WINDOW);
	return Uint8Array.from(hi, (h, i) => (h - lo[i] > SWING_SHARE * ref[i] ? 1 : 0));
}

/**
 * Within breathing swings, premature and late beats as displaced beat times (beat-times.ts) instead
 * of the steady-rhythm verdicts, and a missed or extra beat only where its neighbours agree (a
 * swing makes the reference, a median, a poor measure of the intervals next to the beat). Returns,
 * per interval, how far the beat ending it sits from the smooth rhythm (share of its interval), for
 * the irregular-rhythm test.
 */
interface BreathAwareness {
	/** Per interval: how far the beat ending it sits from the smooth rhythm, share of the interval. */
	offRhythm: Float64Array;
	/** Per interval: 1 inside a breathing swing. */
	breathing: Uint8Array;
}

function breathAware(
	rrMs: ArrayLike<number>,
	ref: Float64Array,
	types: (ArtifactType | undefined)[]
): BreathAwareness {
	const n = rrMs.length;
	const swing = swinging(rrMs, ref);
	const rr = (i: number) => (i >= 0 && i < n ? rrMs[i] : NaN);
	for (let i = 0; i < n; i++) {
		if (!swing[i]) continue;
		// A missed beat doubles the interval against both neighbours; a swing's slowest beat does not.
		if (
			types[i] === 'missed' &&
			!(rrMs[i] > MISSED_AGAINST_NEIGHBOURS * Math.max(rr(i - 1), rr(i + 1)))
		)
			types[i] = undefined;
		// An extra beat splits one interval: the two add up to about one of their neighbours.
		if (types[i] === 'extra' && types[i + 1] === 'extra') {
			const around = (rr(i - 1) + rr(i + 2)) / 2;
			if (!(Math.abs(rrMs[i] + rrMs[i + 1] - around) < EXTRA_AGAINST_NEIGHBOURS * around))
				types[i] = types[i + 1] = undefined;
			i++;
		}
	}
	// Beat times of the heart's own beats: a missed beat's interval split, an extra beat merged.
	const beats: number[] = [];
	const origin: number[] = [];
	for (let i = 0; i < n; i++) {
		if (types[i] === 'missed') {
			const parts = Math.max(2, Math.round(rrMs[i] / ref[i]));
			for (let p = 0; p < parts; p++) {
				beats.push(rrMs[i] / parts);
				origin.push(i);
			}
		} else if (types[i] === 'extra' && types[i + 1] === 'extra') {
			beats.push(rrMs[i] + rrMs[i + 1]);
			origin.push(i);
			i++;
		} else {
			beats.push(rrMs[i]);
			origin.push(i);
		}
	}
	const { residual, displaced } = displacedBeats(beats);
	const offRhythm = new Float64Array(n).fill(NaN);
	for (let k = 1; k <= beats.length; k++)
		offRhythm[origin[k - 1]] = Math.abs(residual[k]) / beats[k - 1];
	// A swing whose beats the rhythm predicts is breathing; dense ectopy widens the pair averages
	// too, but leaves many beats off the rhythm.
	const typicalOff = lookaheadQuantile(
		offRhythm.map((v) => (Number.isFinite(v) ? v : 1)),
		0.5,
		SWING_WINDOW
	);
	const rough = roughness(rrMs);
	const breathing = Uint8Array.from(swing, (s, i) =>
		s && typicalOff[i] < SMOOTH_SWING && rough[i] < MAX_ROUGHNESS ? 1 : 0
	);
	// A steady-rhythm verdict the swing explains goes; one whose beat is off the rhythm too stays.
	const onRhythm = (i: number) => !(offRhythm[i] > DISPLACED) && !(offRhythm[i - 1] > DISPLACED);
	for (let i = 0; i < n; i++)
		if (breathing[i] && (types[i] === 'ectopic' || types[i] === 'long-short') && onRhythm(i))
			types[i] = undefined;
	// An ectopic pair cut in two by the edge of a swing keeps neither half.
	for (let i = 0; i < n; i++)
		if (types[i] === 'ectopic' && types[i - 1] !== 'ectopic' && types[i + 1] !== 'ectopic')
			types[i] = undefined;
	for (let k = 1; k < beats.length; k++) {
		if (!displaced[k]) continue;
		const a = origin[k - 1];
		const b = origin[k];
		if (a === b || !(breathing[a] || breathing[b]) || types[a] || types[b]) continue;
		const kind: ArtifactType = residual[k] < 0 ? 'ectopic' : 'long-short';
		types[a] = kind;
		types[b] = kind;
	}
	return { offRhythm, breathing };
}

/** The verdicts made for a steady rhythm (Lipponen & Tarvainen's signatures, as above). */
function steadyVerdicts(rrMs: ArrayLike<number>, ref: Float64Array): (ArtifactType | undefined)[] {
	const n = rrMs.length;
	const tol = tolerance(rrMs, ref);
	const { spike, sharp } = spikes(rrMs, ref);
	const types: (ArtifactType | undefined)[] = new Array(n);
	for (let i = 0; i < n; i++) {
		const rr = rrMs[i];
		const d = rr - ref[i];
		// Off the normal rhythm AND abruptly so (a slow sinus swing is never abrupt), or far off.
		const off = Math.abs(d) > tol[i] && (sharp[i] || Math.abs(d) > FAR_OFF * ref[i]);
		if (!off && !spike[i]) continue;
		if (d > 0 && Math.abs(rr / 2 - ref[i]) < tol[i] && rr > 1.6 * ref[i]) {
			types[i] = 'missed';
			continue;
		}
		const next = i + 1 < n ? rrMs[i + 1] : NaN;
		if (d < 0 && Math.abs(rr + next - ref[i]) < tol[i]) {
			types[i] = 'extra';
			types[i + 1] = 'extra';
			i++;
			continue;
		}
		// Premature beat then compensatory pause: the S11/S12 signature of an ectopic beat.
		if (next - rr > tol[i] && (d < 0 || spike[i + 1])) {
			types[i] = 'ectopic';
			types[i + 1] = 'ectopic';
			i++;
			continue;
		}
		types[i] ??= 'long-short';
	}
	return types;
}

export function detectArtifacts(
	rrMs: ArrayLike<number>,
	/** Tuning and tests only: flag irregular stretches like any other. */
	{ judgeIrregular = true }: { judgeIrregular?: boolean } = {}
): ArtifactReport {
	const n = rrMs.length;
	if (n < 5) return emptyReport();
	const ref = normalReference(rrMs);
	const steady = steadyVerdicts(rrMs, ref);
	const types = steady.slice();
	const awareness = breathAware(rrMs, ref, types);
	// Judged on the steady-rhythm verdicts: in an irregular rhythm they flag many beats.
	const irregular = judgeIrregular
		? irregularStretches(rrMs, ref, steady, awareness)
		: new Uint8Array(n);
	for (let i = 0; i < n; i++) if (irregular[i]) types[i] = undefined;
	let irregularBeats = 0;
	for (let i = 0; i < n; i++) irregularBeats += irregular[i];
	const report = emptyReport();
	report.irregularPercent = (100 * irregularBeats) / n;
	for (let i = 0; i < n; i++) {
		const t = types[i];
		if (!t) continue;
		report.indices.push(i);
		report.types.push(t);
	}
	// Counted per event: a pair (ectopic beat, extra beat) is one artifact of that kind.
	for (let k = 0; k < report.indices.length; k++) {
		const t = report.types[k];
		const pairedWithPrevious =
			k > 0 && report.indices[k - 1] === report.indices[k] - 1 && report.types[k - 1] === t;
		if ((t === 'ectopic' || t === 'extra') && pairedWithPrevious) continue;
		if (t === 'ectopic') report.ectopic++;
		else if (t === 'missed') report.missed++;
		else if (t === 'extra') report.extra++;
		else report.longShort++;
	}
	report.total = report.indices.length;
	report.percent = (100 * report.total) / n;
	if (report.irregularPercent > WARN_PERCENT) {
		report.warning = `The rhythm is irregular in ${report.irregularPercent.toFixed(0)} % of this recording: beat to beat, with no breathing pattern in it (the swing of slow breathing is not counted here). Those beats are left as recorded, so the HRV figures there do not show how you relaxed. A loose or dry strap can cause this, and so can the heart's own rhythm; Settle cannot tell which and does not diagnose. If it keeps appearing with a well-fitted strap, a doctor can check it.`;
	} else if (report.percent > WARN_PERCENT) {
		report.warning = `${report.percent.toFixed(1)} % of beats were corrected; treat the figures with care.`;
	}
	return report;
}

/**
 * Corrects what detectArtifacts found, as Kubios does: missed beats split into equal intervals,
 * extra beats merged, ectopic and long/short intervals replaced by linear interpolation between the
 * nearest normal neighbours. The output can be longer or shorter than the input.
 */
export function correctArtifacts(rrMs: ArrayLike<number>): CorrectionResult {
	const report = detectArtifacts(rrMs);
	const n = rrMs.length;
	const type = new Map<number, ArtifactType>();
	report.indices.forEach((idx, k) => type.set(idx, report.types[k]));
	const isNormal = (i: number) => i >= 0 && i < n && !type.has(i);
	const out: number[] = [];
	const changed: number[] = [];
	for (let i = 0; i < n; i++) {
		const t = type.get(i);
		if (!t) {
			out.push(rrMs[i]);
			changed.push(0);
		} else if (t === 'missed') {
			const ref = normalAround(rrMs, i, isNormal);
			const parts = Math.max(2, Math.round(rrMs[i] / ref));
			for (let k = 0; k < parts; k++) {
				out.push(rrMs[i] / parts);
				changed.push(1);
			}
		} else if (t === 'extra' && type.get(i + 1) === 'extra') {
			out.push(rrMs[i] + rrMs[i + 1]);
			changed.push(1);
			i++;
		} else {
			out.push(interpolate(rrMs, i, isNormal));
			changed.push(1);
		}
	}
	// Values made by correction are kept at the strap's own resolution (1/1024 s): no more precise
	// than a measurement, and the entropy counts stay fast on few distinct values.
	for (let k = 0; k < out.length; k++) if (changed[k]) out[k] = Math.round(out[k] * 1.024) / 1.024;
	return { rrMs: Float64Array.from(out), corrected: Uint8Array.from(changed), report };
}

function nearestNormal(i: number, step: 1 | -1, n: number, isNormal: (i: number) => boolean) {
	for (let j = i + step, k = 0; j >= 0 && j < n && k < 20; j += step, k++)
		if (isNormal(j)) return j;
	return -1;
}

function interpolate(rr: ArrayLike<number>, i: number, isNormal: (i: number) => boolean): number {
	const a = nearestNormal(i, -1, rr.length, isNormal);
	const b = nearestNormal(i, 1, rr.length, isNormal);
	if (a >= 0 && b >= 0) return rr[a] + ((rr[b] - rr[a]) * (i - a)) / (b - a);
	if (a >= 0) return rr[a];
	if (b >= 0) return rr[b];
	return rr[i];
}

function normalAround(rr: ArrayLike<number>, i: number, isNormal: (i: number) => boolean): number {
	const a = nearestNormal(i, -1, rr.length, isNormal);
	const b = nearestNormal(i, 1, rr.length, isNormal);
	const vals = [a, b].filter((j) => j >= 0).map((j) => rr[j]);
	return vals.length ? vals.reduce((s, v) => s + v, 0) / vals.length : rr[i] / 2;
}
