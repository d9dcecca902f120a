/**
 * Reading a recording another app exported: detect the format, take its beat intervals, say what
 * was found. Pure: text or bytes in, beats in ms (with per-beat marks, the unit, the file's own
 * date, what was left out and why) out, or the line and reason the file cannot be read.
 */
import { decodeRrBytes } from './decode';
import { isKubiosReport, readKubios } from './kubios';
import { readTable } from './table';
import { finishValues, type RrRead } from './values';

/** Reads a file's text. `name` (the file name) only names formats that differ only by it. */
export function readRrText(text: string, name = ''): RrRead {
	const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
	const kubios = isKubiosReport(lines);
	const raw = kubios >= 0 ? readKubios(lines, kubios) : readTable(lines, name);
	return raw.ok ? finishValues(raw) : raw;
}

/** Reads a file's bytes in whatever encoding it was written (see decodeRrBytes). */
export function readRrBytes(bytes: Uint8Array, name = ''): RrRead {
	const decoded = decodeRrBytes(bytes);
	if (decoded.binary)
		return { ok: false, line: 0, reason: 'not a text file (it holds binary data)' };
	const read = readRrText(decoded.text, name);
	return read.ok ? { ...read, encoding: decoded.encoding } : read;
}

/**
 * Identifies a recording whatever its file is called: its beat intervals (to 1 µs) and the start
 * its contents give, if they give one. Two 32-bit hashes (FNV-1a and a multiplicative mix) and the
 * count: 96 bits, so distinct recordings do not collide.
 */
export function rrFingerprint(rrMs: Float64Array, startedAt?: number): string {
	let a = 0x811c9dc5;
	let b = 0x9e3779b9;
	const mix = (x: number) => {
		a = Math.imul(a ^ (x & 0xffff), 0x01000193);
		a = Math.imul(a ^ (x >>> 16), 0x01000193);
		b = Math.imul(b ^ x, 0x85ebca6b);
		b ^= b >>> 13;
	};
	for (let i = 0; i < rrMs.length; i++) mix(Math.round(rrMs[i] * 1000) | 0);
	if (startedAt !== undefined) {
		mix(Math.floor(startedAt / 0x100000000) | 0);
		mix(startedAt | 0);
	}
	const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
	return `rr1-${hex(a)}${hex(b)}-${rrMs.length}`;
}
