/**
 * `npm run analyze`: runs the built command (dist/cli/analyze.mjs), building it first when it is
 * missing or older than its sources (see bundle.js). Plain JavaScript, so Node runs it as is.
 */
import { pathToFileURL } from 'node:url';
import { ensureBundle } from './bundle.js';

let bundle;
try {
	bundle = await ensureBundle();
} catch (err) {
	console.error(
		`The analyze command could not be built: ${err instanceof Error ? err.message : err}`
	);
	process.exit(2);
}
// The bundle reads process.argv itself and sets the exit code.
await import(pathToFileURL(bundle).href);
