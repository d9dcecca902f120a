/**
 * What the browser benchmarks share: building the app once before measuring it, and how a
 * series of timings is summed up (median of the runs, with the spread).
 */
import { spawnSync } from 'node:child_process';

/** Builds the app (build/) or ends the process with the build's exit code. */
export function buildApp(): void {
	const built = spawnSync(
		process.execPath,
		['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'],
		{ stdio: 'inherit' }
	);
	if (built.status !== 0) process.exit(built.status ?? 1);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** "median 270 ms (min 240, max 310)" */
export const fmt = (xs: number[]) =>
	`median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
