import type { HeartRateMeasurement, PacketError } from './hrm-packet';

/** Where the link to a strap stands. `reconnecting` happens only inside a session. */
export type LinkState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** What is known about the strap; fields a strap does not offer stay undefined. */
export interface StrapInfo {
	name: string;
	kind: 'bluetooth' | 'demo';
	batteryPercent?: number;
	sensorLocation?: string;
	manufacturer?: string;
	model?: string;
	firmware?: string;
	/** The strap's accelerometer, when it has one Settle can read (Polar PMD); see MovementLink. */
	movement?: MovementLink;
}

/**
 * Where the strap's accelerometer stream stands: `available` (offered, not streaming),
 * `starting`, `streaming`, or `failed` with the reason in words (recording goes on from heart
 * rate alone).
 */
export interface MovementLink {
	state: 'available' | 'starting' | 'streaming' | 'failed';
	message?: string;
	rateHz?: number;
}

/** Accelerometer samples on the wall clock (ms, as `atMs`); mG, x y z interleaved. */
export interface MovementSamples {
	timeMs: Float64Array;
	xyz: Int32Array;
}

/**
 * Everything a strap reports. `atMs` is the wall-clock arrival time (Date.now()), the only clock a
 * notification carries: RR values have no timestamps of their own.
 */
export type StrapEvent =
	| { type: 'measurement'; atMs: number; measurement: HeartRateMeasurement }
	| { type: 'packet-error'; atMs: number; error: PacketError }
	| { type: 'link'; atMs: number; state: LinkState; reason?: string }
	| { type: 'info'; atMs: number; info: StrapInfo }
	| { type: 'movement'; atMs: number; samples: MovementSamples };

export type StrapListener = (event: StrapEvent) => void;

/** One interface for every source of beats: a Bluetooth strap, the demo strap, a test double. */
export interface Strap {
	readonly info: StrapInfo;
	readonly state: LinkState;
	/** Connects (for Bluetooth: opens the chooser, so call it from a user gesture). */
	connect(): Promise<void>;
	/** Ends the link for good; no reconnection follows. */
	disconnect(): Promise<void>;
	subscribe(listener: StrapListener): () => void;
	/**
	 * Streams the accelerometer while wanted (a recording runs), also after a reconnection; a
	 * strap without one ignores this. Failures are told through `info.movement`, never thrown.
	 */
	setMovementWanted?(wanted: boolean): Promise<void>;
}
