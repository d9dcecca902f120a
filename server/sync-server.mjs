#!/usr/bin/env node
/**
 * Settle's sync server: the stock y-websocket server (@y/websocket-server) with LevelDB storage
 * (y-leveldb), plus the one thing the stock server lacks, admission by a token. It relays and
 * stores encrypted Yjs updates; it never holds a key, so it cannot read what it stores.
 *
 *   npm run sync-server -- [--host 0.0.0.0] [--port 1234] [--data ./sync-data] [--token …]
 *
 * Environment variables SYNC_HOST, SYNC_PORT, SYNC_DATA and SYNC_TOKEN do the same. Without a
 * token one is made on first start and kept in the data folder, so restarts keep admitting the
 * devices already paired. `--memory` keeps nothing on disk (tests). A mistake in the arguments
 * is said in one line with the usage, exit code 2.
 *
 * Devices send the token in the Sec-WebSocket-Protocol header of the WebSocket handshake (see
 * TOKEN_PROTOCOL), not in the address, so a proxy's access log does not keep it.
 */
// A plain-JavaScript file can only bring in a module declaration this way (for the type check).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./modules.d.ts" />
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { getYDoc, setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { CLOSE, createDeviceGate } from './device-gate.mjs';
import { answerHealth, healthReport } from './health.mjs';
import { DEFAULT_LIMITS, guardMessages, limitsInBytes } from './limits.mjs';
import { appHandler } from './serve-app.mjs';
import { SettingError } from './setting-error.mjs';
import { STORAGE_FAILED, useLevelDb } from './storage.mjs';
import { readTls } from './tls.mjs';
import { docNameOf, startLines } from './where.mjs';

/** Close code for a refused token: 4400–4499 tells y-websocket clients not to retry. */
export const REFUSED = CLOSE.REFUSED;

/**
 * Devices send the token as a WebSocket subprotocol, this prefix and the token's UTF-8 in
 * base64url (src/lib/sync/rooms.ts), so it travels in the Sec-WebSocket-Protocol header, which
 * proxies do not log by default, rather than in the address, which they do.
 */
export const TOKEN_PROTOCOL = 'settle-token.';

export const USAGE = `Usage: npm run sync-server -- [--host HOST] [--port PORT] [--data FOLDER] [--token TOKEN] [--memory]
         [--trust-proxy] [--app FOLDER] [--tls-cert FILE --tls-key FILE] [--max-message-mb N] [--max-doc-mb N] [--min-free-mb N]
  --host    address to listen on (default 127.0.0.1; 0.0.0.0 for every network)
  --port    port to listen on (default 1234)
  --data    folder for the encrypted data and the token (default ./sync-data)
  --token   access token to admit (default: made on first start, kept in the data folder)
  --memory  keep nothing on disk
  --trust-proxy  behind a reverse proxy: take a device's address from X-Forwarded-For (wrong
            tokens are slowed down per address)
  --app     also serve the built app from this folder (npm run build makes build/), with sync
            on the same address under /sync (npm run serve does this)
  --tls-cert, --tls-key   serve https and wss with this certificate and key (PEM files)
  --max-message-mb   largest message a device may send (default ${DEFAULT_LIMITS.maxMessageMB})
  --max-doc-mb       largest a synced document may grow (default ${DEFAULT_LIMITS.maxDocMB})
  --min-free-mb      refuse new data while the disk has less free space (default ${DEFAULT_LIMITS.minFreeMB})
Each takes its value as the next argument or after "=" (--token=VALUE); a token may begin with "-".
SYNC_HOST, SYNC_PORT, SYNC_DATA and SYNC_TOKEN do the same as the options.`;

/** A mistake in how the server was started: said in one line, with the usage, exit code 2. */
export class UsageError extends Error {}

const VALUED = [
	'host',
	'port',
	'data',
	'token',
	'app',
	'tls-cert',
	'tls-key',
	'max-message-mb',
	'max-doc-mb',
	'min-free-mb'
];
/** The options given in MB, as the names startSyncServer takes. */
const SIZES = /** @type {const} */ ([
	['max-message-mb', 'maxMessageMB'],
	['max-doc-mb', 'maxDocMB'],
	['min-free-mb', 'minFreeMB']
]);
const FLAGS = ['memory', 'help', 'trust-proxy'];

/** Whether an argument is one of the options (so it cannot be the value of the one before). */
const isOption = (/** @type {string} */ arg) => {
	const name = /^--([^=]*)/.exec(arg)?.[1];
	return arg === '-h' || (name !== undefined && [...VALUED, ...FLAGS].includes(name));
};

/**
 * The options from the command line (and the environment). An option takes the next argument as
 * its value whatever it begins with (a token may begin with "-"), unless that argument is itself
 * one of the options; "--name=value" takes anything. Throws UsageError for anything wrong.
 */
export function readOptions(argv = process.argv.slice(2), env = process.env) {
	/** @type {Record<string, string>} */
	const given = {};
	let memory = false;
	let help = false;
	let trustProxy = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '-h') {
			help = true;
			continue;
		}
		const option = /^--([^=]+)(?:=([\s\S]*))?$/.exec(arg);
		if (!option) {
			throw new UsageError(
				arg.startsWith('-')
					? `Unknown option ${arg}.`
					: `Unexpected argument "${arg}" (with npm, put -- before the options: npm run sync-server -- --port 1234).`
			);
		}
		const [, name, inline] = option;
		if (FLAGS.includes(name)) {
			if (inline !== undefined) throw new UsageError(`--${name} takes no value.`);
			if (name === 'memory') memory = true;
			else if (name === 'trust-proxy') trustProxy = true;
			else help = true;
			continue;
		}
		if (!VALUED.includes(name)) throw new UsageError(`Unknown option --${name}.`);
		let value = inline;
		if (value === undefined && i + 1 < argv.length && !isOption(argv[i + 1])) value = argv[++i];
		if (value === undefined || value.trim() === '')
			throw new UsageError(`--${name} needs a value (--${name} VALUE or --${name}=VALUE).`);
		given[name] = value;
	}
	// An empty environment variable counts as unset.
	const pick = (/** @type {string} */ name, /** @type {string} */ fallback) =>
		given[name] !== undefined
			? { value: given[name], from: `--${name}` }
			: {
					value: env[`SYNC_${name.toUpperCase()}`] || fallback,
					from: `SYNC_${name.toUpperCase()}`
				};
	const port = pick('port', '1234');
	if (!/^\d{1,5}$/.test(port.value.trim()) || Number(port.value) > 65535)
		throw new UsageError(
			`${port.from} should be a port number from 0 to 65535, not "${port.value}".`
		);
	const token = pick('token', '').value.trim();
	/** @type {{ maxMessageMB?: number, maxDocMB?: number, minFreeMB?: number }} */
	const limits = {};
	for (const [option, key] of SIZES) {
		if (given[option] === undefined) continue;
		const n = Number(given[option]);
		if (!Number.isFinite(n) || n < 0 || (n === 0 && key !== 'minFreeMB'))
			throw new UsageError(
				`--${option} should be a number of megabytes${key === 'minFreeMB' ? '' : ' above 0'}, not "${given[option]}".`
			);
		limits[key] = n;
	}
	return {
		host: pick('host', '127.0.0.1').value.trim(),
		port: Number(port.value),
		data: memory ? undefined : resolve(pick('data', './sync-data').value),
		token: token || undefined,
		trustProxy,
		app: given.app === undefined ? undefined : resolve(given.app),
		tlsCert: given['tls-cert'],
		tlsKey: given['tls-key'],
		limits,
		help
	};
}

/** A new access token: 32 base64url characters, never a leading "-" (kinder to shells). */
export function newToken() {
	for (;;) {
		const token = randomBytes(24).toString('base64url');
		if (!token.startsWith('-')) return token;
	}
}

/**
 * The token to admit: given, or kept in the data folder (made once).
 * @param {string | undefined} data
 * @param {string | undefined} given
 */
function admissionToken(data, given) {
	if (given) return given;
	if (!data) return newToken();
	const file = join(data, 'access-token');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	const token = newToken();
	writeFileSync(file, token + '\n', { mode: 0o600 });
	return token;
}

/** The token subprotocol a device offers, if any. @param {Iterable<string>} protocols */
const tokenProtocolOf = (protocols) => [...protocols].find((p) => p.startsWith(TOKEN_PROTOCOL));

/** The token in a token subprotocol (undefined when it is not base64url). @param {string} p */
const tokenIn = (p) => {
	const b64 = p.slice(TOKEN_PROTOCOL.length);
	return /^[\w-]*$/.test(b64) ? Buffer.from(b64, 'base64url').toString('utf8') : undefined;
};

/**
 * Starts the server; resolves once it listens. With `app` it also serves the built app (and sync
 * at /sync); with `tlsCert` and `tlsKey`, https and wss.
 * @param {{ host: string, port: number, data?: string, token?: string, log?: (line: string) => void,
 *   trustProxy?: boolean, app?: string, tlsCert?: string, tlsKey?: string,
 *   limits?: { maxMessageMB?: number, maxDocMB?: number, minFreeMB?: number } }} options
 */
export async function startSyncServer({
	host,
	port,
	data,
	token,
	log,
	trustProxy,
	app,
	tlsCert,
	tlsKey,
	limits
}) {
	// Settings that cannot work are said before anything is opened.
	const tls = readTls(tlsCert, tlsKey);
	const serveApp = app ? appHandler(app) : undefined;
	const { maxMessageBytes, maxDocBytes, minFreeBytes } = limitsInBytes(limits);
	if (data) mkdirSync(data, { recursive: true });
	// The stock server keeps its storage binding (and its documents) per process, not per server:
	// one without a data folder must not write into the folder of one started before it.
	if (!data) setPersistence(null);
	const ldb = data ? useLevelDb(join(data, 'docs'), { minFreeBytes, log }) : undefined;
	const accessToken = admissionToken(data, token);
	// Per-device tokens, their list and revocation, and the slowing down of wrong ones.
	const gate = createDeviceGate({
		file: data && join(data, 'devices.json'),
		admissionToken: accessToken,
		trustProxy,
		log
	});
	let toldLegacy = false;
	const wss = new WebSocketServer({
		noServer: true,
		// The token subprotocol is answered whether right or wrong: a browser fails a handshake
		// whose answer lacks the subprotocol it asked for, and would then retry for ever instead
		// of hearing the refusal (the close code below).
		handleProtocols: (protocols) => tokenProtocolOf(protocols) ?? false,
		// A longer message is refused before it is read whole (close code 1009).
		maxPayload: maxMessageBytes
	});
	wss.on('connection', (ws, req) => {
		const docName = docNameOf(req.url);
		setupWSConnection(ws, req, { docName });
		guardMessages(ws, getYDoc(docName), { maxDocBytes, lowDisk: ldb?.lowDisk });
	});
	const health = healthReport({ connections: () => wss.clients.size, storage: ldb });
	/** @type {http.RequestListener} */
	const onRequest = (req, res) => {
		if (answerHealth(req, res, health)) return;
		if (serveApp) return serveApp(req, res);
		res.writeHead(200, { 'Content-Type': 'text/plain' });
		res.end('Settle sync server (its state: /health)\n');
	};
	const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
	server.on('upgrade', (req, socket, head) => {
		const url = new URL(req.url ?? '/', 'http://server');
		const offered = tokenProtocolOf(
			String(req.headers['sec-websocket-protocol'] ?? '')
				.split(',')
				.map((p) => p.trim())
		);
		// Older Settle (package version 0.1.0) sent the token in the address (?token=…): accepted
		// for one more release, so devices still running it keep syncing until they update.
		// Remove in the release after.
		const legacy = offered === undefined ? url.searchParams.get('token') : null;
		const docName = docNameOf(req.url);
		const verdict = gate.check(req, offered !== undefined ? tokenIn(offered) : legacy, docName);
		const admitted = verdict.ok;
		if (admitted && legacy !== null && !toldLegacy) {
			toldLegacy = true;
			log?.(
				'A device sent the access token in the address, as older versions of Settle did; a proxy ' +
					'in front of this server may log it there. Open Settle on each device so it updates.'
			);
		}
		// The document is read from disk before the device is answered (see useLevelDb).
		const ready = verdict.ok && !verdict.control && ldb ? ldb.ready(docName) : Promise.resolve();
		void ready.then(
			() =>
				wss.handleUpgrade(req, socket, head, (ws) => {
					if (!verdict.ok) ws.close(verdict.code, verdict.reason);
					else if (verdict.control) gate.control(ws, verdict);
					else {
						gate.track(ws, verdict.deviceId);
						wss.emit('connection', ws, req);
					}
				}),
			// The document cannot be read from disk: the device hears why, and tries again later.
			() =>
				wss.handleUpgrade(req, socket, head, (ws) =>
					ws.close(STORAGE_FAILED, 'the server could not read its data folder')
				)
		);
	});
	try {
		await new Promise((ok, fail) => {
			server.once('error', fail);
			server.listen(port, host, () => {
				server.off('error', fail);
				ok(undefined);
			});
		});
	} catch (e) {
		await ldb?.close();
		throw e;
	}
	const address = server.address();
	return {
		port: typeof address === 'object' && address ? address.port : port,
		token: accessToken,
		/** Whether the first token still adds devices (no device has been removed yet). */
		get admissionOpen() {
			return gate.admissionOpen;
		},
		async close() {
			for (const ws of wss.clients) ws.terminate();
			gate.close();
			await new Promise((ok) => server.close(() => ok(undefined)));
			await ldb?.close();
		}
	};
}

/**
 * Why listening failed, in one line, and whether it was the arguments' fault.
 * @param {unknown} e @param {{ host: string, port: number }} options
 */
function startError(e, { host, port }) {
	const code = /** @type {{ code?: string }} */ (e)?.code;
	const what = e instanceof Error ? e.message : String(e);
	if (e instanceof SettingError) return { usage: true, line: e.message };
	if (code === 'EADDRINUSE')
		return {
			usage: false,
			line: `Port ${port} on ${host} is in use (another sync server?); choose another with --port.`
		};
	if (code === 'EACCES' && /listen/.test(what))
		return {
			usage: false,
			line: `Not allowed to listen on port ${port} (ports below 1024 need privileges); choose another with --port.`
		};
	if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
		return {
			usage: true,
			line: `Cannot listen on host "${host}" (--host or SYNC_HOST): ${code === 'EADDRNOTAVAIL' ? 'not an address of this machine' : 'no such host name'}.`
		};
	return { usage: false, line: `The sync server could not start: ${what}` };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
	/** @type {ReturnType<typeof readOptions>} */
	let options;
	try {
		options = readOptions();
	} catch (e) {
		if (!(e instanceof UsageError)) throw e;
		console.error(`${e.message}\n\n${USAGE}`);
		process.exit(2);
	}
	if (options.help) {
		console.log(USAGE);
		process.exit(0);
	}
	/** @type {Awaited<ReturnType<typeof startSyncServer>>} */
	let running;
	try {
		running = await startSyncServer({ ...options, log: (line) => console.log(line) });
	} catch (e) {
		const { usage, line } = startError(e, options);
		console.error(usage ? `${line}\n\n${USAGE}` : line);
		process.exit(usage ? 2 : 1);
	}
	const tls = Boolean(options.tlsCert);
	for (const line of startLines({ ...options, port: running.port, tls, token: running.token }))
		console.log(line);
	console.log(
		running.admissionOpen
			? 'That token adds the first device, which gets a token of its own; the others join with an invitation from a device in the group ("Add another device").'
			: 'That token was retired when a device was removed: a new device joins with an invitation from a device in the group ("Add another device"), or start afresh with another --token.'
	);
	for (const signal of ['SIGINT', 'SIGTERM'])
		process.on(signal, () => void running.close().then(() => process.exit(0)));
}
