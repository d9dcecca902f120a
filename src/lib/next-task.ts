/** A new task, for code that must let the page (or the event being dispatched) finish first. */
interface Scheduler {
	yield?: () => Promise<void>;
}

let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

/**
 * Resolves in a new task, after what the page has waiting (input, a frame): `scheduler.yield`
 * where there is one, else a message to ourselves (not setTimeout, which waits 4 ms once nested
 * and a second in a hidden tab); in Node, setImmediate (its messages can come one after another
 * without the timers' turn).
 */
export function nextTask(): Promise<void> {
	const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
	if (typeof scheduler?.yield === 'function') return scheduler.yield();
	const immediate = (globalThis as { setImmediate?: (f: () => void) => void }).setImmediate;
	if (typeof immediate === 'function') return new Promise((resolve) => immediate(resolve));
	if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
	if (!channel) {
		channel = new MessageChannel();
		channel.port1.onmessage = () => waiting.shift()?.();
	}
	return new Promise((resolve) => {
		waiting.push(resolve);
		channel!.port2.postMessage(0);
	});
}
