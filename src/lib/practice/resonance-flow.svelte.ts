/**
 * The resonance-frequency assessment, step by step (Lehrer, Vaschillo & Vaschillo 2000; Shaffer &
 * Meehan 2020): intro → for each rate, a short rest then paced breathing for `stepMinutes` → saved.
 * The strap's beats are one session; each paced step's window (ms since the session start, the
 * same clock as beat times) is kept with it, so the analysis can cut the beats per rate.
 * Owns the timer (an injected clock, so tests and Playwright's fake clock run it fast); the
 * recorder owns beats and storage.
 */
import { RESONANCE_RATES, type ResonanceStep } from '$lib/analysis';
import { patternFor, DEFAULT_BREATH, type BreathPattern } from './pacer';
import { EXHALE_SHARE } from './pacer-default';
import type { FlowClock } from './practice-flow.svelte';
import { refusedWriteMessage } from '$lib/db/storage';

const STEPS_RETRY_MS = 5000;

export type ResonancePhase = 'intro' | 'rest' | 'pace' | 'saving' | 'done';

export interface ResonanceRecorder {
	start(options: { routine: string; phase: 'none'; plannedMinutes: number }): Promise<void>;
	stop(): Promise<string | undefined>;
	/** restartCycle: the strap (demo) starts a new breath with the pacer. */
	followBreathing(pattern: BreathPattern, restartCycle?: boolean): void;
	/**
	 * After stop(): how much earlier (ms) the session's start was moved when its beat times were
	 * put right; the steps' times move that much later, to stay on the beats' clock.
	 */
	readonly startShiftMs?: number;
}

export interface ResonanceStore {
	/** Saves the steps with the session and returns when they are stored. */
	saveSteps(sessionId: string, steps: ResonanceStep[], stepMinutes: number): Promise<void>;
}

export const REST_S = 20;
/**
 * Before the first rate, two minutes of ordinary breathing: a body still settling makes every later
 * (slower) rate look better than it is.
 */
export const FIRST_REST_S = 120;
export const STEP_MINUTES_CHOICES = [1, 2, 3] as const;
export const ASSESSMENT_ROUTINE = 'Resonance assessment';
const TICK_MS = 250;

const realClock: FlowClock = {
	now: () => Date.now(),
	setInterval: (fn, ms) => setInterval(fn, ms),
	clearInterval: (id) => clearInterval(id)
};

export class ResonanceFlow {
	phase = $state<ResonancePhase>('intro');
	stepMinutes = $state(2);
	tones = $state(true);
	/** Index into RESONANCE_RATES of the current (or next) step. */
	stepIndex = $state(0);
	/** ms since the session started (the beat-time clock). */
	elapsedMs = $state(0);
	/** When the current rest or paced step began (ms since the session start). */
	phaseStartMs = $state(0);
	sessionId = $state<string | undefined>();
	error = $state<string | undefined>();
	/** Finished before the last rate: the result ranks the rates it has. */
	stoppedEarly = $state(false);
	steps: ResonanceStep[] = [];

	private timer?: ReturnType<typeof setInterval>;
	private startedAt = 0;

	constructor(
		private recorder: ResonanceRecorder,
		private store: ResonanceStore,
		private clock: FlowClock = realClock
	) {}

	readonly rates = RESONANCE_RATES;

	get rate(): number {
		return RESONANCE_RATES[this.stepIndex];
	}
	get pattern(): BreathPattern {
		return this.phase === 'pace' ? patternFor(this.rate, EXHALE_SHARE) : DEFAULT_BREATH;
	}
	get phaseLengthMs(): number {
		if (this.phase !== 'rest') return this.stepMinutes * 60_000;
		return (this.stepIndex === 0 ? FIRST_REST_S : REST_S) * 1000;
	}
	get phaseRemainingMs(): number {
		return Math.max(0, this.phaseStartMs + this.phaseLengthMs - this.elapsedMs);
	}
	/** Seconds into the current paced step: the pacer's clock, which restarts with each rate. */
	get paceElapsedS(): number {
		return (this.elapsedMs - this.phaseStartMs) / 1000;
	}
	get totalMinutes(): number {
		const n = RESONANCE_RATES.length;
		return (FIRST_REST_S + (n - 1) * REST_S + n * this.stepMinutes * 60) / 60;
	}
	get running(): boolean {
		return this.phase === 'rest' || this.phase === 'pace';
	}

	async start(): Promise<void> {
		this.error = undefined;
		try {
			await this.recorder.start({
				routine: ASSESSMENT_ROUTINE,
				phase: 'none',
				plannedMinutes: Math.ceil(this.totalMinutes)
			});
		} catch (err) {
			this.error = `The assessment could not start: ${err instanceof Error ? err.message : String(err)}`;
			return;
		}
		this.startedAt = this.clock.now();
		this.steps = [];
		this.stoppedEarly = false;
		this.stepIndex = 0;
		this.elapsedMs = 0;
		this.enter('rest');
		this.timer = this.clock.setInterval(() => this.tick(), TICK_MS);
	}

	/** Ends now: completed rates are kept and analysed. */
	async stop(): Promise<void> {
		if (!this.running) return;
		this.stoppedEarly = true;
		await this.finish();
	}

	reset(): void {
		this.stopTimer();
		this.phase = 'intro';
		this.sessionId = undefined;
		this.error = undefined;
		this.steps = [];
	}

	private enter(phase: 'rest' | 'pace'): void {
		this.phase = phase;
		this.phaseStartMs = this.elapsedMs;
		this.recorder.followBreathing(this.pattern, phase === 'pace');
	}

	private tick(): void {
		this.elapsedMs = this.clock.now() - this.startedAt;
		if (!this.running || this.phaseRemainingMs > 0) return;
		if (this.phase === 'rest') {
			this.enter('pace');
			return;
		}
		const p = patternFor(this.rate, EXHALE_SHARE);
		this.steps.push({
			rateBpm: this.rate,
			inhaleS: p.inhaleS,
			exhaleS: p.exhaleS,
			startMs: this.phaseStartMs,
			endMs: this.phaseStartMs + this.phaseLengthMs
		});
		if (this.stepIndex + 1 < RESONANCE_RATES.length) {
			this.stepIndex++;
			this.enter('rest');
		} else void this.finish();
	}

	private async finish(): Promise<void> {
		this.stopTimer();
		this.phase = 'saving';
		this.recorder.followBreathing(DEFAULT_BREATH);
		const id = await this.recorder.stop();
		if (!id) {
			this.error = 'The assessment could not be saved yet; it is kept and retried.';
			return;
		}
		const shift = this.recorder.startShiftMs ?? 0;
		if (shift !== 0) {
			this.steps = this.steps.map((s) => ({
				...s,
				startMs: s.startMs + shift,
				endMs: s.endMs + shift
			}));
		}
		// One transaction; refused (a full disk), it is tried again until it is stored.
		for (;;) {
			try {
				await this.store.saveSteps(id, this.steps, this.stepMinutes);
				break;
			} catch (err) {
				this.error = refusedWriteMessage('The breathing rates of this assessment', err, true);
				await new Promise((resolve) => setTimeout(resolve, STEPS_RETRY_MS));
			}
		}
		this.error = undefined;
		this.sessionId = id;
		this.phase = 'done';
	}

	private stopTimer(): void {
		if (this.timer !== undefined) this.clock.clearInterval(this.timer);
		this.timer = undefined;
	}
}
