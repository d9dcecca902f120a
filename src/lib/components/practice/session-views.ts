/**
 * What a session shows, the live dashboard and the summary after it, fetched once each when the
 * session is near (a strap connected; the session ended) rather than with the Practise page: the
 * page's first JavaScript stays within its budget (tests/e2e/budget.e2e.ts). A fetch that failed
 * (offline before the app was kept) is forgotten, so asking again tries again.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
	let pending: Promise<T> | undefined;
	return () =>
		(pending ??= load().catch((err: unknown) => {
			pending = undefined;
			throw err;
		}));
}

export const liveDashboard = once(() => import('./LiveDashboard.svelte'));
export const sessionSummary = once(() => import('./LoadedSessionSummary.svelte'));
