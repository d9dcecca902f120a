/**
 * Reading a recording another app exported: detect the format, take its beat intervals, say what
 * was found. Pure: text or bytes in, beats in ms (with per-beat marks, the unit, the file's own
 * date, what was left out and why) out, or the line and reason the file cannot be read.
 */
import { decodeRrPieces } from './decode';
import { isKubiosReport, readKubios } from './kubios';
import { Lines, piecesOf } from './lines';
import { runInSlices, runSync, type SliceOptions, type Sliced } from './slices';
import { readTable } from './table';
import { finishValues, type RrRead } from './values';

/** Reads a text given as pieces (see lines.ts). */
function* readPieces(pieces: string[], name: string): Sliced<RrRead> {
	if (pieces.length > 0 && pieces[0].charCodeAt(0) === 0xfeff) pieces[0] = pieces[0].slice(1);
	const lines = new Lines(pieces);
	const kubios = isKubiosReport(lines);
	const raw = kubios >= 0 ? yield* readKubios(lines, kubios) : yield* readTable(lines, name);
	return raw.ok ? yield* finishValues(raw) : raw;
}

function* readBytes(bytes: Uint8Array, name: string): Sliced<RrRead> {
	const decoded = yield* decodeRrPieces(bytes);
	if (decoded.binary)
		return { ok: false, line: 0, reason: 'not a text file (it holds binary data)' };
	const read = yield* readPieces(decoded.pieces, name);
	return read.ok ? { ...read, encoding: decoded.encoding } : read;
}

/** Reads a file's text. `name` (the file name) only names formats that differ only by it. */
export function readRrText(text: string, name = ''): RrRead {
	return runSync(readPieces(piecesOf(text), name));
}

/** Reads a file's bytes in whatever encoding it was written (see decodeRrBytes). */
export function readRrBytes(bytes: Uint8Array, name = ''): RrRead {
	return runSync(readBytes(bytes, name));
}

/**
 * readRrBytes (or readRrText, given text) in slices of about 30 ms with the page's turn between
 * them: a file of any size never blocks the page for long, and `signal` stops it between two
 * slices (the promise rejects with the signal's reason).
 */
export function readRrInSlices(
	content: string | Uint8Array,
	name = '',
	options: SliceOptions = {}
): Promise<RrRead> {
	const reader =
		typeof content === 'string' ? readPieces(piecesOf(content), name) : readBytes(content, name);
	return runInSlices(reader, options);
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
