/**
 * What the Practise page shows of a running experiment, loaded after the page itself: the page's
 * first download stays within its budget (tests/e2e/budget.e2e.ts), and the card appears a moment
 * later, long before a session can start.
 */
export { ExperimentToday } from './today-state.svelte';
export { default as ExperimentTodayCard } from '$lib/components/experiment/ExperimentTodayCard.svelte';
