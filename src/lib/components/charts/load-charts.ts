/**
 * Chart.js is most of a page's JavaScript: it is fetched when the first chart mounts, not with the
 * page, which keeps the initial download inside the budget (see tests/e2e/budget.e2e.ts).
 *
 * The built app loads it as a classic script (see chartsAsClassicScript in vite.config.ts), whose
 * compiled code the browser keeps between visits; the dev server, as a module.
 */
import chartsScript from 'virtual:charts-script';

type ChartSetup = typeof import('./chart-setup');

declare global {
	/** What the classic script defines: chart-setup.ts's exports. */
	var __settleCharts: ChartSetup | undefined;
}

let pending: Promise<ChartSetup> | undefined;

function loadScript(src: string): Promise<ChartSetup> {
	return new Promise((resolve, reject) => {
		const script = document.createElement('script');
		script.src = src;
		script.onload = () => resolve(globalThis.__settleCharts!);
		script.onerror = () => {
			script.remove();
			reject(new Error(`Charts did not load: ${src}`));
		};
		document.head.append(script);
	});
}

/**
 * Chart.js, loaded once. If it fails to load (offline before the app was kept, say), the charts
 * waiting for it say so, and the next chart to mount tries again; pages that only start it early
 * need not handle the failure.
 */
export function loadCharts(): Promise<ChartSetup> {
	if (!pending) {
		// DEV is a constant, so a build leaves the module import out (and the script is always there).
		const loading = import.meta.env.DEV ? import('./chart-setup') : loadScript(chartsScript!);
		loading.catch(() => {
			if (pending === loading) pending = undefined;
		});
		pending = loading;
	}
	return pending;
}
