/**
 * Reading a file in slices. Every reader here is a generator that pauses (`yield`) every thousand
 * lines or values or so; `runSync` runs one straight through (the CLI, tests), `runInSlices` gives
 * the page a turn between slices of about 30 ms, so an import never blocks it for long and Cancel
 * is answered after the slice under way (a file read within one slice is read whole). A pause
 * costs a generator step, not a task: the driver decides when a slice has run long enough.
 */
import { nextTask } from '../../next-task';

/** A reader that pauses now and then, returning T at the end. */
export type Sliced<T> = Generator<void, T, void>;

/** Runs a reader to its end at once. */
export function runSync<T>(reader: Sliced<T>): T {
	for (;;) {
		const step = reader.next();
		if (step.done) return step.value;
	}
}

export interface SliceOptions {
	/** Stops between slices: the promise rejects with the signal's reason (an AbortError). */
	signal?: AbortSignal;
	/** Longest a slice runs before the page gets a turn; 30 ms by default. */
	sliceMs?: number;
}

export const SLICE_MS = 30;

const now = () => performance.now();

/**
 * Runs a reader, giving the page a turn whenever a slice has run `sliceMs`. The signal is looked
 * at after each turn (when a Cancel click can have been handled): a reader done within its first
 * slice runs to its end.
 */
export async function runInSlices<T>(reader: Sliced<T>, options: SliceOptions = {}): Promise<T> {
	const sliceMs = options.sliceMs ?? SLICE_MS;
	let start = now();
	for (;;) {
		const step = reader.next();
		if (step.done) return step.value;
		if (now() - start >= sliceMs) {
			await nextTask();
			options.signal?.throwIfAborted();
			start = now();
		}
	}
}
