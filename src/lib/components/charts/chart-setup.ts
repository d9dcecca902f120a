/**
 * Chart.js, tree-shaken: only the pieces Settle's charts use are registered (never chart.js/auto).
 */
import {
	Chart,
	Filler,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	ScatterController,
	BarController,
	BarElement,
	Tooltip,
	Legend,
	type ChartConfiguration,
	type ChartType
} from 'chart.js';

Chart.register(
	LineController,
	ScatterController,
	BarController,
	LineElement,
	PointElement,
	BarElement,
	LinearScale,
	Filler,
	Tooltip,
	Legend
);

/** Reads a CSS variable so charts follow the light/dark palette. */
export function cssColor(name: string, fallback: string): string {
	if (typeof document === 'undefined') return fallback;
	const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
	return v || fallback;
}

export function makeChart<T extends ChartType>(
	canvas: HTMLCanvasElement,
	config: ChartConfiguration<T>
): Chart<T> {
	return new Chart(canvas, config);
}

export { Chart };
