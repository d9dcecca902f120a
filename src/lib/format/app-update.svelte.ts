/**
 * Registers the service worker and tells when a new version is waiting. The page reloads into it
 * only when the person asks, so a recording is never cut short by an update.
 */
import { dev } from '$app/environment';
import { base } from '$app/paths';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

export class AppUpdate {
	available = $state(false);
	private waiting?: ServiceWorker;

	async register(): Promise<void> {
		if (!('serviceWorker' in navigator)) return;
		try {
			// Beside the app's pages, wherever they are served (/settle/ on a project page): its
			// scope is then that folder, and it leaves the rest of a shared origin alone.
			const reg = await navigator.serviceWorker.register(`${base}/service-worker.js`, {
				type: dev ? 'module' : 'classic',
				updateViaCache: 'none'
			});
			const check = () => {
				if (reg.waiting && navigator.serviceWorker.controller) {
					this.waiting = reg.waiting;
					this.available = true;
				}
			};
			check();
			reg.addEventListener('updatefound', () => {
				reg.installing?.addEventListener('statechange', check);
			});
			navigator.serviceWorker.addEventListener('controllerchange', () => location.reload());
			// An installed app may stay open for days: look for a new version hourly and on return.
			setInterval(() => void reg.update().catch(() => undefined), UPDATE_CHECK_MS);
			document.addEventListener('visibilitychange', () => {
				if (document.visibilityState === 'visible') void reg.update().catch(() => undefined);
			});
		} catch {
			// No offline support here (private mode, blocked): the app works online.
		}
	}

	apply(): void {
		this.waiting?.postMessage({ type: 'SKIP_WAITING' });
	}
}

export const appUpdate = new AppUpdate();
