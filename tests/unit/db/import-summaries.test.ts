/**
 * The import's analysis in a Web Worker (src/lib/data/import-summaries.ts), with a stand-in for the
 * browser's Worker: each summary comes back for its own request; a worker that fails to load has
 * what it was given computed on the page's thread instead; ending the import abandons the rest.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportSummaries } from '$lib/data/import-summaries';
import type { BeatSeries } from '$lib/db/beats';
import { computeSummary } from '$lib/review/summary';

function series(n: number, rr = 800): BeatSeries {
	const rrMs = new Float64Array(n).fill(rr).map((v, i) => v + 30 * Math.sin(i / 3));
	const timeMs = new Float64Array(n);
	for (let i = 0, t = 0; i < n; i++) timeMs[i] = t += rrMs[i];
	return { rrMs, timeMs, flags: new Uint8Array(n) };
}

/** A Worker that answers in a later task, like the real one (or fails to load). */
class FakeWorker {
	static failing = false;
	static made = 0;
	onmessage: ((e: { data: unknown }) => void) | null = null;
	onerror: ((e: { preventDefault(): void }) => void) | null = null;
	terminated = false;
	constructor() {
		FakeWorker.made++;
	}
	postMessage(data: { id: number; series: BeatSeries }): void {
		setTimeout(() => {
			if (this.terminated) return;
			if (FakeWorker.failing) this.onerror?.({ preventDefault() {} });
			else this.onmessage?.({ data: { id: data.id, summary: computeSummary(data.series) } });
		}, 10);
	}
	terminate(): void {
		this.terminated = true;
	}
}

afterEach(() => {
	vi.unstubAllGlobals();
	FakeWorker.failing = false;
	FakeWorker.made = 0;
});

describe('summaries of imported recordings', () => {
	it('are computed here where there is no worker', async () => {
		const s = series(300);
		expect(await new ImportSummaries().summarize(s)).toEqual(computeSummary(s));
	});

	it('come from one worker, each for its own recording', async () => {
		vi.stubGlobal('Worker', FakeWorker);
		const summaries = new ImportSummaries();
		const [a, b] = [series(300, 700), series(300, 1000)];
		const got = await Promise.all([summaries.summarize(a), summaries.summarize(b)]);
		expect(got).toEqual([computeSummary(a), computeSummary(b)]);
		expect(FakeWorker.made).toBe(1);
		summaries.close();
	});

	it('are computed here when the worker fails to load', async () => {
		vi.stubGlobal('Worker', FakeWorker);
		FakeWorker.failing = true;
		const summaries = new ImportSummaries();
		const s = series(300);
		expect(await summaries.summarize(s)).toEqual(computeSummary(s));
		expect(await summaries.summarize(s)).toEqual(computeSummary(s));
		expect(FakeWorker.made).toBe(1);
	});

	it('are abandoned when the import ends', async () => {
		vi.stubGlobal('Worker', FakeWorker);
		const summaries = new ImportSummaries();
		const pending = summaries.summarize(series(300));
		summaries.close();
		await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
		await expect(summaries.summarize(series(300))).rejects.toMatchObject({ name: 'AbortError' });
	});
});
