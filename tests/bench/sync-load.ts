/**
 * The sync server under load: 20 devices in 10 groups (two each, as a phone and a laptop) syncing
 * at once for a minute, over loopback, against the server as a person runs it (its own process,
 * LevelDB on disk, so its memory is its own).
 *
 * Each device writes one encrypted record a second into its group's document (AES-GCM over 3.3 KB,
 * the size of a 256-beat chunk, as the app's beats are stored), with the time it was written; the
 * other device of the group notes when it arrives. Prints the messages sent and delivered, the
 * delivery latency (p50, p95, max), and the server's memory (resident set) over the minute.
 *
 *   npm run bench:sync                     (both parts; BENCH_PART=load for this one alone)
 *   LOAD_SECONDS=20 BENCH_PART=load npm run bench:sync
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { tokenProtocol } from '../../src/lib/sync/rooms';

const GROUPS = 10;
const PER_GROUP = 2;
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const PLAIN_BYTES = 3328;
const TOKEN = 'load-bench-token';

/** Starts server/sync-server.mjs in its own process; resolves with its port and process. */
function startServer(data: string) {
	const child = spawn(
		process.execPath,
		['server/sync-server.mjs', '--port', '0', '--data', data, '--token', TOKEN],
		{ stdio: ['ignore', 'pipe', 'inherit'] }
	);
	return new Promise<{ port: number; stop: () => void }>((resolve, reject) => {
		let out = '';
		child.stdout!.on('data', (d) => {
			out += d;
			const port = /^Settle sync server at ws:\/\/127\.0\.0\.1:(\d+)$/m.exec(out)?.[1];
			if (port) resolve({ port: Number(port), stop: () => child.kill() });
		});
		child.on('exit', (code) => reject(new Error(`The sync server exited with ${code}`)));
	});
}

async function health(
	port: number
): Promise<{ memoryMB: number; connections: number; docs: number }> {
	return (await fetch(`http://127.0.0.1:${port}/health`)).json();
}

const pct = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export async function runLoad(): Promise<void> {
	// Each y-websocket provider listens for the process's exit (20 here, all wanted).
	process.setMaxListeners(0);
	const data = mkdtempSync(join(tmpdir(), 'settle-load-'));
	const server = await startServer(data);
	const key = await webcrypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
		'encrypt'
	]);
	const latencies: number[] = [];
	const closes: number[] = [];
	let sent = 0;
	let sentBytes = 0;
	const devices: { doc: Y.Doc; provider: WebsocketProvider; name: string }[] = [];
	for (let g = 0; g < GROUPS; g++)
		for (let d = 0; d < PER_GROUP; d++) {
			const doc = new Y.Doc();
			const name = `g${g}d${d}`;
			const provider = new WebsocketProvider(
				`ws://127.0.0.1:${server.port}/sync`,
				`load-group-${g}`,
				doc,
				{
					protocols: [tokenProtocol(TOKEN)],
					WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
					disableBc: true
				}
			);
			provider.on('connection-close', (e) => e && closes.push(e.code));
			// What arrives from the other device of the group: its delivery time.
			doc.getMap<Uint8Array>('records').observe((event) => {
				if (event.transaction.local) return;
				const now = performance.now();
				for (const k of event.keysChanged) {
					if (k.startsWith(name)) continue;
					const value = doc.getMap<Uint8Array>('records').get(k)!;
					latencies.push(now - new DataView(value.buffer, value.byteOffset).getFloat64(0));
				}
			});
			devices.push({ doc, provider, name });
		}
	const t0 = performance.now();
	while (!devices.every((d) => d.provider.synced)) {
		if (performance.now() - t0 > 30_000) throw new Error('The devices did not all connect');
		await new Promise((r) => setTimeout(r, 50));
	}

	const memory: number[] = [(await health(server.port)).memoryMB];
	const sampler = setInterval(
		() =>
			void health(server.port).then(
				(h) => memory.push(h.memoryMB),
				() => undefined
			),
		2000
	);
	const plain = new Uint8Array(PLAIN_BYTES);
	const until = performance.now() + SECONDS * 1000;
	// Each device on its own one-second beat, spread over the second so the load is steady.
	await Promise.all(
		devices.map(async (device, i) => {
			await new Promise((r) => setTimeout(r, (i * 1000) / devices.length));
			for (let seq = 0; performance.now() < until; seq++) {
				const started = performance.now();
				webcrypto.getRandomValues(plain.subarray(0, 1024));
				const iv = webcrypto.getRandomValues(new Uint8Array(12));
				const sealed = new Uint8Array(
					await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain)
				);
				const record = new Uint8Array(8 + 12 + sealed.length);
				record.set(iv, 8);
				record.set(sealed, 20);
				new DataView(record.buffer).setFloat64(0, performance.now());
				device.doc.getMap<Uint8Array>('records').set(`${device.name}-${seq}`, record);
				sent++;
				sentBytes += record.length;
				await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - started))));
			}
		})
	);
	// What is still on its way arrives.
	for (let i = 0; i < 100 && latencies.length < sent; i++)
		await new Promise((r) => setTimeout(r, 100));
	clearInterval(sampler);
	const end = await health(server.port);
	memory.push(end.memoryMB);
	for (const d of devices) {
		d.provider.destroy();
		// (its awareness's timer goes with the document)
		d.doc.destroy();
	}
	server.stop();
	rmSync(data, { recursive: true, force: true });

	const ms = (x: number) => `${x.toFixed(1)} ms`;
	console.log(
		`Sync server under load: ${GROUPS * PER_GROUP} devices in ${GROUPS} groups, each writing one encrypted ${((8 + 12 + PLAIN_BYTES + 16) / 1024).toFixed(1)} KB record a second for ${SECONDS} s (loopback, LevelDB):`
	);
	console.log(
		`  records sent ${sent} (${(sentBytes / 1e6).toFixed(1)} MB), delivered to the other device ${latencies.length}; connections closed on the devices: ${closes.length}`
	);
	console.log(
		`  delivery latency: p50 ${ms(pct(latencies, 50))}, p95 ${ms(pct(latencies, 95))}, max ${ms(Math.max(...latencies))}`
	);
	console.log(
		`  server memory (resident): ${memory[0]} MB idle with 20 connections, peak ${Math.max(...memory)} MB, ${end.memoryMB} MB at the end (${end.docs} documents open)`
	);
	if (latencies.length !== sent)
		throw new Error(`Only ${latencies.length} of ${sent} records arrived`);
}
