/**
 * RR recordings made with other tools, as new sessions: plain text (ms or s), Elite HRV's RR
 * export, Polar Sensor Logger's RR file, HRV Logger's CSV. The file is read whole first; a wrong
 * file is refused with its line and reason and nothing is written.
 */
import { parseRrText } from '$lib/analysis';
import { BEAT_FLAG } from '$lib/strap/beat-timeline';
import { packChunk, type BeatSeries } from './beats';
import { getDb } from './db';
import type { SessionRow, SessionSummary } from './schema';

export type ImportResult =
	{ ok: true; session: SessionRow } | { ok: false; line: number; reason: string };

/**
 * The recording's start: a date-time in the file name (Elite HRV: "2024-03-05 07-12-44.txt"), or
 * the first timestamp column value (Polar Sensor Logger, HRV Logger), else undefined.
 */
export function startFromFile(name: string, text: string): number | undefined {
	const fromName = name.match(/(\d{4})-(\d{2})-(\d{2})[ T_]?(\d{2})[-:.h]?(\d{2})[-:.m]?(\d{2})?/);
	if (fromName) {
		const [, y, mo, d, h, mi, s] = fromName;
		const t = new Date(+y, +mo - 1, +d, +h, +mi, +(s ?? 0)).getTime();
		if (Number.isFinite(t)) return t;
	}
	const firstData = text.split(/\r?\n/).find((l, i) => i > 0 && /\d{4}-\d{2}-\d{2}/.test(l));
	const stamp = firstData?.match(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?/);
	if (stamp) {
		const t = new Date(stamp[0].replace(' ', 'T')).getTime();
		if (Number.isFinite(t)) return t;
	}
	return undefined;
}

export async function importRrFile(
	name: string,
	text: string,
	summarize: (series: BeatSeries) => SessionSummary,
	now = Date.now(),
	/** The file's last-modified time: a recording app writes its file when the recording ends. */
	fileModifiedAt?: number
): Promise<ImportResult> {
	const parsed = parseRrText(text);
	if (!parsed.ok) return parsed;
	const rrMs = parsed.rrMs;
	const timeMs = new Float64Array(rrMs.length);
	let acc = 0;
	for (let i = 0; i < rrMs.length; i++) timeMs[i] = acc += rrMs[i];
	// Pauses and drop-outs stay in the recording, flagged as implausible: the analysis skips them.
	const flags = new Uint8Array(rrMs.length);
	for (const k of parsed.outOfRange) flags[k] = BEAT_FLAG.IMPLAUSIBLE;
	const series: BeatSeries = { rrMs, timeMs, flags };
	// The file's own date first; else the recording ended when the file was written; else now.
	const startedAt =
		startFromFile(name, text) ??
		(fileModifiedAt !== undefined && fileModifiedAt < now ? fileModifiedAt - acc : now);
	const session: SessionRow = {
		id: crypto.randomUUID(),
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
		summary: summarize(series),
		updatedAt: now
	};
	const db = getDb();
	const CHUNK = 512;
	await db.transaction('rw', db.sessions, db.beatChunks, async () => {
		await db.sessions.add(session);
		for (let seq = 0; seq * CHUNK < rrMs.length; seq++) {
			const beats = [];
			for (let i = seq * CHUNK; i < Math.min(rrMs.length, (seq + 1) * CHUNK); i++)
				beats.push({ timeMs: timeMs[i], rrMs: rrMs[i], flags: flags[i] });
			await db.beatChunks.put(packChunk(session.id, seq, beats));
		}
	});
	return { ok: true, session };
}
