/**
 * RR recordings made with other apps, as new sessions: every format `readRrBytes` knows (Kubios
 * results, Elite HRV, HRV Logger, FatMaxxer, SelfLoops, Polar Sensor Logger RR and PPI, Welltory,
 * PhysioNet ann2rr, plain text in ms or s…), one file or a whole history at once. A file is read
 * whole first; a wrong file is refused with its line and reason and nothing is written. The same
 * recording imported again is recognised by its fingerprint and skipped. A file is read in slices
 * of about 30 ms (readRrInSlices) and its analysis may be computed elsewhere (a Web Worker: see
 * `summarize`), so an import never blocks the page for long, and Cancel stops it at its next
 * pause: between two slices, or while the analysis runs elsewhere.
 * A file longer than a recording can be (RR_MAX_RECORDING_HOURS) is refused as soon as it is
 * read, before any session is built from it.
 */
import {
	RR_MARK,
	RR_MAX_RECORDING_HOURS,
	readRrInSlices,
	rrFingerprint,
	startFromFileName,
	type RrNote,
	type RrRecordingRead
} from '$lib/analysis';
import { BEAT_FLAG } from '$lib/strap/beat-timeline';
import type { BeatSeries } from './beats';
import { getDb } from './db';
import { isSound } from './integrity';
import type { BeatChunkRow, SessionRow, SessionSummary } from './schema';
import { getBeats } from './sessions';
import { formatBytes, isQuotaError } from './storage';

/**
 * The largest file read: more than twice what a recording of RR_MAX_RECORDING_HOURS takes in any
 * format (a 48-hour Polar PPI file at 200 beats a minute is about 26 MB, twice that in UTF-16). A
 * larger one is refused without being read into memory.
 */
export const MAX_IMPORT_BYTES = 128 * 1024 * 1024;

function tooBig(bytes: number): ImportResult {
	return {
		ok: false,
		status: 'refused',
		line: 0,
		reason: `it is ${formatBytes(bytes)}, more than a recording of up to ${RR_MAX_RECORDING_HOURS} hours takes (Settle reads files of up to ${formatBytes(MAX_IMPORT_BYTES)}): split the file into parts of ${RR_MAX_RECORDING_HOURS} hours or less`
	};
}

/** What a file held, as the person is told it. */
export interface ImportReport {
	format: string;
	beats: number;
	unit: 'ms' | 's';
	column?: string;
	encoding?: string;
	startedAt: number;
	/** Where the start time came from: the file's contents, its name, when it was last written. */
	dateFrom: 'file' | 'file name' | 'file modified' | 'import time';
	optical: boolean;
	leftOut: RrNote[];
	flagged: RrNote[];
}

/** A session imported before, by fingerprint. */
export interface KnownImport {
	id: string;
	startedAt: number;
}
export type KnownImports = Map<string, KnownImport>;

export type ImportResult =
	| { ok: true; status: 'imported'; session: SessionRow; report: ImportReport }
	| { ok: false; status: 'duplicate'; line?: undefined; reason: string; duplicateOf: KnownImport }
	| { ok: false; status: 'refused'; line: number; reason: string };

/**
 * Fingerprints of the imported sessions (deleted ones excepted: importing brings them back).
 * Sessions imported before fingerprints were kept get theirs from their beats, with and without
 * their start (whether it came from inside the file was not recorded).
 */
export async function knownImports(): Promise<KnownImports> {
	const rows = (await (
		await getDb()
	).sessions
		.where('source')
		.equals('import')
		.toArray()) as unknown[];
	const known: KnownImports = new Map();
	for (const s of rows) {
		if (!isSound(s) || s.deletedAt !== undefined) continue;
		const entry = { id: s.id, startedAt: s.startedAt };
		if (typeof s.importFingerprint === 'string') {
			known.set(s.importFingerprint, entry);
			continue;
		}
		const { rrMs } = await getBeats(s.id);
		if (rrMs.length === 0) continue;
		known.set(rrFingerprint(rrMs), entry);
		known.set(rrFingerprint(rrMs, s.startedAt), entry);
	}
	return known;
}

/** The file's marks as the beat flags sessions store (the analysis skips every one of them). */
function beatFlags(marks: Uint8Array): Uint8Array {
	const out = new Uint8Array(marks.length);
	for (let i = 0; i < marks.length; i++) {
		const m = marks[i];
		if (m === 0) continue;
		let f = 0;
		if (m & (RR_MARK.OUT_OF_RANGE | RR_MARK.BLOCKED)) f |= BEAT_FLAG.IMPLAUSIBLE;
		if (m & RR_MARK.NO_CONTACT) f |= BEAT_FLAG.NO_CONTACT;
		out[i] = f;
	}
	return out;
}

const CHUNK = 512;

/** Files (bytes, or characters) read whole once begun, cancelled or not. */
const SMALL_FILE = 1 << 20;

function chunkRows(sessionId: string, series: BeatSeries): BeatChunkRow[] {
	const rows: BeatChunkRow[] = [];
	const n = series.rrMs.length;
	for (let seq = 0, i0 = 0; i0 < n; seq++, i0 += CHUNK) {
		const i1 = Math.min(n, i0 + CHUNK);
		const t0Ms = series.timeMs[i0];
		const offsetMs = new Float32Array(i1 - i0);
		for (let i = i0; i < i1; i++) offsetMs[i - i0] = series.timeMs[i] - t0Ms;
		rows.push({
			sessionId,
			seq,
			t0Ms,
			rrMs: series.rrMs.slice(i0, i1),
			offsetMs,
			flags: series.flags.slice(i0, i1)
		});
	}
	return rows;
}

/** The start: the file's own date, else its name's, else when it was written, else now. */
function startOf(
	read: RrRecordingRead,
	name: string,
	durationMs: number,
	now: number,
	fileModifiedAt: number | undefined
): { startedAt: number; dateFrom: ImportReport['dateFrom'] } {
	if (read.startedAt !== undefined) return { startedAt: read.startedAt, dateFrom: 'file' };
	const fromName = startFromFileName(name);
	if (fromName !== undefined) return { startedAt: fromName, dateFrom: 'file name' };
	// A recording app writes its file when the recording ends.
	if (fileModifiedAt !== undefined && fileModifiedAt < now)
		return { startedAt: fileModifiedAt - durationMs, dateFrom: 'file modified' };
	return { startedAt: now, dateFrom: 'import time' };
}

/** A session's summary from its beats: at once, or later (computed in a worker). */
export type Summarize = (series: BeatSeries) => SessionSummary | Promise<SessionSummary>;

const isPromise = <T>(x: T | Promise<T>): x is Promise<T> =>
	typeof (x as { then?: unknown }).then === 'function';

/** Resolves as `promise` does, or rejects with the signal's reason as soon as it is aborted. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) return promise;
	return new Promise<T>((resolve, reject) => {
		const abort = () => reject(signal.reason);
		if (signal.aborted) return abort();
		signal.addEventListener('abort', abort, { once: true });
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
	});
}

/**
 * Imports one file (its bytes, or text already decoded). `known` (see knownImports) makes a
 * recording already imported a duplicate instead of a second session; the new one is added to it.
 * `signal` stops it at a pause (see readRrInSlices), before anything is written: the promise
 * rejects with the signal's reason. A file read within one slice and summarised at once has none.
 */
export async function importRrFile(
	name: string,
	content: string | Uint8Array,
	summarize: Summarize,
	now = Date.now(),
	/** The file's last-modified time: a recording app writes its file when the recording ends. */
	fileModifiedAt?: number,
	known?: KnownImports,
	options: { signal?: AbortSignal } = {}
): Promise<ImportResult> {
	const { signal } = options;
	if (content.length > MAX_IMPORT_BYTES) return tooBig(content.length);
	// A small file is read in a few ms: once begun, it is read whole (and so imported, unless its
	// analysis is a wait that Cancel ends). A larger one stops at its next pause.
	const read = await readRrInSlices(content, name, {
		signal: content.length > SMALL_FILE ? signal : undefined
	});
	if (!read.ok) return { ...read, status: 'refused' };
	const fingerprint = rrFingerprint(read.rrMs, read.startedAt);
	const before = known?.get(fingerprint);
	if (before)
		return {
			ok: false,
			status: 'duplicate',
			reason: 'already imported: the same beats as an earlier session',
			duplicateOf: before
		};
	const rrMs = read.rrMs;
	const timeMs = new Float64Array(rrMs.length);
	let acc = 0;
	for (let i = 0; i < rrMs.length; i++) timeMs[i] = acc += rrMs[i];
	// Pauses, drop-outs and blocked pulses stay in the recording, flagged: the analysis skips them.
	const series: BeatSeries = { rrMs, timeMs, flags: beatFlags(read.flags) };
	const { startedAt, dateFrom } = startOf(read, name, acc, now, fileModifiedAt);
	// Computed elsewhere (a worker), the summary is a wait: Cancel is answered during it.
	const summarized = summarize(series);
	const summary = isPromise(summarized) ? await unlessAborted(summarized, signal) : summarized;
	const id = crypto.randomUUID();
	const rows = chunkRows(id, series);
	const session: SessionRow = {
		id,
		startedAt,
		endedAt: startedAt + acc,
		status: 'finished',
		source: 'import',
		strapName: `Imported: ${name}`,
		routine: 'Imported recording',
		phase: 'none',
		tags: ['imported'],
		beatCount: rrMs.length,
		durationMs: acc,
		summary,
		updatedAt: now,
		importFormat: read.format,
		importFingerprint: fingerprint,
		...(read.optical ? { signal: 'ppi' as const } : {})
	};
	const db = await getDb();
	await db.transaction('rw', db.sessions, db.beatChunks, async () => {
		await db.sessions.add(session);
		await db.beatChunks.bulkPut(rows);
	});
	known?.set(fingerprint, { id: session.id, startedAt });
	return {
		ok: true,
		status: 'imported',
		session,
		report: {
			format: read.format,
			beats: rrMs.length,
			unit: read.unit,
			column: read.column,
			encoding: read.encoding,
			startedAt,
			dateFrom,
			optical: read.optical,
			leftOut: read.leftOut,
			flagged: read.flagged
		}
	};
}

/** A file to import: a browser File fits (name, lastModified, size, bytes()). */
export interface ImportSource {
	name: string;
	lastModified?: number;
	/** Its size in bytes, when known before reading it: a file too large is not read. */
	size?: number;
	/** Its bytes; `signal` may stop a long read (the promise then rejects). */
	bytes(signal?: AbortSignal): Promise<Uint8Array>;
}

export interface ImportProgress {
	done: number;
	total: number;
	/** The file being read now. */
	current?: string;
}

export interface ImportBatch {
	results: { name: string; result: ImportResult }[];
	/** Stopped before the end (cancelled, or storage full); `results` holds the files read. */
	stopped?: 'cancelled' | 'storage full';
}

/**
 * Imports files one after another (a person moving over brings hundreds: Elite HRV writes one
 * file per reading), each recording once: fingerprints are loaded once per batch and files seen
 * earlier in the same batch count too. When `signal` is aborted it stops at the next pause of the
 * file being read (every 30 ms of work, and its analysis), which is then not imported, or between
 * files; what was imported before stays.
 */
export async function importRrFiles(
	sources: readonly ImportSource[],
	summarize: Summarize,
	options: {
		signal?: AbortSignal;
		onProgress?: (p: ImportProgress) => void;
		now?: () => number;
	} = {}
): Promise<ImportBatch> {
	const known = await knownImports();
	const results: ImportBatch['results'] = [];
	const total = sources.length;
	for (let i = 0; i < total; i++) {
		if (options.signal?.aborted) return { results, stopped: 'cancelled' };
		const source = sources[i];
		options.onProgress?.({ done: i, total, current: source.name });
		let result: ImportResult;
		try {
			if (source.size !== undefined && source.size > MAX_IMPORT_BYTES) result = tooBig(source.size);
			else {
				const bytes = await source.bytes(options.signal);
				result = await importRrFile(
					source.name,
					bytes,
					summarize,
					options.now?.() ?? Date.now(),
					source.lastModified,
					known,
					{ signal: options.signal }
				);
			}
		} catch (err) {
			// Cancelled while this file was read: it is not imported, those before it stay.
			if (options.signal?.aborted) return { results, stopped: 'cancelled' };
			if (isQuotaError(err)) {
				results.push({
					name: source.name,
					result: { ok: false, status: 'refused', line: 0, reason: 'the storage is full' }
				});
				return { results, stopped: 'storage full' };
			}
			result = {
				ok: false,
				status: 'refused',
				line: 0,
				reason: `it could not be read (${err instanceof Error ? err.message : String(err)})`
			};
		}
		results.push({ name: source.name, result });
	}
	options.onProgress?.({ done: total, total });
	return { results };
}
