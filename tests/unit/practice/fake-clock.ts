import type { FlowClock } from '$lib/practice/practice-flow.svelte';

/** A clock for the flows' timers: time moves only when a test advances it, in 250 ms ticks. */
export function fakeClock(start = 1_000_000) {
	let now = start;
	let fn: (() => void) | undefined;
	const clock: FlowClock = {
		now: () => now,
		setInterval: (f) => {
			fn = f;
			return 1 as unknown as ReturnType<typeof setInterval>;
		},
		clearInterval: () => (fn = undefined)
	};
	/** Advances time tick by tick, as the real interval would, then lets promise chains settle. */
	const advance = async (ms: number) => {
		for (let t = 0; t < ms; t += 250) {
			now += 250;
			fn?.();
		}
		for (let i = 0; i < 5; i++) await Promise.resolve();
	};
	return { clock, advance, running: () => fn !== undefined };
}
