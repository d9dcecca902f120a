/**
 * Only one tab records at a time. The recording tab holds a Web Lock for the life of the
 * recording (released by the browser if the tab dies) and tells other tabs over a
 * BroadcastChannel; where locks are missing, recording is allowed (one tab is the norm there).
 */
const LOCK = 'settle-recording';
const CHANNEL = 'settle-tabs';

export interface RecordingLock {
	release(): void;
}

export async function acquireRecordingLock(): Promise<RecordingLock | null> {
	const channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(CHANNEL) : null;
	const announce = (recording: boolean) => channel?.postMessage({ recording });
	if (typeof navigator === 'undefined' || !navigator.locks) {
		announce(true);
		return {
			release() {
				announce(false);
				channel?.close();
			}
		};
	}
	let release!: () => void;
	const held = new Promise<void>((r) => (release = r));
	let released!: Promise<unknown>;
	const got = await new Promise<boolean>((resolve) => {
		released = navigator.locks.request(LOCK, { ifAvailable: true }, async (lock) => {
			resolve(lock !== null);
			if (lock) await held;
		});
	});
	if (!got) {
		channel?.close();
		return null;
	}
	announce(true);
	return {
		release() {
			release();
			// Announce only once the lock is really free: a tab that hears "stopped" and asks the
			// lock manager at once must not still find it held (and keep saying another tab records).
			void released.then(() => {
				announce(false);
				channel?.close();
			});
		}
	};
}

/** Whether another tab holds the recording lock right now. */
export async function otherTabRecording(): Promise<boolean> {
	if (typeof navigator === 'undefined' || !navigator.locks) return false;
	const state = await navigator.locks.query();
	return (state.held ?? []).some((l) => l.name === LOCK);
}

/** Calls back when another tab starts or stops recording. Returns a stop function. */
export function watchOtherTabs(cb: (recording: boolean) => void): () => void {
	if (typeof BroadcastChannel === 'undefined') return () => undefined;
	const channel = new BroadcastChannel(CHANNEL);
	channel.onmessage = (e) => cb(Boolean(e.data?.recording));
	return () => channel.close();
}
