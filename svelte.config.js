import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The Content-Security-Policy hashes of the inline scripts in src/app.html (the early start of a
 * page's work), read from the file itself so an edit there cannot leave a stale hash here.
 */
function appHtmlScriptHashes() {
	const html = readFileSync(new URL('./src/app.html', import.meta.url), 'utf8');
	return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
		([, body]) => `sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`
	);
}

/**
 * The path the app is served under, for a host that puts it below the site's root (a GitHub
 * project page: https://name.github.io/settle/). SvelteKit cannot find this out by itself: the one
 * page that answers every address (the fallback) must name its scripts by absolute paths, so the
 * path is fixed when building. `SETTLE_BASE=/settle npm run build`; unset, the app is at the root.
 */
function basePath() {
	const value = (process.env.SETTLE_BASE ?? '').trim().replace(/\/+$/, '');
	if (value !== '' && !/^(\/[A-Za-z0-9._~-]+)+$/.test(value))
		throw new Error(
			`SETTLE_BASE must be a path such as /settle (starting with "/"), not ${JSON.stringify(process.env.SETTLE_BASE)}`
		);
	return value;
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		// Runes everywhere in our own code; libraries decide for themselves.
		runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
	},
	kit: {
		// A single-page app: every route is rendered in the browser, so the data stays on the device.
		adapter: adapter({ fallback: 'index.html' }),
		// Absolute asset paths: the service worker answers every route with one cached page, which
		// must load the app from /sessions/abc as well as from / (relative paths would not).
		paths: { base: basePath(), relative: false },
		// Registered by the app itself (src/lib/format/app-update.svelte.ts) to offer updates.
		serviceWorker: { register: false },
		// Nothing leaves the device: only this origin may be reached or loaded from. The one
		// exception is a WebSocket to the sync server the person entered (opt-in; its address is
		// only known at run time, so the policy allows ws:/wss: and the app opens only that one).
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', ...appHtmlScriptHashes()],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self', 'ws:', 'wss:'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'media-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
