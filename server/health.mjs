/**
 * GET /health: whether the server is well, for a person's browser, a monitor or a proxy's health
 * check. Counts and the state of its storage only: no token, no document names (they are keyed
 * hashes, but still the shape of someone's history), no addresses.
 */
import { docs } from '@y/websocket-server/utils';

/**
 * @typedef {{ failing: () => string | undefined, lowDisk: () => boolean }} StorageState
 * @param {{ connections: () => number, storage?: StorageState, startedAt?: number }} source
 */
export function healthReport({ connections, storage, startedAt = Date.now() }) {
	return () => {
		const failing = storage?.failing();
		const lowDisk = storage?.lowDisk() ?? false;
		return {
			// How the app knows it is served by a Settle server (src/lib/sync/same-origin.ts).
			service: 'settle-sync',
			ok: !failing && !lowDisk,
			uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
			docs: docs.size,
			connections: connections(),
			storage: !storage ? 'memory' : failing ? 'failing' : lowDisk ? 'disk nearly full' : 'ok',
			...(failing ? { storageError: failing } : {}),
			memoryMB: Math.round(process.memoryUsage().rss / 1e5) / 10
		};
	};
}

/**
 * Answers /health and /settle-sync.json (503 while storage fails, so a monitor notices); false for
 * any other path.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {() => { ok: boolean }} report
 */
export function answerHealth(req, res, report) {
	const path = new URL(req.url ?? '/', 'http://server').pathname;
	// The app asks for settle-sync.json beside its pages (src/lib/sync/same-origin.ts): a static
	// host answers with the build's own file, "no sync here"; this server with its state.
	if (path !== '/health' && path !== '/settle-sync.json') return false;
	if (req.method !== 'GET' && req.method !== 'HEAD') return false;
	const body = report();
	res.writeHead(body.ok ? 200 : 503, {
		'Content-Type': 'application/json',
		'Cache-Control': 'no-store'
	});
	res.end(JSON.stringify(body) + '\n');
	return true;
}
