/**
 * When the app is served by Settle's own server (npm run serve), sync is on the same origin under
 * /sync: the Your data page fills that address in, so a phone needs only the one https address.
 *
 * The app asks for a file of its own, `settle-sync.json` beside its pages: the build ships it
 * saying "no sync here" (static/settle-sync.json), and Settle's server answers it with its state
 * instead (server/health.mjs). So no host answers the question with a 404, which the browser
 * would log as an error on every visit to Your data.
 */

/** The file the app asks (relative to its own folder), and how Settle's server names itself. */
export const SYNC_HERE_FILE = 'settle-sync.json';
export const SERVICE = 'settle-sync';
export const SYNC_PATH = '/sync';

/** The WebSocket address of sync on this origin: https → wss, http → ws. */
export function syncAddressOf(origin: string): string {
	const url = new URL(origin);
	return `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}${SYNC_PATH}`;
}

/**
 * The same origin's sync address if the app at `appUrl` (its folder, ending in "/") is served by a
 * Settle server, else undefined (never throws: offline, or another host, simply fills nothing).
 */
export async function sameOriginSync(
	appUrl: string,
	fetcher: typeof fetch = fetch
): Promise<string | undefined> {
	try {
		const res = await fetcher(new URL(SYNC_HERE_FILE, appUrl), {
			cache: 'no-store',
			signal: AbortSignal.timeout(3000)
		});
		// 503 is a Settle server whose storage is in trouble: still the right address.
		if (!res.ok && res.status !== 503) return undefined;
		const body: unknown = await res.json();
		if ((body as { service?: unknown } | null)?.service !== SERVICE) return undefined;
		return syncAddressOf(new URL(appUrl).origin);
	} catch {
		return undefined;
	}
}
