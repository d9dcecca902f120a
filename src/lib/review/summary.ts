/**
 * What a finished session shows: computed once from its beats when it ends and stored on the
 * session row (so lists and trends never load beats), and the calm-down curve of the summary.
 */
import {
	analyzeRr,
	calmDown,
	beatInSpan,
	heartRateBins,
	SETTLE_IN_S,
	type AnalysisSettings,
	type MovedSpan,
	type HrvAnalysis
} from '$lib/analysis';
import {
	getBeats,
	getEvents,
	getSession,
	type SessionEventRow,
	type SessionRow,
	type SessionSummary
} from '$lib/db';
import { currentBreathing } from './current-breathing';
import { ANALYSIS_VERSION } from './analysis-version';
import type { BeatSeries } from '$lib/db/beats';
import type { BreathingRecord } from '$lib/db/breathing';
import { measuredSessionFigures } from '$lib/breath-measured/session-figures';

/** What the summary needs of the breathing the strap measured: its breaths and movement marks. */
export type SummaryBreathing = Pick<BreathingRecord, 'breaths' | 'movements'>;

/** Beats a strap reported as impossible or without skin contact never enter the analysis. */
const UNUSABLE = 1 | 2 | 4;

export function usableBeats(series: BeatSeries): { rrMs: number[]; timeMs: number[] } {
	const rrMs: number[] = [];
	const timeMs: number[] = [];
	for (let i = 0; i < series.rrMs.length; i++) {
		if (series.flags[i] & UNUSABLE) continue;
		rrMs.push(series.rrMs[i]);
		timeMs.push(series.timeMs[i]);
	}
	return { rrMs, timeMs };
}

/** Where it is kept (see there), and what it is read as. */
export { ANALYSIS_VERSION };

/**
 * `settings`: the session's own (SessionRow.analysisSettings); Settle's defaults when absent.
 * `breathing`: what the strap measured, when it did: its figures join the summary, and its
 * movement marks keep moving out of the settled level and the settling.
 */
export function computeSummary(
	series: BeatSeries,
	settings?: AnalysisSettings,
	breathing?: SummaryBreathing
): SessionSummary {
	const measured = breathing ? measuredSessionFigures(breathing) : {};
	const moved = breathing?.movements ?? [];
	const { rrMs, timeMs } = usableBeats(series);
	const unusable = series.rrMs.length - rrMs.length;
	if (rrMs.length < 10) {
		const mean = rrMs.reduce((a, b) => a + b, 0) / Math.max(1, rrMs.length);
		return {
			meanHr: rrMs.length ? 60000 / mean : 0,
			correctedPercent: 0,
			...measured,
			analysisVersion: ANALYSIS_VERSION
		};
	}
	const a = analyzeSession(rrMs, timeMs, settings);
	const c = calmDown(a.rrMs.length === rrMs.length ? a.rrMs : rrMs, timeMs, moved);
	const total = series.rrMs.length;
	const whileMoving = a.artifacts.indices.filter((i) =>
		moved.some((m) => beatInSpan(timeMs[i], rrMs[i], m))
	).length;
	return onlyFinite({
		meanHr: 60000 / a.time.meanNN,
		rmssdMs: a.time.rmssd,
		lnRmssd: a.time.lnRmssd,
		sdnn: a.time.sdnn,
		correctedPercent: (100 * (a.artifacts.total + unusable)) / total,
		hrFirst: c.first.hr,
		hrLast: c.last.hr,
		rmssdFirst: c.first.rmssd,
		rmssdLast: c.last.rmssd,
		lnRmssdFirst: c.first.lnRmssd,
		lnRmssdLast: c.last.lnRmssd,
		settledHr: c.settled.hr,
		settledRmssd: c.settled.rmssd,
		settledLnRmssd: c.settled.lnRmssd,
		hrDrop: c.settling.hrDropBpm,
		lnRmssdRise: c.settling.lnRmssdRise,
		tauS: c.settling.tauS,
		asymptoteBpm: c.fit.asymptoteBpm,
		fitR2: c.fit.r2,
		lnRmssdSlopePerMin: c.lnRmssdSlopePerMin,
		lfHf: a.frequency.lfhf,
		hfPeakHz: a.frequency.hfPeak,
		restingHr: c.last.hr,
		respirationRate: a.indices.respirationRate,
		...(a.breath?.reliable
			? { breathRatio: a.breath.medianRatio, breathRate: a.breath.ratePerMin }
			: {}),
		...measured,
		...(breathing
			? {
					correctedWhileMovingPercent: (100 * whileMoving) / total,
					settledLeftOutS: c.settled.leftOutS
				}
			: {}),
		analysisVersion: ANALYSIS_VERSION
	});
}

/**
 * A session's analysis, the same for its stored summary and its page: breaths are counted after
 * the settle-in, on the beats' real times (gaps included).
 */
export function analyzeSession(
	rrMs: ArrayLike<number>,
	timeMs: ArrayLike<number>,
	settings?: AnalysisSettings
): HrvAnalysis {
	return analyzeRr(rrMs, { timeMs, breathFromMs: SETTLE_IN_S * 1000, settings });
}

/** The summary's figures of the breathing the strap measured (see measuredSessionFigures). */
const MEASURED_KEYS = [
	'measuredBreathRate',
	'measuredBreathRatio',
	'measuredBreaths',
	'movedS',
	'movements'
] as const;

/**
 * A summary recomputed where the breathing row is not (the session's row arrived by sync before its
 * breathing, or the breathing could not be stored) keeps the measured figures its old summary held.
 * The settled level is then read without knowing where the person moved, and says nothing of it.
 */
export function keepMeasured(
	fresh: SessionSummary,
	old: SessionSummary | undefined
): SessionSummary {
	if (!old || fresh.measuredBreaths !== undefined) return fresh;
	const out = { ...fresh };
	for (const key of MEASURED_KEYS) if (old[key] !== undefined) out[key] = old[key];
	return out;
}

/**
 * The engine marks a figure it cannot compute (too few beats in a window, no fit) as NaN; a stored
 * summary says "unknown" instead, so no NaN reaches a list, a trend or a backup (JSON has no NaN).
 */
function onlyFinite(summary: SessionSummary): SessionSummary {
	const out: SessionSummary = { meanHr: Number.isFinite(summary.meanHr) ? summary.meanHr : 0 };
	for (const [key, value] of Object.entries(summary)) {
		if (key !== 'meanHr' && value !== undefined && Number.isFinite(value)) out[key] = value;
	}
	return out;
}

export interface CalmDownCurve {
	hr: { x: number; y: number }[];
	fit: { x: number; y: number }[];
	/** Where the strap lost the link, in minutes. */
	gaps: { from: number; to: number }[];
	/** Where the person moved, in minutes, as the strap's accelerometer marked it. */
	moved: { from: number; to: number }[];
}

/** What the practice page shows when a session is saved: its row and its calm-down curve. */
export async function loadSessionSummary(
	sessionId: string
): Promise<{ session?: SessionRow; curve: CalmDownCurve }> {
	const [session, curve] = await Promise.all([getSession(sessionId), loadCalmDownCurve(sessionId)]);
	return { session, curve };
}

/** A session's calm-down curve, reading its beats, events and movement marks. */
export async function loadCalmDownCurve(sessionId: string): Promise<CalmDownCurve> {
	const [series, events, breathing] = await Promise.all([
		getBeats(sessionId),
		getEvents(sessionId),
		currentBreathing(sessionId)
	]);
	return calmDownCurve(series, events, breathing?.movements);
}

/** The heart-rate curve's step (s): the session page's "Heart rate in 10-second steps". */
const HR_STEP_S = 10;

/**
 * Heart rate in 10 s bins (minutes on x), the fitted decay when there is one, and the gaps. The
 * decay is drawn only when the session's own figures have a time constant (the same fit, under the
 * same rules): a 47-second session drew a line its "no clear decay" contradicted.
 */
export function calmDownCurve(
	series: BeatSeries,
	events: readonly SessionEventRow[],
	movements: readonly MovedSpan[] = []
): CalmDownCurve {
	const { rrMs, timeMs } = usableBeats(series);
	const bins = heartRateBins(rrMs, timeMs, HR_STEP_S);
	// A recording that stops less than half a step into its last step leaves it a beat or two:
	// during slow breathing one long out-breath interval drew a plunge of 15 bpm at the very end.
	const endS = timeMs.length ? timeMs[timeMs.length - 1] / 1000 : 0;
	const lastStart = Math.floor(endS / HR_STEP_S) * HR_STEP_S;
	if (bins.length > 1 && bins[bins.length - 1].x > lastStart && endS - lastStart < HR_STEP_S / 2)
		bins.pop();
	const hr = bins.map((p) => ({ x: p.x / 60, y: p.y }));
	const fitted = calmDown(rrMs, timeMs, movements);
	const { fit: decay } = fitted;
	const fit = Number.isFinite(fitted.settling.tauS)
		? bins.map((p) => ({
				x: p.x / 60,
				y: decay.asymptoteBpm + (decay.startBpm - decay.asymptoteBpm) * Math.exp(-p.x / decay.tauS)
			}))
		: [];
	const gaps = events
		.filter((e) => e.type === 'gap' && e.endMs !== undefined)
		.map((e) => ({ from: e.startMs / 60000, to: (e.endMs as number) / 60000 }));
	const moved = movements.map((m) => ({ from: m.startMs / 60000, to: m.endMs / 60000 }));
	return { hr, fit, gaps, moved };
}
