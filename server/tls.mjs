/**
 * The certificate and key the person supplies (--tls-cert, --tls-key), read and checked before
 * the server listens, so a wrong file is one plain line at start rather than a failed handshake
 * on the phone later.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { SettingError } from './setting-error.mjs';

/**
 * @param {string} path
 * @param {string} option
 */
function readPem(path, option) {
	try {
		return readFileSync(path);
	} catch (e) {
		const code = /** @type {{ code?: string }} */ (e)?.code;
		const why =
			code === 'ENOENT'
				? 'no such file'
				: code === 'EACCES'
					? 'not allowed to read it'
					: code === 'EISDIR'
						? 'it is a folder'
						: String(e);
		throw new SettingError(`Cannot read ${option} ${path}: ${why}.`);
	}
}

/**
 * Both files, or neither; checked by building the TLS context Node will use.
 * @param {string | undefined} certPath
 * @param {string | undefined} keyPath
 * @returns {{ cert: Buffer, key: Buffer } | undefined}
 */
export function readTls(certPath, keyPath) {
	if (!certPath && !keyPath) return undefined;
	if (!certPath || !keyPath)
		throw new SettingError(
			`Give both --tls-cert and --tls-key (the certificate and its private key, PEM files), not only ${certPath ? '--tls-cert' : '--tls-key'}.`
		);
	const cert = readPem(certPath, '--tls-cert');
	const key = readPem(keyPath, '--tls-key');
	try {
		createSecureContext({ cert, key });
	} catch (e) {
		const what = e instanceof Error ? e.message : String(e);
		throw new SettingError(
			/key values mismatch/i.test(what)
				? `The key ${keyPath} does not belong to the certificate ${certPath}.`
				: `The certificate ${certPath} or the key ${keyPath} is not a PEM file Node can use (${what}).`
		);
	}
	return { cert, key };
}
