/**
 * The sync server started as a person starts it (node server/sync-server.mjs …): a token that
 * begins with "-" works in both forms, and a mistake in the arguments is one plain line with the
 * usage and exit code 2, never a stack trace.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { afterEach, describe, expect, it } from 'vitest';
import { newToken } from '../../../server/sync-server.mjs';
import { tokenProtocol } from '$lib/sync/rooms';

const SERVER = fileURLToPath(new URL('../../../server/sync-server.mjs', import.meta.url));
/** Each run starts Node and loads the server's libraries: about a second, more on a busy machine. */
const SLOW = { timeout: 20_000 };
const cleanup: (() => void)[] = [];
afterEach(() => {
	for (const f of cleanup.splice(0).reverse()) f();
});

/** The environment without the server's own variables, plus those given. */
function env(extra: Record<string, string> = {}) {
	const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
	for (const name of ['SYNC_HOST', 'SYNC_PORT', 'SYNC_DATA', 'SYNC_TOKEN'])
		if (!(name in extra)) delete e[name];
	return e;
}

/** Starts the server; resolves with its port and what it printed once it says it listens. */
function start(args: string[]): Promise<{ port: number; out: string }> {
	const child: ChildProcess = spawn(process.execPath, [SERVER, ...args], { env: env() });
	cleanup.push(() => child.kill());
	let out = '';
	let err = '';
	return new Promise((resolve, reject) => {
		child.stderr!.on('data', (d) => (err += d));
		child.stdout!.on('data', (d) => {
			out += d;
			const port = /^Settle sync server at ws:\/\/127\.0\.0\.1:(\d+)$/m.exec(out)?.[1];
			if (port && /^Access token: .*$/m.test(out)) resolve({ port: Number(port), out });
		});
		child.on('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
	});
}

/** Whether a device with this token gets in and exchanges state with the server. */
async function admitted(port: number, token: string): Promise<boolean> {
	const provider = new WebsocketProvider(`ws://127.0.0.1:${port}`, 'room', new Y.Doc(), {
		protocols: [tokenProtocol(token)],
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	cleanup.push(() => provider.destroy());
	return new Promise((resolve) => {
		provider.on('sync', (synced: boolean) => synced && resolve(true));
		provider.on('closed', () => resolve(false));
	});
}

describe('the sync server command', () => {
	// Made like the server's own tokens, but beginning as about 1 in 64 of them used to.
	const dash = `-${newToken().slice(1)}`;
	const dashes = `--${newToken().slice(2)}`;

	for (const [form, args, token] of [
		['--token VALUE', ['--token', dash], dash],
		['--token=VALUE', [`--token=${dash}`], dash],
		['--token VALUE (two dashes)', ['--token', dashes], dashes]
	] as const)
		it(`takes a token that begins with "-" as ${form}`, SLOW, async () => {
			const { port, out } = await start(['--memory', '--port', '0', ...args]);
			expect(out).toContain(`Access token: ${token}\n`);
			expect(await admitted(port, token)).toBe(true);
			expect(await admitted(port, token.slice(1))).toBe(false);
		});

	const mistakes: [string[], RegExp, Record<string, string>?][] = [
		[['--bogus'], /^Unknown option --bogus\.$/],
		[['-p', '1234'], /^Unknown option -p\.$/],
		[['--port'], /^--port needs a value/],
		[['--token'], /^--token needs a value/],
		[['--token', '--memory'], /^--token needs a value/],
		[['--token='], /^--token needs a value/],
		[['--port', 'abc'], /^--port should be a port number from 0 to 65535, not "abc"\.$/],
		[['--port=70000'], /^--port should be a port number/],
		[['--memory=yes'], /^--memory takes no value\.$/],
		[['1234'], /^Unexpected argument "1234" \(with npm, put -- before the options/],
		[[], /^SYNC_PORT should be a port number from 0 to 65535, not "x"\.$/, { SYNC_PORT: 'x' }],
		[
			['--memory', '--port', '0', '--host', 'no-such-host.invalid'],
			/^Cannot listen on host "no-such-host\.invalid"/
		],
		[
			['--port', '0', '--app', '/no/such/build'],
			/^No built app in \/no\/such\/build \(no index\.html\): run "npm run build" first/
		],
		[['--port', '0', '--tls-cert', 'cert.pem'], /^Give both --tls-cert and --tls-key/],
		[
			['--port', '0', '--tls-cert', '/no/cert.pem', '--tls-key', '/no/key.pem'],
			/^Cannot read --tls-cert \/no\/cert\.pem: no such file\.$/
		],
		[
			['--max-doc-mb', 'lots'],
			/^--max-doc-mb should be a number of megabytes above 0, not "lots"\.$/
		],
		[['--max-message-mb=0'], /^--max-message-mb should be a number of megabytes above 0/]
	];
	for (const [args, message, extra] of mistakes)
		it(`says plainly what is wrong with: ${args.join(' ') || JSON.stringify(extra)}`, SLOW, () => {
			const run = spawnSync(process.execPath, [SERVER, '--memory', ...args], {
				env: env(extra),
				encoding: 'utf8',
				timeout: 10_000
			});
			expect(run.status).toBe(2);
			expect(run.stdout).toBe('');
			const [first, ...rest] = run.stderr.split('\n');
			expect(first).toMatch(message);
			expect(rest.join('\n')).toMatch(/^\nUsage: npm run sync-server -- /);
			expect(run.stderr).not.toMatch(/^\s+at /m);
			expect(run.stderr).not.toMatch(/Error|node:internal/);
		});

	it('shows the usage on --help', SLOW, () => {
		const run = spawnSync(process.execPath, [SERVER, '--help'], { env: env(), encoding: 'utf8' });
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(/^Usage: npm run sync-server -- .*--token TOKEN/);
	});
});
