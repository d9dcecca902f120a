/**
 * A recording's beat times put right when it is saved (see $lib/strap/beat-timeline). Its own
 * module, loaded when a recording stops: the pages that record need none of it before then.
 */
import { getDb } from './db';
import { isSound, isSoundChunk } from './integrity';

/**
 * Puts a recording's beat times right once the recorder knows them (BeatTimeline.corrections): the
 * beats stored from chunk `fromSeq` on get `timesMs`, in order. With `originShiftMs` the session
 * starts that much earlier (its first beats ended before it started), so every other stored time
 * (earlier chunks, events, assessment steps) moves that much later. One transaction: all or
 * nothing. Throws, changing nothing, when the stored beats are not those the times are for.
 */
export async function retimeBeats(
	sessionId: string,
	fromSeq: number,
	timesMs: ArrayLike<number>,
	originShiftMs = 0
): Promise<void> {
	const db = await getDb();
	await db.transaction('rw', db.sessions, db.beatChunks, db.events, async () => {
		const session = await db.sessions.get(sessionId);
		if (!isSound(session)) throw new Error(`Session ${sessionId} is not stored`);
		const chunks = (await db.beatChunks.where('sessionId').equals(sessionId).toArray()).sort(
			(a, b) => a.seq - b.seq
		);
		const later = chunks.filter((c) => c.seq >= fromSeq);
		const stored = later.reduce((n, c) => n + (isSoundChunk(c) ? c.rrMs.length : NaN), 0);
		if (stored !== timesMs.length) {
			throw new Error(`${timesMs.length} beat times for ${stored} stored beats`);
		}
		let k = 0;
		let lastMs = 0;
		for (const c of chunks) {
			if (!isSoundChunk(c)) continue;
			const n = c.rrMs.length;
			if (c.seq < fromSeq) {
				if (originShiftMs !== 0) await db.beatChunks.put({ ...c, t0Ms: c.t0Ms + originShiftMs });
				if (n > 0) lastMs = Math.max(lastMs, c.t0Ms + originShiftMs + c.offsetMs[n - 1]);
				continue;
			}
			const t0Ms = n > 0 ? timesMs[k] : c.t0Ms;
			const offsetMs = new Float32Array(n);
			for (let i = 0; i < n; i++) offsetMs[i] = timesMs[k + i] - t0Ms;
			k += n;
			if (n > 0) lastMs = Math.max(lastMs, timesMs[k - 1]);
			await db.beatChunks.put({ ...c, t0Ms, offsetMs });
		}
		if (originShiftMs !== 0) {
			await db.events
				.where('sessionId')
				.equals(sessionId)
				.modify((e) => {
					e.startMs += originShiftMs;
					if (e.endMs !== undefined) e.endMs += originShiftMs;
				});
		}
		const assessment = session.assessment && {
			...session.assessment,
			steps: session.assessment.steps.map((s) => ({
				...s,
				startMs: s.startMs + originShiftMs,
				endMs: s.endMs + originShiftMs
			}))
		};
		await db.sessions.update(sessionId, {
			startedAt: session.startedAt - originShiftMs,
			durationMs: lastMs,
			updatedAt: Date.now(),
			...(assessment ? { assessment } : {})
		});
	});
}
