/**
 * The sync encryption layer and the pairing code. Known answers are checked twice: against Node's
 * own crypto (an independent implementation of HKDF, HMAC, PBKDF2 and AES-GCM) and against
 * hard-coded values, so a change of derivation fails even if both implementations changed with it.
 */
import { createCipheriv, createHmac, hkdfSync, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	deriveKeys,
	nameOf,
	newVaultSecret,
	open,
	openJson,
	PAIRING_VERSION,
	PBKDF2_ITERATIONS,
	seal,
	sealJson,
	sealWithIv,
	SyncKeyError,
	type SyncKeyErrorReason,
	type VaultSecret
} from '$lib/sync/crypto';
import {
	decodePairingCode,
	encodePairingCode,
	pairingLink,
	readPairingLink
} from '$lib/sync/pairing-code';

/** Few iterations so passphrase tests stay fast; the app always uses PBKDF2_ITERATIONS. */
const TEST_ITERATIONS = 1_000;

const MASTER = Uint8Array.from({ length: 32 }, (_, i) => i);
const IV = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
const AAD = 'room/key';
const PLAIN = new TextEncoder().encode('hello, settle');

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

/** The derivation, written again with node:crypto. */
function reference(ikm: Uint8Array) {
	const salt = Buffer.alloc(32);
	const derive = (info: string, n: number) =>
		Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info), n));
	const enc = derive('settle/v1/values', 32);
	const name = derive('settle/v1/names', 32);
	return {
		vaultId: derive('settle/v1/vault-id', 16).toString('base64url'),
		nameOf: (plain: string) =>
			createHmac('sha256', name).update(plain).digest('base64url').slice(0, 22),
		seal: (aad: string, plain: Uint8Array, iv: Uint8Array) => {
			const cipher = createCipheriv('aes-256-gcm', enc, iv);
			cipher.setAAD(Buffer.from(aad));
			const body = Buffer.concat([cipher.update(plain), cipher.final()]);
			return hex(Buffer.concat([Buffer.from([1]), iv, body, cipher.getAuthTag()]));
		}
	};
}

async function refusal(promise: Promise<unknown>): Promise<SyncKeyErrorReason> {
	try {
		await promise;
	} catch (e) {
		if (e instanceof SyncKeyError) return e.reason;
		throw e;
	}
	throw new Error('expected a SyncKeyError');
}

function thrownBy(fn: () => unknown): SyncKeyError {
	try {
		fn();
	} catch (e) {
		if (e instanceof SyncKeyError) return e;
		throw e;
	}
	throw new Error('expected a SyncKeyError');
}

/** CRC-8/SMBUS (polynomial 0x07, initial 0), written again. */
function referenceCrc8(bytes: Uint8Array): number {
	let crc = 0;
	for (const b of bytes) {
		crc ^= b;
		for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
	}
	return crc;
}

/** The pairing code layout, written again through a string of bits. */
function referenceCode(version: number, flags: number, master: Uint8Array): string {
	const bytes = new Uint8Array(35);
	bytes[0] = version;
	bytes[1] = flags;
	bytes.set(master, 2);
	bytes[34] = referenceCrc8(bytes.subarray(0, 34));
	let bits = '';
	for (const b of bytes) bits += b.toString(2).padStart(8, '0');
	let chars = '';
	for (let i = 0; i < bits.length; i += 5) {
		chars += '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[parseInt(bits.slice(i, i + 5), 2)];
	}
	return (chars.match(/.{1,5}/g) ?? []).join('-');
}

const plainVault: VaultSecret = { master: MASTER, passphrase: false };

describe('known answers', () => {
	const ref = reference(MASTER);
	const VAULT_ID = 'oNJyU354YPmfAIOsDf1MgA';
	const NAME_OF_INDEX = '-St2iGg7SxMnepMx2xTtEi';
	const ENVELOPE =
		'01a0a1a2a3a4a5a6a7a8a9aaab1c69f2e1b8d369e9f20627d93c8dc4257281f936e111d7ff6ce00040f4';

	it('the hard-coded answers are what node:crypto computes', () => {
		expect(ref.vaultId).toBe(VAULT_ID);
		expect(ref.nameOf('index')).toBe(NAME_OF_INDEX);
		expect(ref.seal(AAD, PLAIN, IV)).toBe(ENVELOPE);
	});

	it('vaultId, nameOf and a sealed envelope match them', async () => {
		const keys = await deriveKeys(plainVault);
		expect(keys.vaultId).toBe(VAULT_ID);
		expect(await nameOf(keys, 'index')).toBe(NAME_OF_INDEX);
		expect(hex(await sealWithIv(keys, AAD, PLAIN, IV))).toBe(ENVELOPE);
		expect(await open(keys, AAD, fromHex(ENVELOPE))).toEqual(PLAIN);
	});

	it('nameOf gives 22 base64url characters and tells names apart', async () => {
		const keys = await deriveKeys(plainVault);
		const a = await nameOf(keys, '2024-05-01');
		expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(a).toBe(ref.nameOf('2024-05-01'));
		expect(await nameOf(keys, '2024-05-02')).not.toBe(a);
	});

	it('a passphrase vault derives through PBKDF2 of the NFKC passphrase, salted with the master', async () => {
		// "Café ﬁsh" with a decomposed é and the fi ligature: NFKC makes it "Café fish".
		const typed = 'Cafe\u0301 \uFB01sh';
		const ikm = pbkdf2Sync(Buffer.from('Caf\u00e9 fish'), MASTER, TEST_ITERATIONS, 32, 'sha256');
		const expected = reference(ikm).vaultId;
		expect(expected).toBe('9zJTvCF2yG82XD9zPSN9gg');
		const keys = await deriveKeys({ master: MASTER, passphrase: true }, typed, TEST_ITERATIONS);
		expect(keys.vaultId).toBe(expected);
	});

	it('keys cannot be exported', async () => {
		const keys = await deriveKeys(plainVault);
		expect(keys.encKey.extractable).toBe(false);
		expect(keys.nameKey.extractable).toBe(false);
		expect([...keys.encKey.usages].sort()).toEqual(['decrypt', 'encrypt']);
		expect(keys.nameKey.usages).toEqual(['sign']);
	});
});

describe('seal and open', () => {
	it('round-trips empty, small and 1 MB plaintexts byte for byte', async () => {
		const keys = await deriveKeys(newVaultSecret());
		const big = new Uint8Array(1 << 20);
		// A pattern that covers every byte value in every position, unlike a repeating counter.
		let x = 0x12345678;
		for (let i = 0; i < big.length; i++) {
			x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
			big[i] = x >>> 24;
		}
		for (const plain of [new Uint8Array(0), PLAIN, big]) {
			const envelope = await seal(keys, AAD, plain);
			expect(envelope.length).toBe(1 + 12 + plain.length + 16);
			const out = await open(keys, AAD, envelope);
			expect(out.length).toBe(plain.length);
			let differing = 0;
			for (let i = 0; i < plain.length; i++) if (out[i] !== plain[i]) differing++;
			expect(differing).toBe(0);
		}
	});

	it('uses a fresh IV every time', async () => {
		const keys = await deriveKeys(plainVault);
		const a = await seal(keys, AAD, PLAIN);
		const b = await seal(keys, AAD, PLAIN);
		expect(hex(a.subarray(1, 13))).not.toBe(hex(b.subarray(1, 13)));
	});

	it('round-trips JSON', async () => {
		const keys = await deriveKeys(plainVault);
		const value = { id: 'abc', beats: [812, 790.5], note: 'é ✓', none: null };
		expect(await openJson(keys, AAD, await sealJson(keys, AAD, value))).toEqual(value);
		await expect(sealJson(keys, AAD, undefined)).rejects.toThrow(TypeError);
		// Authentic bytes that are not JSON.
		expect(await refusal(openJson(keys, AAD, await seal(keys, AAD, PLAIN)))).toBe('damaged');
	});

	it('refuses another key, another aad, and any flipped bit', async () => {
		const keys = await deriveKeys(plainVault);
		const other = await deriveKeys(newVaultSecret());
		const envelope = await seal(keys, AAD, PLAIN);
		expect(await refusal(open(other, AAD, envelope))).toBe('wrong-key');
		expect(await refusal(open(keys, 'room/other-key', envelope))).toBe('wrong-key');
		expect(await refusal(open(keys, 'other-room/key', envelope))).toBe('wrong-key');
		const iv = 1;
		const body = 13;
		const tag = envelope.length - 16;
		for (const at of [iv, iv + 11, body, tag - 1, tag, envelope.length - 1]) {
			const tampered = envelope.slice();
			tampered[at] ^= 0x01;
			expect(await refusal(open(keys, AAD, tampered))).toBe('wrong-key');
		}
	});

	it('refuses an unknown version and a too-short envelope', async () => {
		const keys = await deriveKeys(plainVault);
		const envelope = await seal(keys, AAD, PLAIN);
		const v2 = envelope.slice();
		v2[0] = 2;
		expect(await refusal(open(keys, AAD, v2))).toBe('unknown-version');
		expect(await refusal(open(keys, AAD, new Uint8Array(0)))).toBe('damaged');
		expect(await refusal(open(keys, AAD, envelope.slice(0, 28)))).toBe('damaged');
		// The shortest possible envelope (empty plaintext) is 29 bytes and still opens.
		const empty = await seal(keys, AAD, new Uint8Array(0));
		expect(empty.length).toBe(29);
		expect((await open(keys, AAD, empty)).length).toBe(0);
	});

	it('gives each reason a human message', () => {
		expect(new SyncKeyError('wrong-key').message).toBe(
			"This pairing code or passphrase does not open this sync group's data."
		);
		for (const reason of [
			'passphrase-needed',
			'wrong-key',
			'unknown-version',
			'damaged',
			'bad-code'
		] as const) {
			const e = new SyncKeyError(reason);
			expect(e.message.length).toBeGreaterThan(10);
			expect(e).toBeInstanceOf(Error);
			expect(e.name).toBe('SyncKeyError');
		}
		expect(new SyncKeyError('bad-code', 'custom').message).toBe('custom');
	});
});

describe('passphrase vaults', () => {
	const secret: VaultSecret = { master: MASTER, passphrase: true };

	it('the same passphrase gives the same keys', async () => {
		const a = await deriveKeys(secret, 'a long walk', TEST_ITERATIONS);
		const b = await deriveKeys(secret, 'a long walk', TEST_ITERATIONS);
		expect(b.vaultId).toBe(a.vaultId);
		expect(await open(b, AAD, await seal(a, AAD, PLAIN))).toEqual(PLAIN);
		// And not the keys of the master alone.
		expect(a.vaultId).not.toBe((await deriveKeys(plainVault)).vaultId);
	});

	it('another passphrase cannot open the data', async () => {
		const a = await deriveKeys(secret, 'a long walk', TEST_ITERATIONS);
		const b = await deriveKeys(secret, 'a long talk', TEST_ITERATIONS);
		expect(b.vaultId).not.toBe(a.vaultId);
		expect(await refusal(open(b, AAD, await seal(a, AAD, PLAIN)))).toBe('wrong-key');
	});

	it('a missing or empty passphrase is asked for', async () => {
		expect(await refusal(deriveKeys(secret, undefined, TEST_ITERATIONS))).toBe('passphrase-needed');
		expect(await refusal(deriveKeys(secret, '', TEST_ITERATIONS))).toBe('passphrase-needed');
	});

	it('the app uses 600,000 iterations by default', async () => {
		expect(PBKDF2_ITERATIONS).toBe(600_000);
		const ikm = pbkdf2Sync(Buffer.from('a long walk'), MASTER, 600_000, 32, 'sha256');
		expect((await deriveKeys(secret, 'a long walk')).vaultId).toBe(reference(ikm).vaultId);
	});
});

describe('pairing code', () => {
	const CODE_FORMAT = /^([0-9A-HJKMNP-TV-Z]{5}-){11}[0-9A-HJKMNP-TV-Z]$/;

	it('uses the standard CRC-8/SMBUS', () => {
		// The catalogued check value of CRC-8/SMBUS over "123456789".
		expect(referenceCrc8(new TextEncoder().encode('123456789'))).toBe(0xf4);
	});

	it('round-trips, with and without a passphrase', () => {
		for (const passphrase of [false, true]) {
			const secret = newVaultSecret(passphrase);
			const code = encodePairingCode(secret);
			expect(code).toMatch(CODE_FORMAT);
			const back = decodePairingCode(code);
			expect(back.passphrase).toBe(passphrase);
			expect(hex(back.master)).toBe(hex(secret.master));
		}
		expect(PAIRING_VERSION).toBe(1);
	});

	it('has a stable encoding', () => {
		// Version 1, no flags, master 0..31, then CRC-8 0x52.
		const expected = '04000-0820C-20A1G-7104G-M2RC1-M70Y4-0H289-H858P-2WC1J-6GV3G-EHW7T-J';
		expect(referenceCode(1, 0, MASTER)).toBe(expected);
		expect(encodePairingCode(plainVault)).toBe(expected);
		expect(encodePairingCode({ master: MASTER, passphrase: true })).toBe(
			referenceCode(1, 1, MASTER)
		);
	});

	it('tolerates case, spaces, dashes and the O/I/L aliases', () => {
		// Find a secret whose code has 0s and 1s to alias.
		let secret = newVaultSecret();
		let code = encodePairingCode(secret);
		while (!code.includes('0') || !code.includes('1')) {
			secret = newVaultSecret();
			code = encodePairingCode(secret);
		}
		const retyped = code
			.toLowerCase()
			.replace(/-/g, ' ')
			.replace(/0/g, 'o')
			.replace(/1/, 'I')
			.replace(/1/g, 'l');
		expect(hex(decodePairingCode(`  ${retyped}  `).master)).toBe(hex(secret.master));
		expect(hex(decodePairingCode(code.replace(/-/g, '')).master)).toBe(hex(secret.master));
	});

	it('explains a wrong length', () => {
		const code = encodePairingCode(plainVault);
		const e = thrownBy(() => decodePairingCode(code.slice(0, -2)));
		expect(e.reason).toBe('bad-code');
		expect(e.message).toBe('The pairing code has 55 characters; it should have 56.');
		expect(thrownBy(() => decodePairingCode(code + 'A')).message).toBe(
			'The pairing code has 57 characters; it should have 56.'
		);
	});

	it('explains an unknown character', () => {
		const code = encodePairingCode(plainVault);
		const e = thrownBy(() => decodePairingCode('U' + code.slice(1)));
		expect(e.reason).toBe('bad-code');
		expect(e.message).toContain('"U"');
	});

	it('catches every single-character typing mistake', () => {
		const code = encodePairingCode(plainVault).replace(/-/g, '');
		const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
		for (let i = 0; i < code.length; i++) {
			for (const ch of alphabet) {
				if (ch === code[i]) continue;
				const typo = code.slice(0, i) + ch + code.slice(i + 1);
				const e = thrownBy(() => decodePairingCode(typo));
				expect(e.message).toBe(
					'The pairing code has a typing mistake: check it against the other device.'
				);
			}
		}
	});

	it('explains an unknown version or unknown flags', () => {
		for (const code of [referenceCode(2, 0, MASTER), referenceCode(1, 2, MASTER)]) {
			const e = thrownBy(() => decodePairingCode(code));
			expect(e.reason).toBe('bad-code');
			expect(e.message).toContain('another version of Settle');
		}
	});
});

describe('pairing link', () => {
	it('round-trips through the fragment', () => {
		const code = encodePairingCode(newVaultSecret());
		const link = pairingLink('https://settle.example', 'wss://relay.example/sync', 't0k/én', code);
		const url = new URL(link);
		expect(url.origin + url.pathname).toBe('https://settle.example/settings');
		expect(url.search).toBe('');
		expect(url.hash).toMatch(/^#pair=[A-Za-z0-9_-]+$/);
		expect(readPairingLink(url.hash)).toEqual({
			serverUrl: 'wss://relay.example/sync',
			token: 't0k/én',
			code
		});
		expect(readPairingLink(url.hash.slice(1))?.code).toBe(code);
	});

	it('opens the app where it is served, below the root on a project page', () => {
		const code = encodePairingCode(newVaultSecret());
		for (const appUrl of ['https://name.github.io/settle', 'https://name.github.io/settle/']) {
			const url = new URL(pairingLink(appUrl, 'wss://relay.example/sync', 't', code));
			expect(url.origin + url.pathname).toBe('https://name.github.io/settle/settings');
			expect(readPairingLink(url.hash)?.code).toBe(code);
		}
	});

	it('gives undefined for anything malformed', () => {
		const b64 = (s: string) => Buffer.from(s).toString('base64url');
		for (const hash of [
			'',
			'#',
			'#pair=',
			'#other=abc',
			'#pair=abc!',
			'#pair=A',
			`#pair=${b64('not json')}`,
			`#pair=${b64('null')}`,
			`#pair=${b64('[1,2]')}`,
			`#pair=${b64('{"s":"wss://r","t":"x"}')}`,
			`#pair=${b64('{"s":"wss://r","t":1,"c":"X"}')}`,
			`#pair=${b64('{"s":"javascript:alert(1)","t":"","c":"X"}')}`,
			`#pair=${b64('{"s":"not a url","t":"","c":"X"}')}`,
			`#pair=${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}`
		]) {
			expect(readPairingLink(hash)).toBeUndefined();
		}
	});
});
