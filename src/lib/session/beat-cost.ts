/**
 * Main-thread cost of handling beats (recorder work plus the chart updates it triggers), measured in
 * the running app so the per-beat budget (< 1 ms excluding paint) can be checked end to end.
 * Exposed read-only on `globalThis.settleBeatCost` for the end-to-end test and for curious users.
 */
export class BeatCost {
	private samples: number[] = [];
	beats = 0;

	record(ms: number, beats: number): void {
		this.samples.push(ms / Math.max(1, beats));
		this.beats += beats;
		if (this.samples.length > 5000) this.samples.splice(0, 1000);
	}

	/** Adds time spent elsewhere for the most recent beats (e.g. a chart redraw). */
	addToLast(ms: number): void {
		if (this.samples.length > 0) this.samples[this.samples.length - 1] += ms;
	}

	summary(): { beats: number; meanMs: number; p95Ms: number; maxMs: number } {
		const s = [...this.samples].sort((a, b) => a - b);
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
