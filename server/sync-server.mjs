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
 * devices already paired. `--memory` keeps nothing on disk (tests).
 */
// A plain-JavaScript file can only bring in a module declaration this way (for the type check).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./modules.d.ts" />
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { LeveldbPersistence } from 'y-leveldb';
import { getYDoc, setPersistence, setupWSConnection } from '@y/websocket-server/utils';

/** Close code for a refused token: 4400–4499 tells y-websocket clients not to retry. */
export const REFUSED = 4401;

export function readOptions(argv = process.argv.slice(2), env = process.env) {
	const { values } = parseArgs({
		args: argv,
		options: {
			host: { type: 'string', default: env.SYNC_HOST ?? '127.0.0.1' },
			port: { type: 'string', default: env.SYNC_PORT ?? '1234' },
			data: { type: 'string', default: env.SYNC_DATA ?? './sync-data' },
			token: { type: 'string', default: env.SYNC_TOKEN },
			memory: { type: 'boolean', default: false }
		}
	});
	return {
		host: values.host,
		port: Number(values.port),
		data: values.memory ? undefined : resolve(values.data),
		token: values.token
	};
}

/**
 * The token to admit: given, or kept in the data folder (made once).
 * @param {string | undefined} data
 * @param {string | undefined} given
 */
function admissionToken(data, given) {
	if (given) return given;
	if (!data) return randomBytes(24).toString('base64url');
	const file = join(data, 'access-token');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	const token = randomBytes(24).toString('base64url');
	writeFileSync(file, token + '\n', { mode: 0o600 });
	return token;
}

/**
 * The stock server's LevelDB binding, written out here so the folder is ours to choose, and so a
 * connection can wait until its document is read from disk: the stock binding answers a device
 * at once, so the first device after a restart would be told "empty" and only later get the rest.
 * @param {string} dir
 */
function useLevelDb(dir) {
	const ldb = new LeveldbPersistence(dir);
	/** @type {Map<string, Promise<void>>} */
	const loading = new Map();
	setPersistence({
		provider: ldb,
		/** @param {string} name @param {Y.Doc} doc */
		bindState: (name, doc) => {
			const loaded = (async () => {
				const stored = await ldb.getYDoc(name);
				await ldb.storeUpdate(name, Y.encodeStateAsUpdate(doc));
				Y.applyUpdate(doc, Y.encodeStateAsUpdate(stored));
				doc.on('update', (/** @type {Uint8Array} */ update) => void ldb.storeUpdate(name, update));
			})();
			loading.set(name, loaded);
			// A document is dropped from memory when its last device leaves; read it again next time.
			doc.on('destroy', () => loading.get(name) === loaded && loading.delete(name));
			return loaded;
		},
		writeState: async () => {}
	});
	return {
		/** @param {string} name */
		ready: (name) => (getYDoc(name), loading.get(name) ?? Promise.resolve()),
		close: () => ldb.destroy()
	};
}

/** @param {string | null} a @param {string} b */
const sameToken = (a, b) => {
	const x = Buffer.from(String(a ?? ''));
	const y = Buffer.from(String(b));
	return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Starts the server; resolves once it listens.
 * @param {{ host: string, port: number, data?: string, token?: string }} options
 */
export async function startSyncServer({ host, port, data, token }) {
	if (data) mkdirSync(data, { recursive: true });
	const ldb = data ? useLevelDb(join(data, 'docs')) : undefined;
	const accessToken = admissionToken(data, token);
	const wss = new WebSocketServer({ noServer: true });
	wss.on('connection', (ws, req) => setupWSConnection(ws, req));
	const server = http.createServer((req, res) => {
		// A health check a person can open in a browser; it says nothing about what is stored.
		res.writeHead(200, { 'Content-Type': 'text/plain' });
		res.end('Settle sync server\n');
	});
	server.on('upgrade', (req, socket, head) => {
		const url = new URL(req.url ?? '/', 'http://server');
		const admitted = sameToken(url.searchParams.get('token'), accessToken);
		// The document is read from disk before the device is answered (see useLevelDb).
		const ready = admitted && ldb ? ldb.ready(url.pathname.slice(1)) : Promise.resolve();
		void ready.then(() =>
			wss.handleUpgrade(req, socket, head, (ws) => {
				if (!admitted) ws.close(REFUSED, 'access token refused');
				else wss.emit('connection', ws, req);
			})
		);
	});
	await new Promise((ok) => server.listen(port, host, () => ok(undefined)));
	const address = server.address();
	return {
		port: typeof address === 'object' && address ? address.port : port,
		token: accessToken,
		async close() {
			for (const ws of wss.clients) ws.terminate();
			await new Promise((ok) => server.close(() => ok(undefined)));
			await ldb?.close();
		}
	};
}

const isMain =
	process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
	const options = readOptions();
	const running = await startSyncServer(options);
	const where = `ws://${options.host}:${running.port}`;
	console.log(`Settle sync server at ${where}`);
	console.log(
		options.data ? `Storing encrypted data in ${options.data}` : 'Keeping data in memory only'
	);
	console.log(`Access token: ${running.token}`);
	console.log('Enter the address and the token on the "Your data" page of each device.');
	for (const signal of ['SIGINT', 'SIGTERM'])
		process.on(signal, () => void running.close().then(() => process.exit(0)));
}
