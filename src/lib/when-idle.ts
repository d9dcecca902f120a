/**
 * Runs `fn` when the main thread is next idle, at the latest after `timeoutMs`; where there are no
 * idle callbacks (Safari, Node), after `fallbackMs`. Returns a function that cancels it.
 */
export function whenIdle(fn: () => void, timeoutMs: number, fallbackMs = 0): () => void {
	if (typeof requestIdleCallback !== 'function') {
		const id = setTimeout(fn, fallbackMs);
		return () => clearTimeout(id);
	}
	const id = requestIdleCallback(() => fn(), { timeout: timeoutMs });
	return () => cancelIdleCallback(id);
}
