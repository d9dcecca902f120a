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
}

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

	constructor(options: DemoStrapOptions = {}) {
		this.clock = options.clock ?? realClock;
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

	async disconnect(): Promise<void> {
		this.clock.clearTimeout(this.timer);
		this.timer = undefined;
		this.setState('disconnected');
	}

	/** The link drops for a while; beats meanwhile are lost, as with a real strap out of range. */
	simulateLinkLoss(durationMs: number): void {
		this.silentUntilMs = this.clock.now() + durationMs;
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
		} else {
			if (this.state === 'reconnecting') this.setState('connected');
			this.sendPending(now);
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
