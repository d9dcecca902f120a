/**
 * Addresses: which document a WebSocket asks for, and where a person finds the server.
 *
 * Sync lives under /sync on the same origin as the app (wss://phone.example.org/sync), and at
 * the root as before (ws://192.168.1.20:1234). Both name the same document, so devices set up
 * with either address sync together. Room names are keyed hashes without "/" (src/lib/sync/crypto.ts),
 * so no room can be mistaken for the prefix.
 */
import { networkInterfaces } from 'node:os';

export const SYNC_PATH = '/sync';

/** @param {string | undefined} url the request's URL, e.g. "/sync/abc?x" */
export function docNameOf(url) {
	const path = new URL(url ?? '/', 'http://server').pathname;
	const name = path.startsWith(`${SYNC_PATH}/`) ? path.slice(SYNC_PATH.length + 1) : path.slice(1);
	try {
		return decodeURIComponent(name);
	} catch {
		return name;
	}
}

/**
 * The addresses to give a device: the host as given, or each of this machine's own addresses when
 * listening on all of them (0.0.0.0 or ::), which no device can open.
 * @param {string} host
 * @returns {string[]}
 */
export function hostsFor(host) {
	if (host !== '0.0.0.0' && host !== '::') return [host.includes(':') ? `[${host}]` : host];
	const own = Object.values(networkInterfaces())
		.flat()
		.filter((a) => a && a.family === 'IPv4' && !a.internal)
		.map((a) => /** @type {{ address: string }} */ (a).address);
	return own.length ? own : ['127.0.0.1'];
}

/**
 * What the server prints once it listens.
 * @param {{ host: string, port: number, app?: string, tls: boolean, data?: string, token: string }} s
 */
export function startLines({ host, port, app, tls, data, token }) {
	const hosts = hostsFor(host);
	const ws = tls ? 'wss' : 'ws';
	/** @type {string[]} */
	const lines = [];
	if (app) {
		for (const h of hosts) lines.push(`Settle at ${tls ? 'https' : 'http'}://${h}:${port}/`);
		lines.push(`Settle sync server at ${ws}://${hosts[0]}:${port}${SYNC_PATH} (the same origin)`);
		const loopback = /^(127\.|localhost$|\[::1\]$)/.test(hosts[0]);
		if (!tls && !loopback)
			lines.push(
				'Phones need https for Bluetooth and for working offline: give --tls-cert and --tls-key, or put a proxy such as Caddy in front (deploy/Caddyfile).'
			);
	} else {
		lines.push(`Settle sync server at ${ws}://${hosts[0]}:${port}`);
	}
	lines.push(data ? `Storing encrypted data in ${data}` : 'Keeping data in memory only');
	lines.push(`Access token: ${token}`);
	lines.push(
		app
			? 'Open Settle on each device, then enter the token on its "Your data" page (the address is filled in).'
			: 'Enter the address and the token on the "Your data" page of each device.'
	);
	return lines;
}
