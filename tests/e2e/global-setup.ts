/**
 * Serves the built app (build/, made by run.mjs) on 127.0.0.1 — a secure context, as Web
 * Bluetooth requires — for the end-to-end tests, and stops it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
	}
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		try {
			const res = await fetch(url);
			if (res.ok) return;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`The preview server did not answer at ${url}`);
}

let server: ChildProcess | undefined;

export default async function setup(project: TestProject): Promise<() => void> {
	const port = await freePort();
	server = spawn(
		process.execPath,
		[
			'node_modules/vite/bin/vite.js',
			'preview',
			'--host',
			'127.0.0.1',
			'--port',
			String(port),
			'--strictPort'
		],
		{ stdio: 'ignore' }
	);
	const url = `http://127.0.0.1:${port}/`;
	await waitFor(url, 20000);
	project.provide('baseUrl', url);
	return () => {
		server?.kill();
	};
}
