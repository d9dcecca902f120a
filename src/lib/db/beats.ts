/** Packing beats into the compact chunk rows the database holds, and back. */
import type { BeatChunkRow } from './schema';

export interface StoredBeat {
	timeMs: number;
	rrMs: number;
	flags: number;
}

export function packChunk(
	sessionId: string,
	seq: number,
	beats: readonly StoredBeat[]
): BeatChunkRow {
	const t0Ms = beats.length > 0 ? beats[0].timeMs : 0;
	const rrMs = new Float64Array(beats.length);
	const offsetMs = new Float32Array(beats.length);
	const flags = new Uint8Array(beats.length);
	beats.forEach((b, i) => {
		rrMs[i] = b.rrMs;
		offsetMs[i] = b.timeMs - t0Ms;
		flags[i] = b.flags;
	});
	return { sessionId, seq, t0Ms, rrMs, offsetMs, flags };
}

/** Beats of a session in order, as parallel typed arrays (what the analysis takes). */
export interface BeatSeries {
	rrMs: Float64Array;
	timeMs: Float64Array;
	flags: Uint8Array;
}

export function unpackChunks(chunks: readonly BeatChunkRow[]): BeatSeries {
	const sorted = [...chunks].sort((a, b) => a.seq - b.seq);
	const n = sorted.reduce((s, c) => s + c.rrMs.length, 0);
	const out: BeatSeries = {
		rrMs: new Float64Array(n),
		timeMs: new Float64Array(n),
		flags: new Uint8Array(n)
	};
	let k = 0;
	for (const c of sorted) {
		out.rrMs.set(c.rrMs, k);
		out.flags.set(c.flags, k);
		for (let i = 0; i < c.rrMs.length; i++) out.timeMs[k + i] = c.t0Ms + c.offsetMs[i];
		k += c.rrMs.length;
	}
	return out;
}
