/**
 * The finished sessions, live from the database, for a page: call during component set-up; the
 * subscription ends with the component. `rows` stays undefined until the first answer.
 */
import type { SessionRow } from '$lib/db';
import { finishedSessions } from '$lib/db/finished-sessions';

export class SavedSessions {
	// Raw: rows are replaced whole, and Chart.js must not see proxies of them.
	rows = $state.raw<SessionRow[] | undefined>();
	error = $state<string | undefined>();

	constructor() {
		$effect(() => {
			const sub = finishedSessions().subscribe({
				next: (rows) => (this.rows = rows),
				error: (err) => (this.error = `Sessions could not be read: ${String(err)}`)
			});
			return () => sub.unsubscribe();
		});
	}
}
