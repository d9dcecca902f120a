/**
 * Reading RR recordings exported by other apps. The readers live in ./import (formats, encodings,
 * dates); `parseRrText` is the plain shape the CLI has always used.
 */
import { readRrText } from './import/read';

export { decodeRrBytes, type DecodedRrText, type RrTextEncoding } from './import/decode';
export { parseFileDate, startFromFileName } from './import/dates';
export { readRrBytes, readRrInSlices, readRrText, rrFingerprint } from './import/read';
export { runInSlices, type SliceOptions } from './import/slices';
export {
	RR_MARK,
	RR_MAX_MS,
	RR_MAX_RECORDING_HOURS,
	RR_MAX_RECORDING_MS,
	RR_MIN_MS,
	type RrNote,
	type RrRead,
	type RrRecordingRead,
	type RrRefusal
} from './import/values';

export type RrFileResult =
	| {
			ok: true;
			rrMs: Float64Array;
			unit: 'ms' | 's';
			column?: string;
			/** 0-based indices of values outside 200-3000 ms but possible (pauses, drop-outs). */
			outOfRange: number[];
	  }
	| { ok: false; line: number; reason: string };

/** RR in ms from a file's text, or the line and the reason it was refused. */
export function parseRrText(text: string): RrFileResult {
	const r = readRrText(text);
	if (!r.ok) return r;
	return { ok: true, rrMs: r.rrMs, unit: r.unit, column: r.column, outOfRange: r.outOfRange };
}
