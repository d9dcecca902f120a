/**
 * The encryption layer of end-to-end-encrypted sync. The relay (a stock y-websocket server) sees
 * only room names, map keys and sealed values; it must learn neither the data nor its ids or dates,
 * and must not be able to move a value to another key or room unnoticed.
 *
 * One random 32-byte master secret (carried between devices by the pairing code) is the root of
 * every key. A vault may also ask for a passphrase, so the pairing code alone does not open it.
 *
 * Only WebCrypto is used, so the same code runs in browsers and in Node 20 (unit tests).
 */

/** The version byte of the pairing code; a new derivation or layout needs a new version. */
export const PAIRING_VERSION = 1;

/** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA-256. */
export const PBKDF2_ITERATIONS = 600_000;

/** The first byte of every envelope, so a later format can be told apart rather than misread. */
const ENVELOPE_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MASTER_BYTES = 32;

/**
 * HKDF's salt: 32 zero bytes, which RFC 5869 (section 2.2) treats as "no salt". The input keying
 * material is already uniformly random (the master, or PBKDF2 output salted with the master), so a
 * salt would add nothing; the info labels below keep the derived keys apart.
 */
const HKDF_SALT = new Uint8Array(32);

const INFO_VALUES = 'settle/v1/values';
const INFO_NAMES = 'settle/v1/names';
const INFO_VAULT_ID = 'settle/v1/vault-id';

/** Room names and map keys keep 22 base64url characters of the HMAC: 132 bits, ample against
 * collisions among one person's records while keeping names short. */
const NAME_CHARS = 22;

export interface VaultSecret {
	master: Uint8Array;
	passphrase: boolean;
}

export interface VaultKeys {
	vaultId: string;
	encKey: CryptoKey;
	nameKey: CryptoKey;
}

export type SyncKeyErrorReason =
	'passphrase-needed' | 'wrong-key' | 'unknown-version' | 'damaged' | 'bad-code';

const MESSAGES: Record<SyncKeyErrorReason, string> = {
	'passphrase-needed': 'This sync group is protected by a passphrase: enter it to continue.',
	'wrong-key': "This pairing code or passphrase does not open this sync group's data.",
	'unknown-version':
		'This sync data was written by a newer version of Settle: update Settle on this device to read it.',
	damaged: 'This sync data is damaged and cannot be read.',
	'bad-code': 'This is not a valid pairing code.'
};

export class SyncKeyError extends Error {
	constructor(
		readonly reason: SyncKeyErrorReason,
		message?: string
	) {
		super(message ?? MESSAGES[reason]);
		this.name = 'SyncKeyError';
	}
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const encoder = new TextEncoder();

/**
 * WebCrypto's typings want bytes backed by a plain ArrayBuffer (not a SharedArrayBuffer); copy only
 * when the caller's bytes are not.
 */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
	return bytes.buffer instanceof ArrayBuffer
		? (bytes as Uint8Array<ArrayBuffer>)
		: new Uint8Array(bytes);
}

export function newVaultSecret(passphrase = false): VaultSecret {
	return { master: globalThis.crypto.getRandomValues(new Uint8Array(MASTER_BYTES)), passphrase };
}

/**
 * Derives a vault's keys. `iterations` exists only so tests can run passphrase vaults quickly;
 * the app always uses the default, since another count gives other keys.
 *
 * A passphrase given for a vault that does not ask for one is ignored: the vault's keys come from
 * its master alone, and every device must derive the same ones.
 */
export async function deriveKeys(
	secret: VaultSecret,
	passphrase?: string,
	iterations = PBKDF2_ITERATIONS
): Promise<VaultKeys> {
	if (secret.master.length !== MASTER_BYTES) {
		throw new SyncKeyError('bad-code', `The vault secret must have ${MASTER_BYTES} bytes.`);
	}
	let ikm: Uint8Array<ArrayBuffer> = own(secret.master);
	if (secret.passphrase) {
		// NFKC so the same passphrase typed on different keyboards (composed or decomposed accents,
		// full-width forms) gives the same key. Spaces are kept: they may be part of it.
		const normalised = (passphrase ?? '').normalize('NFKC');
		if (normalised.length === 0) throw new SyncKeyError('passphrase-needed');
		const pass = await subtle().importKey('raw', encoder.encode(normalised), 'PBKDF2', false, [
			'deriveBits'
		]);
		// Salting with the master makes a passphrase useless without the pairing code, and
		// precomputation against one vault useless against another.
		ikm = new Uint8Array(
			await subtle().deriveBits(
				{ name: 'PBKDF2', hash: 'SHA-256', salt: own(secret.master), iterations },
				pass,
				256
			)
		);
	}
	const root = await subtle().importKey('raw', ikm, 'HKDF', false, ['deriveKey', 'deriveBits']);
	const hkdf = (info: string): HkdfParams => ({
		name: 'HKDF',
		hash: 'SHA-256',
		salt: HKDF_SALT,
		info: encoder.encode(info)
	});
	const [encKey, nameKey, id] = await Promise.all([
		subtle().deriveKey(hkdf(INFO_VALUES), root, { name: 'AES-GCM', length: 256 }, false, [
			'encrypt',
			'decrypt'
		]),
		subtle().deriveKey(
			hkdf(INFO_NAMES),
			root,
			{ name: 'HMAC', hash: 'SHA-256', length: 256 },
			false,
			['sign']
		),
		subtle().deriveBits(hkdf(INFO_VAULT_ID), root, 128)
	]);
	return { vaultId: base64url(new Uint8Array(id)), encKey, nameKey };
}

/** The name the relay sees for a room or map key: a keyed hash, so it reveals no ids or dates. */
export async function nameOf(keys: VaultKeys, plain: string): Promise<string> {
	const mac = await subtle().sign('HMAC', keys.nameKey, encoder.encode(plain));
	return base64url(new Uint8Array(mac)).slice(0, NAME_CHARS);
}

/**
 * Encrypts with a fresh random IV. `aad` (the caller passes room + "/" + key) is authenticated but
 * not stored, so a value moved by the relay to another key or room no longer opens.
 */
export async function seal(
	keys: VaultKeys,
	aad: string,
	plaintext: Uint8Array
): Promise<Uint8Array> {
	return sealWithIv(
		keys,
		aad,
		plaintext,
		globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES))
	);
}

/**
 * seal with a given IV, for known-answer tests only: reusing an IV under one key breaks AES-GCM.
 */
export async function sealWithIv(
	keys: VaultKeys,
	aad: string,
	plaintext: Uint8Array,
	iv: Uint8Array
): Promise<Uint8Array> {
	if (iv.length !== IV_BYTES) throw new RangeError(`The IV must have ${IV_BYTES} bytes.`);
	const sealed = await subtle().encrypt(
		{ name: 'AES-GCM', iv: own(iv), additionalData: encoder.encode(aad), tagLength: 128 },
		keys.encKey,
		own(plaintext)
	);
	const envelope = new Uint8Array(1 + IV_BYTES + sealed.byteLength);
	envelope[0] = ENVELOPE_VERSION;
	envelope.set(iv, 1);
	envelope.set(new Uint8Array(sealed), 1 + IV_BYTES);
	return envelope;
}

export async function open(
	keys: VaultKeys,
	aad: string,
	envelope: Uint8Array
): Promise<Uint8Array> {
	if (envelope.length === 0) throw new SyncKeyError('damaged');
	// The version comes first: a later version may lay out the rest differently.
	if (envelope[0] !== ENVELOPE_VERSION) throw new SyncKeyError('unknown-version');
	if (envelope.length < 1 + IV_BYTES + TAG_BYTES) throw new SyncKeyError('damaged');
	const bytes = own(envelope);
	let plain: ArrayBuffer;
	try {
		plain = await subtle().decrypt(
			{
				name: 'AES-GCM',
				iv: bytes.subarray(1, 1 + IV_BYTES),
				additionalData: encoder.encode(aad),
				tagLength: 128
			},
			keys.encKey,
			bytes.subarray(1 + IV_BYTES)
		);
	} catch {
		// GCM cannot tell a wrong key from a wrong aad or tampered bytes; to the person all three
		// mean that this code or passphrase does not open this data.
		throw new SyncKeyError('wrong-key');
	}
	return new Uint8Array(plain);
}

export async function sealJson(keys: VaultKeys, aad: string, value: unknown): Promise<Uint8Array> {
	const json = JSON.stringify(value);
	if (json === undefined) throw new TypeError('sealJson: the value has no JSON form.');
	return seal(keys, aad, encoder.encode(json));
}

/** The type is the caller's promise: the bytes are authentic, but their shape is not checked. */
export async function openJson<T>(keys: VaultKeys, aad: string, envelope: Uint8Array): Promise<T> {
	const plain = await open(keys, aad, envelope);
	try {
		return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain)) as T;
	} catch {
		// Authentic but not JSON: written by something other than sealJson.
		throw new SyncKeyError('damaged');
	}
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding (RFC 4648 section 5), written out so it needs neither btoa nor Buffer. */
export function base64url(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 3) {
		const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
		const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
		for (let c = 0; c < chars; c++) out += B64URL[(n >> (18 - 6 * c)) & 63];
	}
	return out;
}

/** The inverse of base64url; throws RangeError for anything it could not have produced. */
export function fromBase64url(text: string): Uint8Array {
	if (text.length % 4 === 1) throw new RangeError('Not base64url: impossible length.');
	const out = new Uint8Array(Math.floor((text.length * 6) / 8));
	let acc = 0;
	let bits = 0;
	let o = 0;
	for (const ch of text) {
		const v = B64URL.indexOf(ch);
		if (v < 0) throw new RangeError(`Not base64url: "${ch}".`);
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (acc >> bits) & 0xff;
		}
		acc &= (1 << bits) - 1;
	}
	// Leftover bits must be zero, so each byte string has exactly one encoding.
	if (acc !== 0) throw new RangeError('Not base64url: stray bits.');
	return out;
}
