/**
 * Main-thread cost of handling beats, measured in the running app: the recorder's own work per
 * beat (parsing aside: timeline, live analysis, chart data), and apart from it the Chart.js
 * redraws it triggers (which include rasterizing the canvas, i.e. paint work).
 * Exposed read-only on `globalThis.settleBeatCost` for the end-to-end test and curious users.
 */
interface Batch {
	logicMs: number;
	chartMs: number;
	beats: number;
}

function stats(values: number[]) {
	const s = [...values].sort((a, b) => a - b);
	return {
		meanMs: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length),
		p95Ms: s[Math.floor(0.95 * (s.length - 1))] ?? 0,
		maxMs: s[s.length - 1] ?? 0
	};
}

export class BeatCost {
	private batches: Batch[] = [];
	beats = 0;

	record(ms: number, beats: number): void {
		this.batches.push({ logicMs: ms, chartMs: 0, beats: Math.max(1, beats) });
		this.beats += beats;
		if (this.batches.length > 5000) this.batches.splice(0, 1000);
	}

	/** Adds a chart redraw caused by the latest batch. */
	addChart(ms: number): void {
		const last = this.batches[this.batches.length - 1];
		if (last) last.chartMs += ms;
	}

	summary() {
		return {
			beats: this.beats,
			logic: stats(this.batches.map((b) => b.logicMs / b.beats)),
			charts: stats(this.batches.map((b) => b.chartMs / b.beats))
		};
	}
}

export const beatCost = new BeatCost();
if (typeof globalThis !== 'undefined') {
	(globalThis as { settleBeatCost?: BeatCost }).settleBeatCost = beatCost;
}
