/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline app shell: every built file and static asset is cached at install, so Settle opens and
 * records with no network after the first visit. A new version waits until the person accepts it
 * (never in the middle of a recording).
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
/** The app's own folder: / or, on a host that serves it below the root, for example /settle/. */
const SHELL = new URL('./', sw.registration.scope).pathname;
// Caches belong to the whole origin, which a host may share between sites (every project page of
// a GitHub account is on name.github.io): this copy's caches are named after its folder, and it
// clears only its own old versions. ("#" ends the folder: no path has one, so the root's copy
// never takes /settle/'s caches for its own.)
const PREFIX = `settle-${SHELL}#`;
const CACHE = `${PREFIX}${version}`;
/** A cache of a version named before the folder was part of the name (always served at the root). */
const isUnscopedOldCache = (key: string) => SHELL === '/' && /^settle-[^/]+$/.test(key);
// settle-sync.json is asked of the network each time: Settle's own server answers it, not the build.
const ASSETS = [...build, ...files.filter((f) => !f.endsWith('/settle-sync.json')), SHELL];

/** The Service Worker Static Routing API (Chromium 123+), not yet in TypeScript's lib. */
interface StaticRoutes {
	addRoutes?(
		rules: { condition: { urlPattern: string }; source: { cacheName: string } }[]
	): Promise<void>;
}

sw.addEventListener('install', (event) => {
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)));
	// The built files never change under their names: the browser takes them from this version's
	// cache itself, without starting this worker for each (about 30 requests when a page opens).
	// Where routes are not supported, the fetch handler below serves them from the same cache.
	const routes = event as ExtendableEvent & StaticRoutes;
	if (routes.addRoutes)
		event.waitUntil(
			routes
				.addRoutes([
					{ condition: { urlPattern: `${SHELL}_app/immutable/*` }, source: { cacheName: CACHE } }
				])
				.catch(() => undefined)
		);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(
					keys
						.filter((k) => k !== CACHE && (k.startsWith(PREFIX) || isUnscopedOldCache(k)))
						.map((k) => caches.delete(k))
				)
			)
	);
});

sw.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	event.respondWith(
		(async () => {
			// Navigations go to the network first (the cache is not even opened before the request
			// leaves): the page served for an address also names the files of its route, so they
			// load at once. Offline, every route gets the cached shell (the same single page; its
			// asset paths are absolute, so it works at any depth).
			if (request.mode === 'navigate') {
				try {
					return await fetch(request);
				} catch {
					return (await caches.match(SHELL, { cacheName: CACHE })) ?? Response.error();
				}
			}
			const hit = await caches.match(url.pathname, { cacheName: CACHE });
			return hit ?? fetch(request);
		})()
	);
});
