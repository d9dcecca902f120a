/**
 * The Polar Measurement Data link over Web Bluetooth: asks the strap for its ACC settings, starts
 * and stops the ACC stream, and turns its frames into timed samples. Indications and notifications
 * are turned on before any command is written (BlePMDClient refuses commands otherwise). A refusal
 * or silence is reported in words through `onStatus`, never thrown: heart rate goes on regardless.
 */
import type { MovementLink, MovementSamples } from '../types';
import {
	encodeGetSettings,
	encodeStart,
	encodeStop,
	MeasurementType,
	parseControlPoint,
	type ControlPointResponse
} from './control-point';
import { chooseAccSettings, parseSettings, type SelectedSettings } from './settings';
import { parseAccFrame } from './acc-frame';
import { AccClock } from './sample-times';
import { PMD_CONTROL_POINT, PMD_DATA, PMD_SERVICE } from './uuids';

export const CP_ANSWER_TIMEOUT_MS = 5000;
const FALLBACK = 'breathing is estimated from the heart instead';

export interface PmdLinkEvents {
	onStatus(status: MovementLink): void;
	onSamples(samples: MovementSamples, atMs: number): void;
	/** A data frame Settle cannot read: counted, the stream goes on. */
	onBadFrame(message: string): void;
}

interface Waiting {
	opCode: number;
	resolve(answer: ControlPointResponse): void;
	timer: ReturnType<typeof setTimeout>;
}

/**
 * The strap's side of it: opens the link on each (re)connection and keeps the stream running while
 * it is wanted. Only the newest connection's attempt starts the stream.
 */
export class PmdStream {
	private link: PmdLink;
	private wanted = false;
	private generation = 0;
	private ready: Promise<boolean> = Promise.resolve(false);

	constructor(events: PmdLinkEvents) {
		this.link = new PmdLink(events);
	}

	/** A (re)connected server: resolves when the sensor is ready (and started, if wanted). */
	open(server: BluetoothRemoteGATTServer): Promise<boolean> {
		const generation = ++this.generation;
		this.ready = (async () => {
			const ready = await this.link.attach(server).catch(() => false);
			if (ready && this.wanted && generation === this.generation) await this.link.start();
			return ready;
		})();
		return this.ready;
	}

	async setWanted(wanted: boolean, connected: boolean): Promise<void> {
		if (wanted === this.wanted) return;
		this.wanted = wanted;
		if (!(await this.ready) || !connected) return;
		if (wanted) await this.link.start();
		else await this.link.stop().catch(() => undefined);
	}

	/** The link is ending: stop the stream first when it still can be told. */
	async close(connected: boolean): Promise<void> {
		if (connected) await this.link.stop().catch(() => undefined);
		this.lost();
	}

	lost(): void {
		this.generation++;
		this.ready = Promise.resolve(false);
		this.link.detach();
	}
}

export class PmdLink {
	private cp?: BluetoothRemoteGATTCharacteristic;
	private data?: BluetoothRemoteGATTCharacteristic;
	private waiting?: Waiting;
	private settings?: SelectedSettings;
	private clock?: AccClock;
	private streaming = false;
	/** Commands go one at a time: an answer names its op code, not its request. */
	private queue: Promise<unknown> = Promise.resolve();

	constructor(private events: PmdLinkEvents) {}

	/**
	 * Opens the service on a (re)connected server. False when the strap has no PMD service; true
	 * when the settings are known and ACC can be started.
	 */
	async attach(server: BluetoothRemoteGATTServer): Promise<boolean> {
		this.detach();
		let service: BluetoothRemoteGATTService;
		try {
			service = await server.getPrimaryService(PMD_SERVICE);
		} catch {
			return false;
		}
		try {
			this.cp = await service.getCharacteristic(PMD_CONTROL_POINT);
			this.data = await service.getCharacteristic(PMD_DATA);
			this.cp.addEventListener('characteristicvaluechanged', this.onControlPoint);
			this.data.addEventListener('characteristicvaluechanged', this.onData);
			await this.cp.startNotifications();
			await this.data.startNotifications();
		} catch (err) {
			this.fail(`Could not open the strap's movement sensor (${errorText(err)})`);
			return false;
		}
		const answer = await this.command(encodeGetSettings(MeasurementType.ACC));
		if (!answer) {
			this.fail("The strap did not answer when asked for its movement sensor's settings");
			return false;
		}
		if (!answer.ok) {
			this.fail(`The strap offers no movement sensor to read (${answer.statusText})`);
			return false;
		}
		const offered = parseSettings(answer.parameters);
		const chosen = offered.ok ? chooseAccSettings(offered.value) : undefined;
		if (!chosen) {
			this.fail("The strap's movement sensor settings could not be read");
			return false;
		}
		this.settings = chosen;
		this.events.onStatus({ state: 'available', rateHz: chosen.sampleRate });
		return true;
	}

	async start(): Promise<boolean> {
		const settings = this.settings;
		if (!settings || !this.cp) return false;
		this.events.onStatus({ state: 'starting', rateHz: settings.sampleRate });
		if (this.clock) this.clock.restart(settings.sampleRate);
		else this.clock = new AccClock(settings.sampleRate);
		const answer = await this.command(encodeStart(MeasurementType.ACC, settings));
		// "Already in that state": it kept streaming through a short drop.
		if (answer && (answer.ok || answer.status === 6)) {
			this.streaming = true;
			this.events.onStatus({ state: 'streaming', rateHz: settings.sampleRate });
			return true;
		}
		this.fail(
			answer
				? `The strap refused to start its movement sensor (${answer.statusText})`
				: 'The strap did not answer when asked to start its movement sensor'
		);
		return false;
	}

	async stop(): Promise<void> {
		if (!this.streaming) return;
		this.streaming = false;
		if (this.settings)
			this.events.onStatus({ state: 'available', rateHz: this.settings.sampleRate });
		await this.command(encodeStop(MeasurementType.ACC));
	}

	/** Forgets the characteristics (the link dropped or ended); the stream is not running. */
	detach(): void {
		// Streaming when the link dropped: it starts again with the next connection.
		if (this.streaming && this.settings)
			this.events.onStatus({ state: 'starting', rateHz: this.settings.sampleRate });
		this.streaming = false;
		this.cp?.removeEventListener('characteristicvaluechanged', this.onControlPoint);
		this.data?.removeEventListener('characteristicvaluechanged', this.onData);
		this.cp = this.data = undefined;
		if (this.waiting) {
			clearTimeout(this.waiting.timer);
			this.waiting = undefined;
		}
	}

	private command(bytes: Uint8Array): Promise<ControlPointResponse | undefined> {
		const run = () => this.send(bytes);
		const next = this.queue.then(run, run);
		this.queue = next;
		return next;
	}

	private async send(bytes: Uint8Array): Promise<ControlPointResponse | undefined> {
		const cp = this.cp;
		if (!cp) return undefined;
		const answer = new Promise<ControlPointResponse | undefined>((resolve) => {
			const timer = setTimeout(() => {
				this.waiting = undefined;
				resolve(undefined);
			}, CP_ANSWER_TIMEOUT_MS);
			this.waiting = { opCode: bytes[0], resolve, timer };
		});
		try {
			await cp.writeValueWithResponse(bytes as Uint8Array<ArrayBuffer>);
		} catch {
			if (this.waiting) clearTimeout(this.waiting.timer);
			this.waiting = undefined;
			return undefined;
		}
		return answer;
	}

	private onControlPoint = (event: Event) => {
		const view = (event.target as BluetoothRemoteGATTCharacteristic).value;
		if (!view) return;
		const message = parseControlPoint(
			new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
		);
		if (message.kind === 'stopped' && message.measurementTypes.includes(MeasurementType.ACC)) {
			this.streaming = false;
			this.fail('The strap stopped its movement sensor');
			return;
		}
		const waiting = this.waiting;
		if (message.kind !== 'response' || !waiting || message.opCode !== waiting.opCode) return;
		clearTimeout(waiting.timer);
		this.waiting = undefined;
		waiting.resolve(message);
	};

	private onData = (event: Event) => {
		const view = (event.target as BluetoothRemoteGATTCharacteristic).value;
		if (!view || !this.streaming || !this.clock) return;
		const atMs = Date.now();
		const frame = parseAccFrame(
			new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength))
		);
		if (!frame.ok) return this.events.onBadFrame(frame.message);
		this.events.onSamples(this.clock.place(frame.value, atMs), atMs);
	};

	private fail(message: string): void {
		this.events.onStatus({ state: 'failed', message: `${message}: ${FALLBACK}.` });
	}
}

function errorText(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}
