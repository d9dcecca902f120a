/**
 * The rows Settle stores, and the database's name: what every reader and writer needs, without
 * Dexie itself, which pages load after their first paint (db.ts).
 */
import type { AnalysisSettings } from '$lib/analysis/settings';

export type SessionStatus = 'recording' | 'finished';
export type ReadingPhase = 'before' | 'after' | 'none';
export type SessionSource = 'bluetooth' | 'demo' | 'import';

/** Figures computed once when a session ends (or is imported): what lists and trends show. */
export interface SessionSummary {
	meanHr: number;
	rmssdMs?: number;
	lnRmssd?: number;
	correctedPercent?: number;
	/** Heart rate and lnRMSSD over the last two minutes after the settle-in. */
	settledHr?: number;
	settledLnRmssd?: number;
	/** How far heart rate fell and lnRMSSD rose, first two minutes to last two. */
	hrDrop?: number;
	lnRmssdRise?: number;
	/** Calm-down time constant (s), when heart rate decayed. */
	tauS?: number;
	/** Median out-breath / in-breath and breaths a minute, read from the heart (when reliable). */
	breathRatio?: number;
	breathRate?: number;
	/** Resonance assessments: the rate found (breaths a minute). */
	resonanceBpm?: number;
	/** Resonance assessments too close to call: the fastest and slowest of the rates that tied. */
	resonanceTieFastBpm?: number;
	resonanceTieSlowBpm?: number;
	/**
	 * Resonance assessments with breathing measured by the strap: the rate that came out best but
	 * was not followed (so none was named), and how many steps were not followed.
	 */
	resonanceWithheldBpm?: number;
	resonanceNotFollowed?: number;
	/** Which engine conventions computed it; older summaries are recomputed from their beats. */
	analysisVersion?: number;
	/** Summaries before analysisVersion 2 only: the retired 0–100 relaxation score. */
	relaxationScore?: number;
	[key: string]: number | undefined;
}

/** One paced rate of a resonance assessment: its window in ms since the session start. */
export interface AssessmentStepRow {
	rateBpm: number;
	inhaleS: number;
	exhaleS: number;
	startMs: number;
	endMs: number;
}

export interface SessionRow {
	id: string;
	startedAt: number;
	endedAt?: number;
	status: SessionStatus;
	source: SessionSource;
	strapName: string;
	routine: string;
	phase: ReadingPhase;
	plannedMinutes?: number;
	tensionBefore?: number;
	tensionAfter?: number;
	note?: string;
	tags: string[];
	beatCount: number;
	/** Length of the recording in ms of beat time. */
	durationMs: number;
	summary?: SessionSummary;
	/** Last time a chunk was written; tells a crashed recording's age. */
	updatedAt: number;
	/** Finished after an interruption, from what had been saved. */
	recovered?: boolean;
	/** A resonance assessment: the paced steps (such sessions stay out of trends and Compare). */
	assessment?: { stepMinutes: number; steps: AssessmentStepRow[] };
	/** Soft-deleted at this time: hidden everywhere, restorable until purged. */
	deletedAt?: number;
	/**
	 * What the intervals were measured from, when known: 'ppi' for an optical sensor's pulse-to-pulse
	 * intervals (PPG, e.g. Polar Verity Sense), which are noisier than a chest strap's ECG R-R.
	 */
	signal?: 'ecg' | 'ppi';
	/** Imports: the file's format as detected ("Kubios HRV results"). */
	importFormat?: string;
	/**
	 * Imports: identifies the recording (its intervals and the date inside the file), so the same
	 * recording imported again is recognised (see rrFingerprint).
	 */
	importFingerprint?: string;
	/**
	 * The analysis settings the person chose for this session (Kubios's choices: correction,
	 * detrending, window, interpolation); absent means Settle's defaults. Its summary follows them.
	 */
	analysisSettings?: AnalysisSettings;
}

export interface BeatChunkRow {
	sessionId: string;
	seq: number;
	/** Beat time of the chunk's first beat, ms since the session start. */
	t0Ms: number;
	rrMs: Float64Array;
	/** Beat end times relative to t0Ms; float32 keeps sub-ms precision within a chunk. */
	offsetMs: Float32Array;
	flags: Uint8Array;
}

export type SessionEventType = 'gap' | 'contact-loss' | 'pause' | 'marker';

export interface SessionEventRow {
	id?: number;
	sessionId: string;
	type: SessionEventType;
	/** ms since session start */
	startMs: number;
	endMs?: number;
	label?: string;
}

export interface RoutineRow {
	name: string;
	createdAt: number;
}

/** What the person did on one day of an experiment, and their note; absent fields not yet said. */
export interface ExperimentDayLog {
	did?: 'routine' | 'rest';
	note?: string;
	updatedAt: number;
}

/**
 * A planned self-experiment (see src/lib/experiment/METHOD.md). The seed and the arms drawn from it
 * are written once and never changed (the database refuses), so the assignment cannot be re-drawn.
 */
export interface ExperimentRow {
	id: string;
	createdAt: number;
	updatedAt: number;
	/** The routine under test, e.g. "Stability routine". */
	routine: string;
	question: 'settledHr' | 'settledLnRmssd' | 'tauS' | 'feltAfter';
	weeks: number;
	block: 'days' | 'weeks';
	/** First day, YYYY-MM-DD (local). */
	startDay: string;
	seed: number;
	/** One arm per day from startDay. */
	arms: ('routine' | 'rest')[];
	/** By YYYY-MM-DD. */
	days: Record<string, ExperimentDayLog>;
	/** Stopped before its planned end: the answer covers the days up to here. */
	stoppedAt?: number;
	deletedAt?: number;
}

/**
 * Breathing measured by the strap's accelerometer (Polar PMD), one row per session that had it.
 * Times are ms since the session start. The movement signal is kept in 200 ms blocks (mean x, y, z
 * in 0.1 mG as Int16, MISSING_BLOCK where no sample came; activity in 0.1 mG as Uint16), enough to
 * redo the analysis: 8 bytes a block, 2.4 KB a minute (24 KB for a 10-minute session).
 */
export interface BreathingRow {
	sessionId: string;
	/** Each breath: its in-breath start, out-breath start and end; its depth in mG. */
	inStartMs: Float64Array;
	outStartMs: Float64Array;
	endMs: Float64Array;
	depthMg: Float32Array;
	/** Where the person moved (shifting, getting up): no breaths are read there. */
	movements: { startMs: number; endMs: number }[];
	blocksStartMs: number;
	blockMs: number;
	xyz: Int16Array;
	activity: Uint16Array;
	/** The strap's accelerometer rate, Hz. */
	sampleRateHz: number;
	/** Which analysis produced the breaths; older rows are re-analysed from their blocks. */
	analysisVersion: number;
}

export const MISSING_BLOCK = -32768;

export const DB_NAME = 'settle';

/**
 * The newest version schema.ts declares: the inline script in src/app.html reads the database before
 * Dexie is loaded, and its answer counts only at this version (a unit test holds the two equal).
 */
export const DB_VERSION = 4;
