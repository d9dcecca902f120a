// Runs the end-to-end tests: finds Chromium, builds the app, runs the Vitest `e2e` project.
// Without Chromium the tests are skipped with one line, except under CI=true where that fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
	const msg = `No Chromium at ${chromium}: install it with "sudo apt-get install -y chromium" or set CHROMIUM_PATH.`;
	if (process.env.CI === 'true') {
		console.error(`End-to-end tests cannot run. ${msg}`);
		process.exit(1);
	}
	console.log(`Skipping the end-to-end tests. ${msg}`);
	process.exit(0);
}

const run = (args) => spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1;

const built = run(['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']);
if (built !== 0) process.exit(built);
process.exit(
	run(['node_modules/vitest/vitest.mjs', 'run', '--project', 'e2e', ...process.argv.slice(2)])
);
