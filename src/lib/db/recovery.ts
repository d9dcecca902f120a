/**
 * Sessions left unfinished (tab killed, browser crashed, phone died): found at the next start and
 * either finished from what was saved or resumed. At most the last few seconds are missing: the
 * recorder writes a chunk at least every 5 s and whenever the page is hidden.
 */
import { getDb } from './db';
import { isSound, isSoundChunk } from './integrity';
import { unpackChunks, type BeatSeries } from './beats';
import type { SessionRow, SessionSummary } from './schema';

export interface ResumeInfo {
	session: SessionRow;
	nextSeq: number;
	lastTimeMs: number;
	/** The beats saved before the interruption: the resumed session's figures include them. */
	saved: BeatSeries;
}

export async function resumeInfo(sessionId: string): Promise<ResumeInfo | undefined> {
	const db = await getDb();
	const session = await db.sessions.get(sessionId);
	if (!isSound(session)) return undefined;
	const chunks = await db.beatChunks.where('sessionId').equals(sessionId).toArray();
	const series = unpackChunks(chunks.filter(isSoundChunk));
	return {
		session,
		// Past every stored chunk, damaged ones too, so no key is written twice.
		nextSeq: chunks.reduce((m, c) => (Number.isFinite(c.seq) ? Math.max(m, c.seq + 1) : m), 0),
		lastTimeMs: series.timeMs.length ? series.timeMs[series.timeMs.length - 1] : 0,
		saved: series
	};
}

/**
 * Finishes an interrupted session from its saved chunks; `summarize` computes its figures. Their
 * times stay as placed live (late by the first packet's latency, up to about 1 s): the correction
 * the recorder applies when a session is saved (BeatTimeline, beat-correction.ts) was never stored.
 */
export async function finishRecovered(
	sessionId: string,
	summarize: (series: BeatSeries) => SessionSummary
): Promise<void> {
	const db = await getDb();
	await db.transaction('rw', db.sessions, db.beatChunks, async () => {
		const chunks = await db.beatChunks.where('sessionId').equals(sessionId).toArray();
		const series = unpackChunks(chunks.filter(isSoundChunk));
		const last = series.timeMs.length ? series.timeMs[series.timeMs.length - 1] : 0;
		await db.sessions.update(sessionId, {
			status: 'finished',
			recovered: true,
			beatCount: series.rrMs.length,
			durationMs: last,
			endedAt: Date.now(),
			summary: summarize(series),
			updatedAt: Date.now()
		});
	});
}
