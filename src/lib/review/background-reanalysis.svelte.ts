import { ANALYSIS_VERSION } from './analysis-version';

/**
 * Runs reanalyzeStaleSessions once per app load, a moment after start-up and never during a
 * recording, with its progress as state. The engine loads on demand, so no page's first download
 * carries it for this.
 */
export class BackgroundReanalysis {
	progress = $state<{ done: number; total: number } | undefined>();

	/** Starts after `delayMs` unless `recording()`; returns the function that stops it. */
	start(recording: () => boolean, delayMs = 1500): () => void {
		let stopped = false;
		const timer = setTimeout(async () => {
			if (recording()) return;
			try {
				// Whether any summary is stale is read first: the engine (a long task to load and
				// start, a second at a slow phone's pace) is fetched only when one is.
				const { sessionsWithStaleSummary } = await import('$lib/db');
				if ((await sessionsWithStaleSummary(ANALYSIS_VERSION)).length === 0) return;
				if (stopped || recording()) return;
				const { reanalyzeStaleSessions } = await import('./reanalyze');
				await reanalyzeStaleSessions({
					onProgress: (done, total) => (this.progress = { done, total }),
					shouldStop: () => stopped || recording(),
					yieldBetween: () => new Promise((r) => setTimeout(r, 50))
				});
			} catch (err) {
				console.warn('Re-analysing older sessions failed; they keep their older figures.', err);
			} finally {
				this.progress = undefined;
			}
		}, delayMs);
		return () => {
			stopped = true;
			clearTimeout(timer);
		};
	}
}
