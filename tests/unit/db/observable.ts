/** The first answer a watched query gives (finishedSessions, or any with the same subscribe). */
import type { Watch, Watcher } from '$lib/db/finished-sessions';

export function firstValueFrom<T>(o: { subscribe(w: Watcher<T>): Watch }): Promise<T> {
	return new Promise((resolve, reject) => {
		const sub = o.subscribe({
			next: (v) => {
				resolve(v);
				queueMicrotask(() => sub.unsubscribe());
			},
			error: reject
		});
	});
}
