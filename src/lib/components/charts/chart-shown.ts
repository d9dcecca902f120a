/**
 * Each chart's first frame on screen, marked in the browser's performance timeline (DevTools,
 * benchmarks): a benchmark reads these marks from a tab that no test tool watched as it loaded.
 */
export const CHART_SHOWN = 'Settle: chart shown';

/** Marks CHART_SHOWN as the next frame starts: the one that shows a chart just drawn. */
export function markShownNextFrame(): void {
	requestAnimationFrame(() => {
		try {
			performance.mark(CHART_SHOWN);
		} catch {
			// No user timing here: nothing to show it to.
		}
	});
}
