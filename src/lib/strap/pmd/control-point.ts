/**
 * PMD control point: the commands Settle sends and the strap's answers, as bytes. Pure.
 * Source: polar-ble-sdk's Android client (PmdControlPointCommand.kt, PmdControlPointResponse.kt,
 * PmdMeasurementType.kt, BlePMDClient.sendControlPointCommand): a command is its op code, then the
 * measurement type, then parameters; an answer is F0, the op code, the type, a status, a
 * more-frames flag, then parameters (only when the status is success).
 */
import { encodeSettings, type SelectedSettings } from './settings';

export const MeasurementType = { ECG: 0, ACC: 2 } as const;
export type MeasurementTypeId = (typeof MeasurementType)[keyof typeof MeasurementType];

export const OpCode = { GET_SETTINGS: 1, START: 2, STOP: 3 } as const;

export const RESPONSE_CODE = 0xf0;
/** A frame the strap sends unasked (not F0): it has stopped these measurement types itself. */
const MEASUREMENT_STOPPED = 0x01;

/** PmdControlPointResponseCode, in its order. */
const STATUS_TEXT = [
	'success',
	'invalid op code',
	'invalid measurement type',
	'not supported',
	'invalid length',
	'invalid parameter',
	'already in that state',
	'invalid resolution',
	'invalid sample rate',
	'invalid range',
	'invalid MTU',
	'invalid number of channels',
	'invalid state',
	'the strap is on its charger',
	'its memory is full'
];

export function encodeGetSettings(type: MeasurementTypeId): Uint8Array {
	return Uint8Array.of(OpCode.GET_SETTINGS, type);
}

/** Start an online (streamed) measurement with every setting given: the H10 refuses fewer. */
export function encodeStart(type: MeasurementTypeId, settings: SelectedSettings): Uint8Array {
	return Uint8Array.of(OpCode.START, type, ...encodeSettings(settings));
}

export function encodeStop(type: MeasurementTypeId): Uint8Array {
	return Uint8Array.of(OpCode.STOP, type);
}

export interface ControlPointResponse {
	kind: 'response';
	opCode: number;
	measurementType: number;
	status: number;
	/** The status in words ("invalid sample rate"). */
	statusText: string;
	ok: boolean;
	more: boolean;
	parameters: Uint8Array;
}

export type ControlPointMessage =
	| ControlPointResponse
	| { kind: 'stopped'; measurementTypes: number[] }
	| { kind: 'malformed'; message: string; bytes: number[] };

/** Total: any bytes give a message, never an exception. */
export function parseControlPoint(bytes: Uint8Array): ControlPointMessage {
	const malformed = (message: string): ControlPointMessage => ({
		kind: 'malformed',
		message,
		bytes: Array.from(bytes)
	});
	if (bytes.length === 0) return malformed('An empty control point message');
	if (bytes[0] === MEASUREMENT_STOPPED && bytes.length >= 2) {
		return { kind: 'stopped', measurementTypes: Array.from(bytes.subarray(1), (b) => b & 0x3f) };
	}
	if (bytes[0] !== RESPONSE_CODE) return malformed(`Unknown control point message ${hex(bytes)}`);
	if (bytes.length < 4) return malformed(`A control point answer of ${bytes.length} bytes`);
	const status = bytes[3];
	const ok = status === 0;
	return {
		kind: 'response',
		opCode: bytes[1],
		measurementType: bytes[2] & 0x3f,
		status,
		statusText: STATUS_TEXT[status] ?? `error ${status}`,
		ok,
		more: ok && bytes.length > 4 && bytes[4] !== 0,
		parameters: ok && bytes.length > 5 ? bytes.slice(5) : new Uint8Array(0)
	};
}

/**
 * The measurement types a strap offers, from reading the control point (PmdMeasurementType
 * .fromByteArray): byte 0 is 0x0F, byte 1 bit 0 ECG, bit 2 ACC.
 */
export function parseFeatures(bytes: Uint8Array): { ecg: boolean; acc: boolean } | undefined {
	if (bytes.length < 2 || bytes[0] !== 0x0f) return undefined;
	return { ecg: (bytes[1] & 0x01) !== 0, acc: (bytes[1] & 0x04) !== 0 };
}

export function hex(bytes: ArrayLike<number>): string {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}
