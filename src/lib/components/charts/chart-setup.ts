/**
 * Chart.js, tree-shaken: only the pieces Settle's charts use are registered (never chart.js/auto).
 * Loaded on demand (loadCharts) so no page pays for Chart.js before it draws a chart.
 */
import {
	Chart,
	Decimation,
	Filler,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip,
	Legend,
	type ChartConfiguration,
	type ChartType
} from 'chart.js';

Chart.register(
	Decimation,
	LineController,
	LineElement,
	PointElement,
	LinearScale,
	Filler,
	Tooltip,
	Legend
);

export function makeChart<T extends ChartType>(
	canvas: HTMLCanvasElement,
	config: ChartConfiguration<T>
): Chart<T> {
	return new Chart(canvas, config);
}

export { Chart };
