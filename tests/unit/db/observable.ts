/** The first value a Dexie liveQuery observable emits. */
import type { Observable } from 'dexie';

export function firstValueFrom<T>(o: Observable<T>): Promise<T> {
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
