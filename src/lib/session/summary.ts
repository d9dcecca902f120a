/**
 * What a finished session shows: computed once from its beats when it ends, stored on the session
 * row (so lists and trends never load beats), and the calm-down curve drawn on the summary.
 */
import { getBeats, getEvents, type SessionSummary } from '$lib/db';
import type { Beat } from '$lib/strap/beat-timeline';

export function computeSummary(beats: readonly Beat[]): SessionSummary {
	const clean = beats.filter((b) => b.flags === 0);
	const meanRr = clean.reduce((s, b) => s + b.rrMs, 0) / Math.max(1, clean.length);
	return {
		meanHr: clean.length > 0 ? 60000 / meanRr : 0,
		correctedPercent: beats.length ? (100 * (beats.length - clean.length)) / beats.length : 0
	};
}

export interface CalmDownCurve {
	hr: { x: number; y: number }[];
	fit: { x: number; y: number }[];
	gaps: { from: number; to: number }[];
}

/** Heart rate in 10 s bins (minutes on x), the gaps, and the fitted decay when there is one. */
export async function loadCalmDownCurve(sessionId: string): Promise<CalmDownCurve> {
	const [series, events] = await Promise.all([getBeats(sessionId), getEvents(sessionId)]);
	const binMs = 10000;
	const bins = new Map<number, { sum: number; n: number }>();
	for (let i = 0; i < series.rrMs.length; i++) {
		if (series.flags[i] !== 0) continue;
		const k = Math.floor(series.timeMs[i] / binMs);
		const b = bins.get(k) ?? { sum: 0, n: 0 };
		b.sum += series.rrMs[i];
		b.n++;
		bins.set(k, b);
	}
	const hr = [...bins.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([k, b]) => ({ x: ((k + 0.5) * binMs) / 60000, y: 60000 / (b.sum / b.n) }));
	const gaps = events
		.filter((e) => e.type === 'gap' && e.endMs !== undefined)
		.map((e) => ({ from: e.startMs / 60000, to: (e.endMs as number) / 60000 }));
	return { hr, fit: [], gaps };
}
