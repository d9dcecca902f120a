/**
 * The guided practice, step by step: choose → setup (six steps and "ready") → settle-in → rest →
 * come up slowly → self-report → summary. Owns the session timer (which pauses) and tells the
 * recorder when to start and stop; the recorder owns beats and storage.
 */
import { DEFAULT_BREATH, type BreathPattern } from './pacer';
import type { PacerMode } from './follow-pacer';
import { SETTLE_IN_S, SETUP_STEPS } from './guide';
import { MIN_SETTLED_SESSION_S } from '$lib/analysis/session';

/** Below a minute of beats nothing is analysed (no settled level, no HRV figures). */
export const MIN_ANALYSED_SESSION_S = MIN_SETTLED_SESSION_S;

export type FlowStep = 'choose' | 'setup' | 'settle' | 'rest' | 'come-up' | 'report' | 'summary';
export type ReadingPhase = 'before' | 'after' | 'none';

export interface FlowClock {
	now(): number;
	setInterval(fn: () => void, ms: number): ReturnType<typeof setInterval>;
	clearInterval(id: ReturnType<typeof setInterval>): void;
}

/** What the flow needs from the recorder, so tests can drive the flow with a stand-in. */
export interface ResumePoint {
	session: { id: string; startedAt: number; plannedMinutes?: number; routine: string };
	nextSeq: number;
	lastTimeMs: number;
	saved: { rrMs: Float64Array; timeMs: Float64Array; flags: Uint8Array };
}

export interface FlowRecorder {
	resumeSession?(info: ResumePoint): Promise<void>;
	start(options: {
		routine: string;
		phase: ReadingPhase;
		plannedMinutes: number;
		tensionBefore?: number;
		tags?: string[];
	}): Promise<void>;
	stop(): Promise<string | undefined>;
	pause(): void;
	resume(): void;
}

export interface FlowHooks {
	/** The timed rest has ended: play the chime, release the screen. */
	onRestEnd?(): void;
	onSessionStart?(): void;
}

const realClock: FlowClock = {
	now: () => Date.now(),
	setInterval: (fn, ms) => setInterval(fn, ms),
	clearInterval: (id) => clearInterval(id)
};

export const TICK_MS = 250;

export class PracticeFlow {
	step = $state<FlowStep>('choose');
	routine = $state('Constructive rest');
	phase = $state<ReadingPhase>('none');
	minutes = $state(10);
	tensionBefore = $state<number | undefined>(undefined);
	/** Tags every session started here gets (today's experiment day, when one runs). */
	tags = $state<string[]>([]);
	setupIndex = $state(0);
	pattern = $state<BreathPattern>({ ...DEFAULT_BREATH });
	pacerVisible = $state(true);
	/** Lead at `pattern`, or follow the breathing the strap measures (follow-pacer.ts). */
	pacerMode = $state<PacerMode>('lead');
	/** The clock's time at the last tick (wall clock): the clock measured breaths are timed on. */
	nowMs = $state(0);
	tones = $state(false);
	paused = $state(false);
	/** Active (unpaused) ms since the settle-in began. */
	activeMs = $state(0);
	sessionId = $state<string | undefined>(undefined);
	error = $state<string | undefined>(undefined);
	/** How the last rest ended: the timer ran out, or the person stopped it. */
	endedEarly = $state(false);
	/** The last rest was too short for any analysis (it is saved all the same). */
	endedTooShort = $state(false);

	private timer?: ReturnType<typeof setInterval>;
	private lastTick = 0;

	constructor(
		private recorder: FlowRecorder,
		private hooks: FlowHooks = {},
		private clock: FlowClock = realClock
	) {}

	get totalMs(): number {
		return (SETTLE_IN_S + this.minutes * 60) * 1000;
	}
	get remainingMs(): number {
		return Math.max(0, this.totalMs - this.activeMs);
	}
	/** Seconds into the rest proper (negative during the settle-in). */
	get restElapsedS(): number {
		return this.activeMs / 1000 - SETTLE_IN_S;
	}

	beginSetup(): void {
		this.error = undefined;
		if (!(this.minutes >= 1 && this.minutes <= 60)) {
			this.error = 'Choose a length between 1 and 60 minutes.';
			return;
		}
		this.setupIndex = 0;
		this.step = 'setup';
	}

	nextSetupStep(): void {
		if (this.setupIndex < SETUP_STEPS.length - 1) this.setupIndex++;
	}
	previousSetupStep(): void {
		if (this.setupIndex > 0) this.setupIndex--;
		else this.step = 'choose';
	}

	/** The person is in position: recording starts with the settle-in. */
	async startSession(): Promise<void> {
		try {
			await this.recorder.start({
				routine: this.routine.trim() || 'Constructive rest',
				phase: this.phase,
				plannedMinutes: this.minutes,
				tensionBefore: this.tensionBefore,
				tags: [...this.tags]
			});
		} catch (err) {
			this.error = `The session could not start: ${err instanceof Error ? err.message : String(err)}`;
			return;
		}
		this.activeMs = 0;
		this.paused = false;
		this.step = 'settle';
		this.lastTick = this.clock.now();
		this.timer = this.clock.setInterval(() => this.tick(), TICK_MS);
		this.hooks.onSessionStart?.();
	}

	/** Picks an interrupted session up where its saved beats end. */
	async resumeSession(info: ResumePoint): Promise<void> {
		try {
			await this.recorder.resumeSession?.(info);
		} catch (err) {
			this.error = `The session could not be resumed: ${err instanceof Error ? err.message : String(err)}`;
			return;
		}
		this.minutes = info.session.plannedMinutes ?? this.minutes;
		this.routine = info.session.routine;
		this.activeMs = info.lastTimeMs;
		this.paused = false;
		this.step = this.activeMs >= SETTLE_IN_S * 1000 ? 'rest' : 'settle';
		this.lastTick = this.clock.now();
		this.timer = this.clock.setInterval(() => this.tick(), TICK_MS);
		this.hooks.onSessionStart?.();
	}

	pause(): void {
		if (this.paused || !this.running) return;
		this.tick();
		this.paused = true;
		this.recorder.pause();
	}

	resume(): void {
		if (!this.paused) return;
		this.paused = false;
		this.lastTick = this.clock.now();
		this.recorder.resume();
	}

	/** Stopping now would save a session with no analysis. */
	get tooShortForAnalysis(): boolean {
		return this.activeMs < MIN_ANALYSED_SESSION_S * 1000;
	}

	get running(): boolean {
		return this.step === 'settle' || this.step === 'rest';
	}

	/** Ends the rest now (early) or when the timer runs out. */
	async finishRest(): Promise<void> {
		if (!this.running) return;
		this.stopTimer();
		this.paused = false;
		this.endedEarly = this.activeMs < this.totalMs;
		this.endedTooShort = this.tooShortForAnalysis;
		this.step = 'come-up';
		this.hooks.onRestEnd?.();
		this.sessionId = await this.recorder.stop();
		if (!this.sessionId) this.error = 'The session could not be saved yet; it is kept and retried.';
	}

	toReport(): void {
		this.step = 'report';
	}
	toSummary(): void {
		this.step = 'summary';
	}

	reset(): void {
		this.stopTimer();
		this.step = 'choose';
		this.activeMs = 0;
		this.paused = false;
		this.sessionId = undefined;
		this.tensionBefore = undefined;
		this.error = undefined;
		this.endedEarly = false;
		this.endedTooShort = false;
	}

	private tick(): void {
		const now = this.clock.now();
		if (!this.paused) this.activeMs += now - this.lastTick;
		this.lastTick = now;
		this.nowMs = now;
		if (this.step === 'settle' && this.activeMs >= SETTLE_IN_S * 1000) this.step = 'rest';
		if (this.running && this.activeMs >= this.totalMs) void this.finishRest();
	}

	private stopTimer(): void {
		if (this.timer !== undefined) this.clock.clearInterval(this.timer);
		this.timer = undefined;
	}
}
