/**
 * The built-in demo strap: the same interface as a real one, emitting the strap's own 0x2A37 bytes
 * (encoded, then parsed by the same parser) about once a second, from the physiological model.
 * Time follows the injected clock, so a test (or Playwright's fake clock) can run a session fast.
 */
import type { BreathPattern } from '$lib/practice/pacer';
import {
	encodeHeartRateMeasurement,
	parseHeartRateMeasurement,
	RR_TICKS_PER_SECOND
} from '../hrm-packet';
import type { LinkState, Strap, StrapEvent, StrapInfo, StrapListener } from '../types';
import { HeartModel, type DemoScenario, type ModelBeat } from './model';
import type { ChestOptions } from './chest-model';
import type { DemoChestStream } from './chest-stream';

export interface DemoClock {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(id: unknown): void;
}

export interface DemoStrapOptions {
	seed?: number;
	scenario?: DemoScenario;
	clock?: DemoClock;
	/** Pass null for no contact loss. */
	contactLoss?: { atS: number; durationS: number } | null;
	/** The demo heart's resonance breathing rate, breaths/min; null for a heart with none. */
	resonanceBpm?: number | null;
	/** The demo chest's accelerometer (on by default, one shift of position at 200 s); null: none. */
	chest?: ChestOptions | null;
}

/** The demo's accelerometer: 25 Hz, as Settle asks of an H10. */
export const DEMO_ACC_RATE_HZ = 25;
const DEFAULT_CHEST: ChestOptions = { movements: [{ atS: 200, durationS: 5, kind: 'shift' }] };

const realClock: DemoClock = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>)
};

export const PACKET_INTERVAL_MS = 1000;
/**
 * The demo person's resonance: 5.5 breaths a minute, off the default pacer's 6, so a resonance
 * assessment with the demo strap finds a rate of its own (and moves the pacer).
 */
export const DEMO_RESONANCE_BPM = 5.5;
const MAX_RR_PER_PACKET = 3;

export class DemoStrap implements Strap {
	info: StrapInfo = {
		name: 'Settle demo strap',
		kind: 'demo',
		batteryPercent: 87,
		sensorLocation: 'Chest',
		manufacturer: 'Settle',
		model: 'Demo'
	};
	state: LinkState = 'idle';
	private listeners = new Set<StrapListener>();
	private clock: DemoClock;
	private model: HeartModel;
	private timer: unknown;
	private startedAtMs = 0;
	private pending: ModelBeat[] = [];
	private silentUntilMs = 0;
	private chestOptions?: ChestOptions;
	private seed?: number;
	/** Loaded when a recording first wants the accelerometer. */
	private chest?: DemoChestStream;
	private streaming = false;
	private movementWanted = false;

	constructor(options: DemoStrapOptions = {}) {
		this.clock = options.clock ?? realClock;
		const chest = options.chest === undefined ? DEFAULT_CHEST : options.chest;
		if (chest) {
			this.chestOptions = chest;
			this.seed = options.seed;
			this.info.movement = { state: 'available', rateHz: DEMO_ACC_RATE_HZ };
		}
		this.model = new HeartModel({
			seed: options.seed ?? 7,
			scenario: options.scenario,
			contactLoss: options.contactLoss,
			resonanceBpm: options.resonanceBpm === undefined ? DEMO_RESONANCE_BPM : options.resonanceBpm
		});
	}

	subscribe(listener: StrapListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/**
	 * Breathe with the pacer's pattern. With `restartCycle` the demo's breath cycle starts afresh
	 * now (the clock's now, in the model's time), so it breathes in phase with a pacer that has
	 * just started a new step.
	 */
	setBreathing(pattern: BreathPattern, restartCycle = false): void {
		const connected = this.state === 'connected' || this.state === 'reconnecting';
		if (restartCycle && connected) {
			this.model.setBreathing(pattern, true, (this.clock.now() - this.startedAtMs) / 1000);
		} else {
			this.model.setBreathing(pattern, restartCycle);
		}
	}

	/** The demo heart's resonance breathing rate (breaths/min). */
	get resonanceBpm(): number | null {
		return this.model.resonanceBpm;
	}

	async connect(): Promise<void> {
		this.setState('connecting');
		await new Promise<void>((resolve) => this.clock.setTimeout(resolve, 300));
		this.startedAtMs = this.clock.now();
		this.setState('connected');
		this.emit({ type: 'info', atMs: this.clock.now(), info: { ...this.info } });
		this.schedule();
	}

	async setMovementWanted(wanted: boolean): Promise<void> {
		this.movementWanted = wanted;
		if (!this.chestOptions) return;
		if (wanted && !this.chest) {
			const { DemoChestStream } = await import('./chest-stream');
			this.chest = new DemoChestStream({ seed: this.seed, ...this.chestOptions }, DEMO_ACC_RATE_HZ);
		}
		this.streaming = wanted;
		this.chest?.restart((this.clock.now() - this.startedAtMs) / 1000);
		this.updateMovement(wanted ? 'streaming' : 'available');
	}

	private updateMovement(state: 'available' | 'streaming' | 'starting'): void {
		this.info = { ...this.info, movement: { state, rateHz: DEMO_ACC_RATE_HZ } };
		this.emit({ type: 'info', atMs: this.clock.now(), info: { ...this.info } });
	}

	async disconnect(): Promise<void> {
		this.streaming = false;
		this.clock.clearTimeout(this.timer);
		this.timer = undefined;
		this.setState('disconnected');
	}

	/** The link drops for a while; beats meanwhile are lost, as with a real strap out of range. */
	simulateLinkLoss(durationMs: number): void {
		this.silentUntilMs = this.clock.now() + durationMs;
		if (this.streaming) this.updateMovement('starting');
		this.setState('reconnecting', 'The link to the strap was lost');
	}

	private schedule(): void {
		this.timer = this.clock.setTimeout(() => this.tick(), PACKET_INTERVAL_MS);
	}

	private tick(): void {
		const now = this.clock.now();
		const elapsedS = (now - this.startedAtMs) / 1000;
		while (this.model.timeS < elapsedS) this.pending.push(this.model.nextBeat());
		if (now < this.silentUntilMs) {
			this.pending = [];
			this.chest?.restart(elapsedS);
		} else {
			if (this.state === 'reconnecting') {
				this.setState('connected');
				if (this.movementWanted && this.chestOptions) this.updateMovement('streaming');
			}
			this.sendPending(now);
			this.sendMovement(now, elapsedS);
		}
		this.schedule();
	}

	private sendPending(now: number): void {
		const beats = this.pending;
		this.pending = [];
		// A second with no finished beat still brings a heart-rate packet, as real straps send.
		if (beats.length === 0) return this.send(now, [], 'contact');
		const touching = beats.filter((b) => b.contact);
		if (touching.length < beats.length) this.send(now, [], 'no-contact');
		for (let i = 0; i < touching.length; i += MAX_RR_PER_PACKET) {
			this.send(now, touching.slice(i, i + MAX_RR_PER_PACKET), 'contact');
		}
	}

	/** The chest's samples up to now, in H10 frames (encoded, then parsed as a real strap's are). */
	private sendMovement(now: number, elapsedS: number): void {
		if (!this.streaming || !this.chest) return;
		for (const samples of this.chest.frames(elapsedS, now, (t) => this.model.breathFill(t)))
			this.emit({ type: 'movement', atMs: now, samples });
	}

	private lastBpm = 75;

	private send(now: number, beats: ModelBeat[], contact: 'contact' | 'no-contact'): void {
		if (beats.length > 0) {
			const meanRr = beats.reduce((s, b) => s + b.rrMs, 0) / beats.length;
			this.lastBpm = Math.round(60000 / meanRr);
		}
		const bytes = encodeHeartRateMeasurement({
			bpm: contact === 'no-contact' ? 0 : this.lastBpm,
			contact,
			rrTicks: beats.map((b) => Math.round((b.rrMs * RR_TICKS_PER_SECOND) / 1000))
		});
		const parsed = parseHeartRateMeasurement(new DataView(bytes.buffer));
		if (parsed.ok) this.emit({ type: 'measurement', atMs: now, measurement: parsed.value });
		else this.emit({ type: 'packet-error', atMs: now, error: parsed.error });
	}

	private setState(state: LinkState, reason?: string): void {
		this.state = state;
		this.emit({ type: 'link', atMs: this.clock.now(), state, reason });
	}

	private emit(event: StrapEvent): void {
		for (const l of this.listeners) l(event);
	}
}
