/**
 * Keeps the screen on while a session runs (Screen Wake Lock API). The browser drops the lock when
 * the page is hidden, so it is asked for again when the page becomes visible.
 */
export interface WakeLockHandle {
	release(): void;
	readonly supported: boolean;
}

export function keepScreenOn(onChange?: (held: boolean) => void): WakeLockHandle {
	const supported = typeof navigator !== 'undefined' && 'wakeLock' in navigator;
	let sentinel: WakeLockSentinel | undefined;
	let active = true;

	async function acquire() {
		if (!supported || !active || document.visibilityState !== 'visible') return;
		try {
			sentinel = await navigator.wakeLock.request('screen');
			onChange?.(true);
			sentinel.addEventListener('release', () => onChange?.(false));
		} catch {
			// Denied (battery saver, policy): the session runs anyway.
			onChange?.(false);
		}
	}
	const onVisible = () => {
		if (document.visibilityState === 'visible') void acquire();
	};
	if (supported) {
		document.addEventListener('visibilitychange', onVisible);
		void acquire();
	}
	return {
		supported,
		release() {
			active = false;
			document.removeEventListener('visibilitychange', onVisible);
			void sentinel?.release().catch(() => undefined);
			sentinel = undefined;
		}
	};
}
