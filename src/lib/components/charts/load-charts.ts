/**
 * Chart.js is most of a page's JavaScript: it is fetched when the first chart mounts, not with the
 * page, which keeps the initial download inside the budget (see tests/e2e/budget.e2e.ts).
 */
type ChartSetup = typeof import('./chart-setup');

let pending: Promise<ChartSetup> | undefined;

export function loadCharts(): Promise<ChartSetup> {
	pending ??= import('./chart-setup');
	return pending;
}
