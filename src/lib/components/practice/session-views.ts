/**
 * What a session shows, the live dashboard and the summary after it, fetched once each when the
 * session is near (a strap connected; the session ended) rather than with the Practise page: the
 * page's first JavaScript stays within its budget (tests/e2e/budget.e2e.ts).
 */
let dashboard: Promise<typeof import('./LiveDashboard.svelte')> | undefined;
let summary: Promise<typeof import('./LoadedSessionSummary.svelte')> | undefined;

export const liveDashboard = () => (dashboard ??= import('./LiveDashboard.svelte'));
export const sessionSummary = () => (summary ??= import('./LoadedSessionSummary.svelte'));
