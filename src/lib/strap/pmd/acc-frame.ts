/**
 * A PMD ACC data frame (PmdDataFrame.kt, AccData.kt): byte 0 the measurement type (2), bytes 1-8
 * the sensor time of the frame's LAST sample (ns, little-endian), byte 9 the frame type (bit 7 set:
 * delta-compressed), then samples. Raw frame type 0, 1, 2: signed x, y, z of 1, 2 or 3 bytes each,
 * in mG. The H10 sends raw type 1. Total: any bytes give a frame or a reason, never an exception.
 */
import { MeasurementType, hex } from './control-point';

export interface AccFrame {
	/** Sensor time of the last sample, ns (Polar's epoch: 2000-01-01, or 2019-01-01 if never set). */
	timestampNs: bigint;
	frameType: number;
	/** Samples in mG, x y z interleaved. */
	xyz: Int32Array;
	count: number;
}

export type AccFrameResult =
	{ ok: true; value: AccFrame } | { ok: false; message: string; bytes: number[] };

const HEADER = 10;

export function parseAccFrame(bytes: Uint8Array): AccFrameResult {
	const fail = (message: string): AccFrameResult => ({
		ok: false,
		message,
		bytes: Array.from(bytes.subarray(0, 24))
	});
	if (bytes.length < HEADER) return fail(`A movement frame of ${bytes.length} bytes`);
	if ((bytes[0] & 0x3f) !== MeasurementType.ACC) {
		return fail(`Not a movement frame (type ${bytes[0]}): ${hex(bytes.subarray(0, 10))}`);
	}
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const timestampNs = view.getBigUint64(1, true);
	const frameType = bytes[9];
	if (frameType & 0x80) return fail('Compressed movement frames are not read by Settle');
	const size = frameType + 1;
	if (size > 3) return fail(`Unknown movement frame type ${frameType}`);
	const content = bytes.length - HEADER;
	if (content === 0 || content % (3 * size) !== 0) {
		return fail(`A movement frame whose ${content} bytes are not whole samples`);
	}
	const xyz = new Int32Array(content / size);
	for (let i = 0, at = HEADER; i < xyz.length; i++, at += size) {
		xyz[i] =
			size === 1 ? view.getInt8(at) : size === 2 ? view.getInt16(at, true) : readInt24(view, at);
	}
	return { ok: true, value: { timestampNs, frameType, xyz, count: xyz.length / 3 } };
}

function readInt24(view: DataView, at: number): number {
	const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getUint8(at + 2) << 16);
	return v & 0x800000 ? v - 0x1000000 : v;
}

/** Builds a raw type-1 frame (the demo strap and the tests speak the H10's own bytes). */
export function encodeAccFrame(timestampNs: bigint, xyz: ArrayLike<number>): Uint8Array {
	const bytes = new Uint8Array(HEADER + xyz.length * 2);
	const view = new DataView(bytes.buffer);
	bytes[0] = MeasurementType.ACC;
	view.setBigUint64(1, timestampNs, true);
	bytes[9] = 1;
	for (let i = 0; i < xyz.length; i++) {
		view.setInt16(HEADER + 2 * i, Math.max(-32768, Math.min(32767, Math.round(xyz[i]))), true);
	}
	return bytes;
}
