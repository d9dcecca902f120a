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

export const DB_NAME = 'settle';

/**
 * The newest version schema.ts declares: the inline script in src/app.html reads the database before
 * Dexie is loaded, and its answer counts only at this version (a unit test holds the two equal).
 */
export const DB_VERSION = 2;
