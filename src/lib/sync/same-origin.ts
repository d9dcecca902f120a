/**
 * When the app is served by Settle's own server (npm run serve), sync is on the same origin under
 * /sync: the Your data page fills that address in, so a phone needs only the one https address.
 * Any other host (a static host, vite preview) has no Settle /health there, and nothing is filled.
 */

/** Where the server answers with its state (server/health.mjs) and how it names itself. */
export const HEALTH_PATH = '/health';
export const SERVICE = 'settle-sync';
export const SYNC_PATH = '/sync';

/** The WebSocket address of sync on this origin: https → wss, http → ws. */
export function syncAddressOf(origin: string): string {
	const url = new URL(origin);
	return `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}${SYNC_PATH}`;
}

/**
 * The same origin's sync address if this origin is a Settle server, else undefined (never throws:
 * offline, or another host, simply fills nothing).
 */
export async function sameOriginSync(
	origin: string,
	fetcher: typeof fetch = fetch
): Promise<string | undefined> {
	try {
		const res = await fetcher(new URL(HEALTH_PATH, origin), {
			cache: 'no-store',
			signal: AbortSignal.timeout(3000)
		});
		// 503 is a Settle server whose storage is in trouble: still the right address.
		if (!res.ok && res.status !== 503) return undefined;
		const body: unknown = await res.json();
		if ((body as { service?: unknown } | null)?.service !== SERVICE) return undefined;
		return syncAddressOf(origin);
	} catch {
		return undefined;
	}
}
