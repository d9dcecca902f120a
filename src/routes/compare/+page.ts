import { loadCharts } from '$lib/components/charts/load-charts';
import { readSessionsEarly } from '$lib/review/history-rows.svelte';

// Runs before the page is built (and on hovering a link to it): start reading and fetching now.
export function load(): void {
	readSessionsEarly();
	void loadCharts();
}
