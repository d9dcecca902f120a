/**
 * Main-thread cost of handling beats (recorder work plus the chart updates it triggers), measured in
 * the running app so the per-beat budget (< 1 ms excluding paint) can be checked end to end.
 * Exposed read-only on `globalThis.settleBeatCost` for the end-to-end test and for curious users.
 */
export class BeatCost {
	/** One entry per batch of beats handled together: its time and its beat count. */
	private batches: { ms: number; beats: number }[] = [];
	beats = 0;

	record(ms: number, beats: number): void {
		this.batches.push({ ms, beats: Math.max(1, beats) });
		this.beats += beats;
		if (this.batches.length > 5000) this.batches.splice(0, 1000);
	}

	/** Adds time spent elsewhere for the latest batch (a chart redraw it caused). */
	addToLast(ms: number): void {
		const last = this.batches[this.batches.length - 1];
		if (last) last.ms += ms;
	}

	summary(): { beats: number; meanMs: number; p95Ms: number; maxMs: number } {
		const s = this.batches.map((b) => b.ms / b.beats).sort((a, b) => a - b);
		const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
		return {
			beats: this.beats,
			meanMs: mean,
			p95Ms: s[Math.floor(0.95 * (s.length - 1))] ?? 0,
			maxMs: s[s.length - 1] ?? 0
		};
	}
}

export const beatCost = new BeatCost();
if (typeof globalThis !== 'undefined') {
	(globalThis as { settleBeatCost?: BeatCost }).settleBeatCost = beatCost;
}
