/**
 * deploy/Caddyfile, the README's way for people with a domain, run for real: Caddy (the Debian
 * package) in front of `npm run serve`'s server, with a certificate from Caddy's own local
 * authority for "localhost" standing in for the domain's. The app, a deep link, /health and sync
 * (and a refused token) all through it. Skipped with a line when caddy is not installed, except
 * under CI, which installs it (.ci/run).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncServer } from '../../../server/sync-server.mjs';
import { REFUSED, tokenProtocol } from '$lib/sync/rooms';

const CADDYFILE = resolve('deploy/Caddyfile');
const TOKEN = 'caddy-token';
const PAGE = `<!doctype html><html><head><meta http-equiv="content-security-policy" content="default-src 'self'"></head><body>Settle page</body></html>`;
const haveCaddy = spawnSync('caddy', ['version']).status === 0;
if (!haveCaddy && process.env.CI === 'true')
	throw new Error('caddy is not installed: .ci/run installs it (apt-get install caddy).');
if (!haveCaddy)
	console.log('Skipping the Caddy tests: caddy is not installed (apt-get install -y caddy).');

function freePort(): Promise<number> {
	return new Promise((ok, fail) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const a = s.address();
			s.close(() => ok(typeof a === 'object' && a ? a.port : 0));
		});
		s.on('error', fail);
	});
}

let dir: string;
let settle: Awaited<ReturnType<typeof startSyncServer>>;
const caddies: ChildProcess[] = [];
let origin = '';
let ca = '';

/**
 * Runs Caddy with the given site (a Caddyfile's text), the test's own ports and a throwaway home;
 * resolves once it serves https, with what it wrote to its log so far.
 */
async function runCaddy(name: string, site: (https: number) => string, env = {}) {
	const [https, http] = [await freePort(), await freePort()];
	const file = join(dir, `${name}.Caddyfile`);
	writeFileSync(
		file,
		`{\n\tadmin off\n\tskip_install_trust\n\tstorage file_system ${join(dir, 'caddy')}\n\thttps_port ${https}\n\thttp_port ${http}\n}\n${site(https)}\n`
	);
	const caddy = spawn('caddy', ['run', '--adapter', 'caddyfile', '--config', file], {
		env: {
			...process.env,
			HOME: dir,
			XDG_DATA_HOME: join(dir, 'data'),
			XDG_CONFIG_HOME: join(dir, 'config'),
			...env
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
	caddies.push(caddy);
	const run = { origin: `https://localhost:${https}`, log: '' };
	caddy.stderr!.on('data', (d) => (run.log += d));
	const root = join(dir, 'caddy/pki/authorities/local/root.crt');
	for (let i = 0; i < 150; i++) {
		if (existsSync(root)) {
			ca = readFileSync(root, 'utf8');
			try {
				await get('/health', {}, run.origin);
				return run;
			} catch {
				// not serving yet
			}
		}
		if (caddy.exitCode !== null) break;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`Caddy did not serve at ${run.origin}:\n${run.log}`);
}

beforeAll(async () => {
	if (!haveCaddy) return;
	dir = mkdtempSync(join(tmpdir(), 'settle-caddy-'));
	const app = join(dir, 'build');
	mkdirSync(join(app, '_app/immutable'), { recursive: true });
	writeFileSync(join(app, 'index.html'), PAGE);
	writeFileSync(join(app, '_app/immutable/start.Ab12.js'), 'export const x = 1;\n'.repeat(200));
	settle = await startSyncServer({ host: '127.0.0.1', port: 0, token: TOKEN, app });
	// The shipped file as it is, for "localhost" (Caddy's local authority) instead of a domain.
	const shipped = await runCaddy('shipped', () => `import ${CADDYFILE}`, {
		SETTLE_DOMAIN: 'localhost',
		SETTLE_UPSTREAM: `127.0.0.1:${settle.port}`
	});
	origin = shipped.origin;
}, 60_000);

afterAll(async () => {
	for (const caddy of caddies) caddy.kill();
	await settle?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}, at = origin) {
	return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((ok, fail) => {
		const req = request(`${at}${path}`, { ca, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (d) => chunks.push(d));
			res.on('end', () =>
				ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
			);
		});
		req.on('error', fail);
		req.end();
	});
}

class TrustingWebSocket extends WebSocket {
	constructor(url: string, protocols?: string | string[]) {
		super(url, protocols, { ca });
	}
}

function device(room: string, token = TOKEN, at = origin) {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`${at.replace('https', 'wss')}/sync`, room, doc, {
		protocols: [tokenProtocol(token)],
		WebSocketPolyfill: TrustingWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	return { doc, provider };
}

describe.skipIf(!haveCaddy)('deploy/Caddyfile in front of the Settle server', () => {
	it('serves the app, its deep links and /health over https with the server’s headers', async () => {
		const page = await get('/');
		expect(page.status).toBe(200);
		expect(page.body.toString()).toBe(PAGE);
		expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
		expect(page.headers['content-security-policy']).toBe("frame-ancestors 'none'");
		expect(page.headers['cache-control']).toBe('no-cache');
		expect((await get('/sessions/abc')).body.toString()).toBe(PAGE);

		const script = await get('/_app/immutable/start.Ab12.js', { 'Accept-Encoding': 'gzip' });
		expect(script.headers['content-encoding']).toBe('gzip');
		expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');

		const health = JSON.parse((await get('/health')).body.toString());
		expect(health).toMatchObject({ service: 'settle-sync', ok: true });
	});

	it('carries sync over wss at /sync, and a refused token is still refused for good', async () => {
		const a = device('caddy-room');
		const b = device('caddy-room');
		a.doc.getMap('m').set('from', 'a');
		await expect.poll(() => b.doc.getMap('m').get('from'), { timeout: 10_000 }).toBe('a');
		const wrong = device('caddy-room', 'wrong');
		const closed = await new Promise<{ code: number }>((ok) => wrong.provider.on('closed', ok));
		expect(closed.code).toBe(REFUSED);
		for (const d of [a, b, wrong]) d.provider.destroy();
	});

	it('keeps an access log without the token with deploy/access-log.caddy', async () => {
		const logged = await runCaddy(
			'logged',
			(https) =>
				`localhost:${https} {\n\timport ${resolve('deploy/access-log.caddy')}\n\treverse_proxy 127.0.0.1:${settle.port}\n}`
		);
		const a = device('logged-room', TOKEN, logged.origin);
		await expect.poll(() => a.provider.synced, { timeout: 10_000 }).toBe(true);
		a.provider.destroy();
		await expect.poll(() => logged.log, { timeout: 10_000 }).toContain('/sync/logged-room');
		const entries = logged.log
			.split('\n')
			.filter((line) => line.includes('"/sync/logged-room"'))
			.map((line) => JSON.parse(line));
		expect(entries.length).toBeGreaterThan(0);
		// Headers are logged (so a token in one would be), but not the one that carries it.
		const headers = entries[0].request.headers;
		expect(headers['Sec-Websocket-Version']).toEqual(['13']);
		expect(headers['Sec-Websocket-Protocol']).toBeUndefined();
		expect(logged.log).not.toContain(tokenProtocol(TOKEN));
		expect(logged.log).not.toContain(TOKEN);
	});
});
