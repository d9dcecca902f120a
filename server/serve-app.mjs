/**
 * The built app (build/, from `npm run build`) served by the sync server itself, so one https
 * address holds both the app and sync (--app build). sirv (the file server SvelteKit's own
 * preview uses) does the files; this module decides the headers.
 *
 * - Deep links (/sessions/abc) get the app's one page, index.html, as adapter-static's fallback;
 *   a missing file with an extension (/_app/…/gone.js) is a 404, never that page.
 * - Files under /_app/immutable/ never change under their names: cached for a year. Everything
 *   else, the page and the service worker above all, is revalidated on each load (ETag), so a
 *   new version reaches the phone on its next visit.
 * - The page carries its Content-Security-Policy in a <meta> tag (SvelteKit's `csp` setting in
 *   svelte.config.js, with the hashes of its inline scripts); the one directive a <meta> tag
 *   cannot carry, frame-ancestors, is sent here as a header, with nosniff and no referrer.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sirv from 'sirv';
import { SettingError } from './setting-error.mjs';

const YEAR = 31536000;

/** Headers for every file the app is made of. @param {import('node:http').ServerResponse} res */
function commonHeaders(res) {
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Referrer-Policy', 'no-referrer');
	// The policy itself is in the page; no other site may frame it (a meta tag cannot say so).
	res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
	res.setHeader('X-Frame-Options', 'DENY');
}

/**
 * A request handler for the built app in `dir`; answers GET and HEAD, 405 for anything else.
 * @param {string} dir
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void}
 */
export function appHandler(dir) {
	const root = resolve(dir);
	if (!existsSync(join(root, 'index.html')))
		throw new SettingError(
			`No built app in ${root} (no index.html): run "npm run build" first, or point --app at the build folder.`
		);
	const files = sirv(root, {
		single: true,
		etag: true,
		dotfiles: false,
		setHeaders(res, pathname) {
			commonHeaders(res);
			res.setHeader(
				'Cache-Control',
				pathname.startsWith('/_app/immutable/') ? `public, max-age=${YEAR}, immutable` : 'no-cache'
			);
		}
	});
	return (req, res) => {
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
			res.end('Method not allowed\n');
			return;
		}
		files(req, res, () => {
			commonHeaders(res);
			res.writeHead(404, {
				'Content-Type': 'text/plain; charset=utf-8',
				'Cache-Control': 'no-cache'
			});
			res.end('Not found\n');
		});
	};
}
