/**
 * The app and sync on one https origin (npm run serve -- --tls-cert … --tls-key …): the built
 * app's files with the right headers, the page for deep links, /health, and sync at /sync (and at
 * the root, as before) over wss with a certificate made for the test.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSyncServer } from '../../../server/sync-server.mjs';
import { readTls } from '../../../server/tls.mjs';
import { appHandler } from '../../../server/serve-app.mjs';
import { docNameOf, startLines } from '../../../server/where.mjs';
import { makeTestCert, type TestCert } from '../../fixtures/test-cert';
import { tokenProtocol } from '$lib/sync/rooms';
import { sameOriginSync, syncAddressOf } from '$lib/sync/same-origin';

const TOKEN = 'serve-token';
const PAGE = `<!doctype html><html><head><meta http-equiv="content-security-policy" content="default-src 'self'; connect-src 'self' ws: wss:"></head><body>Settle page</body></html>`;
let cert: TestCert;
let app: string;
const cleanup: (() => unknown)[] = [];

beforeAll(() => {
	cert = makeTestCert();
	// A built app's shape (adapter-static): the one page, hashed files, the service worker.
	app = mkdtempSync(join(tmpdir(), 'settle-app-'));
	mkdirSync(join(app, '_app/immutable/entry'), { recursive: true });
	writeFileSync(join(app, 'index.html'), PAGE);
	writeFileSync(join(app, '_app/immutable/entry/start.Ab12.js'), 'export const x = 1;');
	writeFileSync(join(app, '_app/version.json'), '{"version":"1"}');
	writeFileSync(join(app, 'service-worker.js'), 'self.addEventListener("fetch", () => {});');
	writeFileSync(join(app, 'manifest.webmanifest'), '{"name":"Settle"}');
});
afterAll(() => {
	cert.remove();
	rmSync(app, { recursive: true, force: true });
});
afterEach(async () => {
	for (const f of cleanup.splice(0).reverse()) await f();
});

interface Answer {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
}

/** A request that trusts the test certificate (and nothing else). */
function get(url: string, init: { method?: string; headers?: Record<string, string> } = {}) {
	return new Promise<Answer>((resolve, reject) => {
		const options = { method: init.method ?? 'GET', headers: init.headers, ca: cert.cert };
		const req = (url.startsWith('https') ? httpsRequest : httpRequest)(url, options, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (d) => (body += d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
		});
		req.on('error', reject);
		req.end();
	});
}

/** y-websocket's WebSocket, trusting the test certificate. */
class TrustingWebSocket extends WebSocket {
	constructor(url: string, protocols?: string | string[]) {
		super(url, protocols, { ca: cert.cert });
	}
}

function device(address: string, room: string) {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(address, room, doc, {
		protocols: [tokenProtocol(TOKEN)],
		WebSocketPolyfill: TrustingWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	cleanup.push(() => provider.destroy());
	return { doc, provider };
}

async function serve(tls = true) {
	const s = await startSyncServer({
		host: '127.0.0.1',
		port: 0,
		token: TOKEN,
		app,
		...(tls ? { tlsCert: cert.certFile, tlsKey: cert.keyFile } : {})
	});
	cleanup.push(() => s.close());
	return { ...s, origin: `${tls ? 'https' : 'http'}://127.0.0.1:${s.port}` };
}

describe('the app and sync on one origin', () => {
	it('serves the built app over https with the headers a phone needs', async () => {
		const { origin } = await serve();
		const page = await get(`${origin}/`);
		expect(page.status).toBe(200);
		expect(page.headers['content-type']).toBe('text/html;charset=utf-8');
		// The policy is the page's own <meta>; the server adds what a meta tag cannot say.
		expect(page.body).toContain('http-equiv="content-security-policy"');
		expect(page.headers['content-security-policy']).toBe("frame-ancestors 'none'");
		expect(page.headers['x-content-type-options']).toBe('nosniff');
		expect(page.headers['referrer-policy']).toBe('no-referrer');
		expect(page.headers['cache-control']).toBe('no-cache');
		expect(page.headers.etag).toBeTruthy();
		expect(
			(await get(`${origin}/`, { headers: { 'If-None-Match': page.headers.etag! } })).status
		).toBe(304);

		// A link to a session opens the app's page, which then draws the session.
		for (const deep of ['/sessions/2026-11-20-0712', '/history', '/settings?x=1#sync']) {
			const answer = await get(`${origin}${deep}`);
			expect(answer.status, deep).toBe(200);
			expect(answer.body, deep).toBe(PAGE);
		}

		const hashed = await get(`${origin}/_app/immutable/entry/start.Ab12.js`);
		expect(hashed.status).toBe(200);
		expect(hashed.headers['content-type']).toBe('text/javascript');
		expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
		// A missing script is a 404, not the page (which the browser would refuse as a script).
		expect((await get(`${origin}/_app/immutable/entry/gone.js`)).status).toBe(404);

		const worker = await get(`${origin}/service-worker.js`);
		expect(worker.status).toBe(200);
		expect(worker.headers['content-type']).toBe('text/javascript');
		expect(worker.headers['cache-control']).toBe('no-cache');
		expect((await get(`${origin}/_app/version.json`)).headers['cache-control']).toBe('no-cache');
		expect((await get(`${origin}/manifest.webmanifest`)).headers['content-type']).toBe(
			'application/manifest+json'
		);
		expect((await get(`${origin}/`, { method: 'POST' })).status).toBe(405);
		expect((await get(`${origin}/../../etc/passwd`)).body).not.toContain('root:');
	});

	it('syncs over wss at /sync and at the root alike, and says how it is at /health', async () => {
		const { origin, port } = await serve();
		const a = device(`wss://127.0.0.1:${port}/sync`, 'room-1');
		const b = device(`wss://127.0.0.1:${port}`, 'room-1');
		a.doc.getMap('m').set('from', 'a');
		await expect.poll(() => b.doc.getMap('m').get('from'), { timeout: 5000 }).toBe('a');
		b.doc.getMap('m').set('back', 'b');
		await expect.poll(() => a.doc.getMap('m').get('back'), { timeout: 5000 }).toBe('b');

		const health = await get(`${origin}/health`);
		expect(health.status).toBe(200);
		expect(health.headers['content-type']).toBe('application/json');
		const body = JSON.parse(health.body);
		expect(body).toMatchObject({
			service: 'settle-sync',
			ok: true,
			docs: 1,
			connections: 2,
			storage: 'memory'
		});
		expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
		expect(body.memoryMB).toBeGreaterThan(0);
		expect(health.body).not.toContain(TOKEN);
		expect(health.body).not.toContain('room-1');
	});

	it('lets the app find its own sync address, and only on a Settle server', async () => {
		const { origin } = await serve(false);
		// The app's probe, through Node's fetch (the page uses the browser's).
		expect(await sameOriginSync(`${origin}/`)).toBe(`ws://127.0.0.1:${new URL(origin).port}/sync`);
		// What a static host answers: the build's own file, which says there is no sync here.
		const shipped = readFileSync(resolve(process.cwd(), 'static/settle-sync.json'), 'utf8');
		const asShipped = (async (url: URL) => {
			expect(url.href).toBe('https://static.example.org/settle/settle-sync.json');
			return new Response(shipped, { status: 200 });
		}) as unknown as typeof fetch;
		expect(await sameOriginSync('https://static.example.org/settle/', asShipped)).toBeUndefined();
		expect(syncAddressOf('https://phone.example.org')).toBe('wss://phone.example.org/sync');
		const html = (async () => new Response(PAGE, { status: 200 })) as typeof fetch;
		expect(await sameOriginSync('https://static.example.org', html)).toBeUndefined();
		const missing = (async () => new Response('', { status: 404 })) as typeof fetch;
		expect(await sameOriginSync('https://static.example.org', missing)).toBeUndefined();
		const offline = (async () => {
			throw new TypeError('Failed to fetch');
		}) as typeof fetch;
		expect(await sameOriginSync('https://static.example.org', offline)).toBeUndefined();
	});

	it('keeps plain http on 127.0.0.1 working as before', async () => {
		const { origin, port } = await serve(false);
		expect((await get(`${origin}/sessions/x`)).body).toBe(PAGE);
		const a = device(`ws://127.0.0.1:${port}`, 'room-2');
		await expect.poll(() => a.provider.synced, { timeout: 5000 }).toBe(true);
	});

	it('says plainly what is wrong with a certificate or an app folder', () => {
		const other = makeTestCert();
		cleanup.push(() => other.remove());
		expect(() => readTls(cert.certFile, undefined)).toThrow(
			/^Give both --tls-cert and --tls-key .*not only --tls-cert\.$/
		);
		expect(() => readTls('/no/such/cert.pem', cert.keyFile)).toThrow(
			'Cannot read --tls-cert /no/such/cert.pem: no such file.'
		);
		expect(() => readTls(cert.certFile, other.keyFile)).toThrow(
			`The key ${other.keyFile} does not belong to the certificate ${cert.certFile}.`
		);
		expect(() => readTls(cert.keyFile, cert.certFile)).toThrow(/is not a PEM file Node can use/);
		expect(() => appHandler(tmpdir())).toThrow(/^No built app in .* run "npm run build" first/);
	});

	it('tells the person where to point the phone, and warns when phones cannot use it', () => {
		const lines = (o: Partial<Parameters<typeof startLines>[0]>) =>
			startLines({ host: '127.0.0.1', port: 8443, tls: true, token: 'T', app: 'build', ...o });
		expect(lines({})).toEqual([
			'Settle at https://127.0.0.1:8443/',
			'Settle sync server at wss://127.0.0.1:8443/sync (the same origin)',
			'Keeping data in memory only',
			'Access token: T',
			'Open Settle on each device, then enter the token on its "Your data" page (the address is filled in).'
		]);
		// Listening everywhere: each of the machine's own addresses, never 0.0.0.0.
		const everywhere = lines({ host: '0.0.0.0' });
		expect(everywhere.join('\n')).not.toContain('0.0.0.0');
		expect(everywhere[0]).toMatch(/^Settle at https:\/\/[\d.]+:8443\/$/);
		// Plain http for a phone will not do, and the server says so; on loopback it is fine.
		expect(lines({ host: '192.168.1.20', tls: false }).join('\n')).toMatch(
			/Phones need https .* --tls-cert and --tls-key, or put a proxy such as Caddy in front/
		);
		expect(lines({ tls: false }).join('\n')).not.toMatch(/Phones need https/);
		// Without the app: as before.
		expect(lines({ app: undefined, tls: false, data: '/srv/sync' }).slice(0, 2)).toEqual([
			'Settle sync server at ws://127.0.0.1:8443',
			'Storing encrypted data in /srv/sync'
		]);
	});

	it('names the same document at /sync/room and at /room', () => {
		expect(docNameOf('/sync/abc_DEF-1')).toBe('abc_DEF-1');
		expect(docNameOf('/abc_DEF-1?x=1')).toBe('abc_DEF-1');
		expect(docNameOf('/sync')).toBe('sync');
		expect(docNameOf('/%E0%A4%A')).toBe('%E0%A4%A');
	});
});
