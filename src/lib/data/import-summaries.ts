/**
 * Summaries of imported recordings, computed in a Web Worker (import-summary.worker.ts) so the
 * page keeps answering while a day of beats is analysed. Where no worker can run (Node, or the
 * worker's file failed to load) the summary is computed here instead: slower for the page, never
 * wrong. One worker per import, ended with it (a cancelled import ends the analysis under way).
 */
import type { BeatSeries } from '$lib/db/beats';
import type { SessionSummary } from '$lib/db';
import { computeSummary } from '$lib/review/summary';
import type { SummaryAnswer, SummaryRequest } from './import-summary.worker';

interface Pending {
	series: BeatSeries;
	resolve: (s: SessionSummary) => void;
	reject: (err: unknown) => void;
}

export class ImportSummaries {
	private worker: Worker | undefined;
	/** No worker here, or it failed to start: summaries are computed on this thread. */
	private inline = typeof Worker !== 'function';
	private readonly pending = new Map<number, Pending>();
	private nextId = 0;
	private closed = false;

	private start(): Worker | undefined {
		if (this.inline) return undefined;
		if (this.worker) return this.worker;
		try {
			const worker = new Worker(new URL('./import-summary.worker.ts', import.meta.url), {
				type: 'module'
			});
			worker.onmessage = (e: MessageEvent<SummaryAnswer>) => {
				const p = this.pending.get(e.data.id);
				if (!p) return;
				this.pending.delete(e.data.id);
				if ('summary' in e.data) p.resolve(e.data.summary);
				else p.reject(new Error(e.data.error));
			};
			// The worker's file did not load (or it died): what it was given is computed here.
			worker.onerror = (e) => {
				e.preventDefault();
				this.fallBack();
			};
			this.worker = worker;
			return worker;
		} catch {
			this.inline = true;
			return undefined;
		}
	}

	private fallBack(): void {
		this.inline = true;
		this.worker?.terminate();
		this.worker = undefined;
		const waiting = [...this.pending.values()];
		this.pending.clear();
		for (const p of waiting) {
			try {
				p.resolve(computeSummary(p.series));
			} catch (err) {
				p.reject(err);
			}
		}
	}

	/** Starts the worker now, so that it has loaded by the time the first file has been read. */
	warm(): void {
		if (!this.closed) this.start();
	}

	/** The summary of a session's beats (computed in the worker when there is one). */
	summarize = (series: BeatSeries): Promise<SessionSummary> => {
		if (this.closed) return Promise.reject(new DOMException('The import ended', 'AbortError'));
		const worker = this.start();
		if (!worker) return Promise.resolve().then(() => computeSummary(series));
		return new Promise<SessionSummary>((resolve, reject) => {
			const id = this.nextId++;
			this.pending.set(id, { series, resolve, reject });
			worker.postMessage({ id, series } satisfies SummaryRequest);
		});
	};

	/** Ends the worker; a summary still being computed is abandoned (its promise rejects). */
	close(): void {
		this.closed = true;
		this.worker?.terminate();
		this.worker = undefined;
		for (const p of this.pending.values())
			p.reject(new DOMException('The import ended', 'AbortError'));
		this.pending.clear();
	}
}
