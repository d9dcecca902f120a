/**
 * The Dexie schema. Sessions carry their metadata and a computed summary, so lists and trends never
 * load beats; beats live in compact chunks of typed arrays (13 bytes a beat).
 * Old versions stay declared with their upgrade(), as Dexie requires, so any old database upgrades.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { AnalysisSettings } from '$lib/analysis/settings';
import { watchSessionWrites } from './sessions-snapshot';

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

export interface RoutineRow {
	name: string;
	createdAt: number;
}

export const DB_NAME = 'settle';

export class SettleDB extends Dexie {
	sessions!: EntityTable<SessionRow, 'id'>;
	beatChunks!: Dexie.Table<BeatChunkRow, [string, number]>;
	events!: EntityTable<SessionEventRow, 'id'>;
	routines!: EntityTable<RoutineRow, 'name'>;
	breathing!: EntityTable<BreathingRow, 'sessionId'>;

	constructor(name = DB_NAME) {
		super(name);
		this.version(1).stores({
			sessions: 'id, startedAt, status, routine, phase, *tags',
			beatChunks: '[sessionId+seq], sessionId',
			events: '++id, sessionId, type',
			routines: 'name'
		});
		// v2: sessions know their source (imports are listed apart) and every row has tag and
		// phase fields, which early rows could lack.
		this.version(2)
			.stores({ sessions: 'id, startedAt, status, routine, phase, source, *tags' })
			.upgrade((tx) =>
				tx
					.table('sessions')
					.toCollection()
					.modify((s: Partial<SessionRow>) => {
						s.tags ??= [];
						s.phase ??= 'none';
						s.source ??= 'bluetooth';
						s.routine ??= 'Constructive rest';
						s.beatCount ??= 0;
						s.durationMs ??=
							s.endedAt !== undefined && s.startedAt !== undefined ? s.endedAt - s.startedAt : 0;
						s.updatedAt ??= s.endedAt ?? s.startedAt ?? 0;
					})
			);
		// v3: breathing measured by the strap (a new table; existing sessions have none).
		this.version(3).stores({ breathing: 'sessionId' });
		watchSessionWrites(this);
	}
}
