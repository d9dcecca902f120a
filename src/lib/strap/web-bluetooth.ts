/**
 * A real chest strap over Web Bluetooth (Heart Rate service 0x180D).
 * Follows the GoogleChrome web-bluetooth samples: requestDevice from a user gesture with a service
 * filter; `gattserverdisconnected` drives reconnection, which keeps the same session going.
 */
import { parseHeartRateMeasurement } from './hrm-packet';
import { describeBluetoothError } from './bluetooth-errors';
import type { LinkState, Strap, StrapEvent, StrapInfo, StrapListener } from './types';
import type { PmdStream } from './pmd/pmd-link';
/** Polar Measurement Data (pmd/uuids.ts), here so that pages load none of pmd/ before it is needed. */
const PMD_SERVICE = 'fb005c80-02e7-f387-1cad-8acd2d8df0c8';

const BODY_SENSOR_LOCATIONS = ['Other', 'Chest', 'Wrist', 'Finger', 'Hand', 'Ear lobe', 'Foot'];
/** Backoff between reconnection attempts: at once, then growing to about 30 s. */
export const RECONNECT_DELAYS_MS = [0, 1000, 2000, 4000, 8000, 15000, 30000];

export interface BluetoothStrapOptions {
	/** Reconnect a device the browser already remembers instead of opening the chooser. */
	device?: BluetoothDevice;
}

export class BluetoothStrap implements Strap {
	info: StrapInfo = { name: 'Heart-rate strap', kind: 'bluetooth' };
	state: LinkState = 'idle';
	private device?: BluetoothDevice;
	private listeners = new Set<StrapListener>();
	private userClosed = false;
	private attempt = 0;
	private retryTimer?: ReturnType<typeof setTimeout>;
	private hrm?: BluetoothRemoteGATTCharacteristic;
	private battery?: BluetoothRemoteGATTCharacteristic;
	/**
	 * Polar's measurement service (the H10's accelerometer), when the strap has it; its code is
	 * fetched at the first connection, so pages pay nothing for it before.
	 */
	private pmd?: Promise<PmdStream>;
	private movementWanted = false;

	constructor(options: BluetoothStrapOptions = {}) {
		this.device = options.device;
	}

	subscribe(listener: StrapListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	get deviceId(): string | undefined {
		return this.device?.id;
	}

	async connect(): Promise<void> {
		this.userClosed = false;
		this.setState('connecting');
		try {
			if (!this.device) {
				this.device = await navigator.bluetooth.requestDevice({
					filters: [{ services: ['heart_rate'] }],
					optionalServices: ['battery_service', 'device_information', PMD_SERVICE]
				});
			}
			this.device.addEventListener('gattserverdisconnected', this.onDisconnected);
			this.updateInfo({ name: this.device.name || 'Heart-rate strap' });
			await this.openGatt();
		} catch (err) {
			this.device?.removeEventListener('gattserverdisconnected', this.onDisconnected);
			this.setState('disconnected', describeBluetoothError(err));
			throw err;
		}
	}

	async disconnect(): Promise<void> {
		this.userClosed = true;
		clearTimeout(this.retryTimer);
		await (await this.pmd)?.close(!!this.device?.gatt?.connected);
		this.hrm?.removeEventListener('characteristicvaluechanged', this.onHeartRate);
		this.battery?.removeEventListener('characteristicvaluechanged', this.onBattery);
		if (this.device?.gatt?.connected) this.device.gatt.disconnect();
		this.setState('disconnected');
	}

	/** Stops trying to get a lost link back (the user gave up on it). */
	cancelReconnect(): void {
		if (this.state !== 'reconnecting') return;
		this.userClosed = true;
		clearTimeout(this.retryTimer);
		this.setState('disconnected', 'Reconnection cancelled');
	}

	private async openGatt(): Promise<void> {
		const gatt = this.device?.gatt;
		if (!gatt) throw new Error('This device has no GATT server');
		const server = await gatt.connect();
		const hrService = await server.getPrimaryService('heart_rate');
		this.hrm?.removeEventListener('characteristicvaluechanged', this.onHeartRate);
		this.hrm = await hrService.getCharacteristic('heart_rate_measurement');
		this.hrm.addEventListener('characteristicvaluechanged', this.onHeartRate);
		await this.hrm.startNotifications();
		this.attempt = 0;
		this.setState('connected');
		// Optional parts: a strap without them still streams heart rate.
		await this.readOptional(server, hrService);
		// Not awaited: a slow or silent movement sensor never holds up heart rate. Its code is
		// fetched at the first connection, so pages pay nothing for it before.
		this.pmd ??= import('./pmd/pmd-link').then(({ PmdStream }) => {
			const stream = new PmdStream({
				onStatus: (movement) => this.updateInfo({ movement }),
				onSamples: (samples, atMs) => this.emit({ type: 'movement', atMs, samples }),
				onBadFrame: () => undefined
			});
			void stream.setWanted(this.movementWanted, false);
			return stream;
		});
		void this.pmd.then((pmd) => pmd.open(server));
	}

	/** Starts or stops the accelerometer (a recording begins or ends); restarted on reconnection. */
	async setMovementWanted(wanted: boolean): Promise<void> {
		this.movementWanted = wanted;
		await (await this.pmd)?.setWanted(wanted, this.state === 'connected');
	}

	private async readOptional(
		server: BluetoothRemoteGATTServer,
		hrService: BluetoothRemoteGATTService
	): Promise<void> {
		const info: Partial<StrapInfo> = {};
		const loc = await tryRead(() => hrService.getCharacteristic('body_sensor_location'));
		if (loc) info.sensorLocation = BODY_SENSOR_LOCATIONS[loc.getUint8(0)] ?? 'Other';
		try {
			const svc = await server.getPrimaryService('battery_service');
			this.battery?.removeEventListener('characteristicvaluechanged', this.onBattery);
			this.battery = await svc.getCharacteristic('battery_level');
			info.batteryPercent = (await this.battery.readValue()).getUint8(0);
			if (this.battery.properties.notify) {
				this.battery.addEventListener('characteristicvaluechanged', this.onBattery);
				await this.battery.startNotifications().catch(() => undefined);
			}
		} catch {
			// No battery service: nothing to show.
		}
		try {
			const svc = await server.getPrimaryService('device_information');
			const text = async (uuid: string) => {
				const v = await tryRead(() => svc.getCharacteristic(uuid));
				return v ? new TextDecoder().decode(v).replace(/\0+$/, '') : undefined;
			};
			info.manufacturer = await text('manufacturer_name_string');
			info.model = await text('model_number_string');
			info.firmware = await text('firmware_revision_string');
		} catch {
			// No device information service.
		}
		this.updateInfo(info);
	}

	private onHeartRate = (event: Event) => {
		const view = (event.target as BluetoothRemoteGATTCharacteristic).value;
		if (!view) return;
		const atMs = Date.now();
		const parsed = parseHeartRateMeasurement(view);
		if (parsed.ok) this.emit({ type: 'measurement', atMs, measurement: parsed.value });
		else this.emit({ type: 'packet-error', atMs, error: parsed.error });
	};

	private onBattery = (event: Event) => {
		const view = (event.target as BluetoothRemoteGATTCharacteristic).value;
		if (view && view.byteLength > 0) this.updateInfo({ batteryPercent: view.getUint8(0) });
	};

	private onDisconnected = () => {
		void this.pmd?.then((pmd) => pmd.lost());
		if (this.userClosed) return;
		this.setState('reconnecting', 'The link to the strap was lost');
		this.scheduleReconnect();
	};

	private scheduleReconnect(): void {
		const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)];
		this.attempt++;
		this.retryTimer = setTimeout(async () => {
			if (this.userClosed) return;
			try {
				await this.openGatt();
			} catch {
				if (!this.userClosed && !this.device?.gatt?.connected) this.scheduleReconnect();
			}
		}, delay);
	}

	private updateInfo(patch: Partial<StrapInfo>): void {
		const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
		this.info = { ...this.info, ...defined };
		this.emit({ type: 'info', atMs: Date.now(), info: this.info });
	}

	private setState(state: LinkState, reason?: string): void {
		this.state = state;
		this.emit({ type: 'link', atMs: Date.now(), state, reason });
	}

	private emit(event: StrapEvent): void {
		for (const l of this.listeners) l(event);
	}
}

async function tryRead(
	get: () => Promise<BluetoothRemoteGATTCharacteristic>
): Promise<DataView | undefined> {
	try {
		return await (await get()).readValue();
	} catch {
		return undefined;
	}
}
