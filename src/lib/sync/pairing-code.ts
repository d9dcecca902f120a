/**
 * The pairing code carries a vault's secret from one device to another, typed or read aloud, so it
 * is Crockford base32 (no letters that look alike, case-insensitive) with a checksum that catches
 * typing mistakes before they show up as "wrong key".
 *
 * Layout, 35 bytes = 280 bits = exactly 56 characters (no padding bits):
 *   [PAIRING_VERSION][flags: bit 0 = passphrase][32 master bytes][CRC-8 of the 34 bytes before]
 * shown in groups of 5 characters separated by "-" (the last group has 1 character).
 */
import {
	base64url,
	fromBase64url,
	PAIRING_VERSION,
	SyncKeyError,
	type VaultSecret
} from './crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MASTER_BYTES = 32;
const CODE_BYTES = 2 + MASTER_BYTES + 1;
const CODE_CHARS = (CODE_BYTES * 8) / 5;
const GROUP = 5;
const FLAG_PASSPHRASE = 1;

/**
 * CRC-8 (polynomial 0x07, initial value 0, as CRC-8/SMBUS). Unlike a sum of bytes it catches every
 * single-character mistake (a burst of at most 5 bits) and most swaps of neighbouring characters.
 */
function crc8(bytes: Uint8Array): number {
	let crc = 0;
	for (const b of bytes) {
		crc ^= b;
		for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
	}
	return crc;
}

export function encodePairingCode(secret: VaultSecret): string {
	if (secret.master.length !== MASTER_BYTES) {
		throw new SyncKeyError('bad-code', `The vault secret must have ${MASTER_BYTES} bytes.`);
	}
	const bytes = new Uint8Array(CODE_BYTES);
	bytes[0] = PAIRING_VERSION;
	bytes[1] = secret.passphrase ? FLAG_PASSPHRASE : 0;
	bytes.set(secret.master, 2);
	bytes[CODE_BYTES - 1] = crc8(bytes.subarray(0, CODE_BYTES - 1));

	let chars = '';
	let acc = 0;
	let bits = 0;
	for (const b of bytes) {
		acc = (acc << 8) | b;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			chars += ALPHABET[(acc >> bits) & 31];
		}
		acc &= (1 << bits) - 1;
	}
	const groups: string[] = [];
	for (let i = 0; i < chars.length; i += GROUP) groups.push(chars.slice(i, i + GROUP));
	return groups.join('-');
}

export function decodePairingCode(text: string): VaultSecret {
	// Crockford's aliases: I and L read as 1, O as 0. Spaces and dashes are only for reading.
	const chars = text
		.toUpperCase()
		.replace(/[\s-]+/g, '')
		.replace(/[IL]/g, '1')
		.replace(/O/g, '0');
	for (const ch of chars) {
		if (!ALPHABET.includes(ch)) {
			throw new SyncKeyError(
				'bad-code',
				`The pairing code contains "${ch}", which is not one of its characters (digits and letters except U).`
			);
		}
	}
	// Every character is ASCII by now, so length counts what the person sees.
	if (chars.length !== CODE_CHARS) {
		throw new SyncKeyError(
			'bad-code',
			`The pairing code has ${chars.length} characters; it should have ${CODE_CHARS}.`
		);
	}

	const bytes = new Uint8Array(CODE_BYTES);
	let acc = 0;
	let bits = 0;
	let o = 0;
	for (const ch of chars) {
		acc = (acc << 5) | ALPHABET.indexOf(ch);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			bytes[o++] = (acc >> bits) & 0xff;
		}
		acc &= (1 << bits) - 1;
	}
	// The checksum comes before the version, so a mistyped first character reads as a typing
	// mistake rather than as a code from another version.
	if (crc8(bytes.subarray(0, CODE_BYTES - 1)) !== bytes[CODE_BYTES - 1]) {
		throw new SyncKeyError(
			'bad-code',
			'The pairing code has a typing mistake: check it against the other device.'
		);
	}
	if (bytes[0] !== PAIRING_VERSION || (bytes[1] & ~FLAG_PASSPHRASE) !== 0) {
		throw new SyncKeyError(
			'bad-code',
			'This pairing code comes from another version of Settle: update Settle on both devices.'
		);
	}
	return {
		master: bytes.slice(2, 2 + MASTER_BYTES),
		passphrase: (bytes[1] & FLAG_PASSPHRASE) !== 0
	};
}

/**
 * A link that pairs a device in one step. Everything rides in the fragment, which browsers never
 * send to a web server, so neither the app's host nor its logs see the code. `appUrl` is where the
 * app is served: its origin, plus the path below which it lives on a host that puts it there.
 */
export function pairingLink(
	appUrl: string,
	serverUrl: string,
	token: string,
	code: string
): string {
	const payload = JSON.stringify({ s: serverUrl, t: token, c: code });
	return `${appUrl.replace(/\/+$/, '')}/settings#pair=${base64url(new TextEncoder().encode(payload))}`;
}

/**
 * Reads a pairing link's fragment (as location.hash, with or without "#"). The code is returned as
 * written, for decodePairingCode to explain any mistake in it; anything else malformed gives
 * undefined.
 */
export function readPairingLink(
	hash: string
): { serverUrl: string; token: string; code: string } | undefined {
	const match = /^#?pair=([A-Za-z0-9_-]+)$/.exec(hash.trim());
	if (!match) return undefined;
	let value: unknown;
	try {
		value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(match[1])));
	} catch {
		return undefined;
	}
	if (typeof value !== 'object' || value === null) return undefined;
	const { s, t, c } = value as Record<string, unknown>;
	if (typeof s !== 'string' || typeof t !== 'string' || typeof c !== 'string' || c === '') {
		return undefined;
	}
	// Only a relay address: a link must not be able to point the app at javascript: or file: URLs.
	let url: URL;
	try {
		url = new URL(s);
	} catch {
		return undefined;
	}
	if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) return undefined;
	return { serverUrl: s, token: t, code: c };
}
