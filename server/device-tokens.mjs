/**
 * Per-device access tokens. The person's first token (printed by the server, `--token`) admits the
 * first device, which trades it for a token of its own; every later device joins with a one-time
 * invitation made by a device already in, and gets its own token too. Each device's token can be
 * revoked from any other; removing a device also retires the first token, so whoever copied it
 * (the lost phone had it) cannot come back through it.
 *
 * What is kept (in `devices.json` in the data folder, or only in memory): per device an id, the
 * SHA-256 of its token (never the token), a label its browser chose (browser and system, which
 * the server sees in every request's User-Agent anyway), the name the person gave it sealed with
 * the group's key (opaque here), when it was added, last seen and removed;
 * the SHA-256 of invitations and of the retired first token; the names of rooms deleted when a
 * group was renewed, so a device still holding them cannot put them back.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export const INVITE_VALID_MS = 24 * 60 * 60_000;
/** How often "last seen" times go to disk at most; revocations are written at once. */
const SEEN_WRITE_MS = 5000;
const LABEL_CHARS = 60;
/** A sealed name: base64url of an AES-GCM envelope of a short name. */
const NAME_PATTERN = /^[\w-]{1,400}$/;
const STORE_VERSION = 1;

/** @param {string} token */
const sha256 = (token) => createHash('sha256').update(token, 'utf8').digest('hex');

/** @param {string} a @param {string} b */
const sameHash = (a, b) =>
	a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

/** A new secret: 32 base64url characters (192 bits), never a leading "-" (kinder to shells). */
export function newSecret() {
	for (;;) {
		const token = randomBytes(24).toString('base64url');
		if (!token.startsWith('-')) return token;
	}
}

/** A label as the person will read it: printable, short. @param {unknown} label */
function cleanLabel(label) {
	const text = typeof label === 'string' ? label.replace(/[^\p{L}\p{N}\p{P}\p{Zs}]/gu, '') : '';
	return text.trim().slice(0, LABEL_CHARS) || 'A device';
}

/**
 * @typedef {{ id: string, hash: string, label: string, name?: string, addedAt: number,
 *   lastSeen: number, revokedAt?: number }} Device
 * @typedef {{ hash: string, expiresAt: number }} Invite
 * @typedef {{ v: number, devices: Device[], invites: Invite[], retired: string[],
 *   deletedRooms: string[] }} Store
 * @typedef {{ kind: 'device', device: Device } | { kind: 'admission' } | { kind: 'invite',
 *   hash: string } | { kind: 'removed', device: Device } | { kind: 'retired' } |
 *   { kind: 'unknown' }} Credential
 */

/**
 * @param {{ file?: string, admissionToken: string, now?: () => number }} options
 */
export function openDeviceTokens({ file, admissionToken, now = Date.now }) {
	/** @type {Store} */
	let store = { v: STORE_VERSION, devices: [], invites: [], retired: [], deletedRooms: [] };
	if (file && existsSync(file)) {
		const read = JSON.parse(readFileSync(file, 'utf8'));
		if (read?.v !== STORE_VERSION)
			throw new Error(`${file} was written by another version of the sync server.`);
		store = { ...store, ...read };
	}
	const admissionHash = sha256(admissionToken);
	const deletedRooms = new Set(store.deletedRooms);

	/** @type {ReturnType<typeof setTimeout> | undefined} */
	let seenTimer;
	const save = () => {
		clearTimeout(seenTimer);
		seenTimer = undefined;
		if (!file) return;
		store.invites = store.invites.filter((i) => i.expiresAt > now());
		// Written whole to a new file, then renamed over the old: a crash leaves one or the other.
		writeFileSync(`${file}.tmp`, JSON.stringify(store), { mode: 0o600 });
		renameSync(`${file}.tmp`, file);
	};
	let closed = false;
	const saveSoon = () => {
		if (!file || closed) return;
		seenTimer ??= setTimeout(() => {
			// Only "last seen" times wait here: a failed write loses nothing that matters.
			try {
				save();
			} catch {
				seenTimer = undefined;
			}
		}, SEEN_WRITE_MS);
	};

	/** @param {string} id */
	const byId = (id) => store.devices.find((d) => d.id === id);

	return {
		/** What a presented token is. @param {string | null | undefined} token @returns {Credential} */
		identify(token) {
			if (typeof token !== 'string' || token === '') return { kind: 'unknown' };
			const hash = sha256(token);
			const device = store.devices.find((d) => sameHash(d.hash, hash));
			if (device)
				return device.revokedAt ? { kind: 'removed', device } : { kind: 'device', device };
			if (sameHash(hash, admissionHash))
				return store.retired.includes(hash) ? { kind: 'retired' } : { kind: 'admission' };
			if (store.retired.includes(hash)) return { kind: 'retired' };
			const invite = store.invites.find((i) => sameHash(i.hash, hash) && i.expiresAt > now());
			return invite ? { kind: 'invite', hash } : { kind: 'unknown' };
		},

		/**
		 * A new device's own token, in exchange for the first token or an invitation (used up).
		 * @param {Credential} via @param {unknown} label
		 */
		enrol(via, label) {
			if (via.kind !== 'admission' && via.kind !== 'invite')
				throw new Error('Only the first access token or an invitation adds a device.');
			if (via.kind === 'invite') {
				const before = store.invites.length;
				store.invites = store.invites.filter((i) => i.hash !== via.hash);
				if (store.invites.length === before) throw new Error('This invitation was used already.');
			}
			const token = newSecret();
			const device = {
				id: randomBytes(9).toString('base64url'),
				hash: sha256(token),
				label: cleanLabel(label),
				addedAt: now(),
				lastSeen: now()
			};
			store.devices.push(device);
			save();
			return { id: device.id, token };
		},

		/** A one-time invitation for one more device, valid for INVITE_VALID_MS. */
		invite() {
			const invite = newSecret();
			const expiresAt = now() + INVITE_VALID_MS;
			store.invites.push({ hash: sha256(invite), expiresAt });
			save();
			return { invite, expiresAt };
		},

		/**
		 * Sets the sealed name a device gave itself (undefined clears it).
		 * @param {string} id @param {unknown} name
		 */
		rename(id, name) {
			const device = byId(id);
			if (!device) return;
			if (name !== undefined && (typeof name !== 'string' || !NAME_PATTERN.test(name)))
				throw new Error('A name must be sealed (base64url, at most 400 characters).');
			device.name = name;
			save();
		},

		/** @param {string} id */
		seen(id) {
			const device = byId(id);
			if (!device) return;
			device.lastSeen = now();
			saveSoon();
		},

		/** Every device, removed ones too (so the list can say when). */
		list() {
			return store.devices.map(({ hash: _hash, ...d }) => d);
		},

		/**
		 * Revokes a device's token for good. Removing another device also retires the first token:
		 * the lost device may have it. Resolves to false for an unknown id.
		 * @param {string} id @param {string} by the device asking
		 */
		revoke(id, by) {
			const device = byId(id);
			if (!device) return false;
			device.revokedAt ??= now();
			if (id !== by && !store.retired.includes(admissionHash)) store.retired.push(admissionHash);
			save();
			return true;
		},

		/** Whether the first token still adds devices. */
		get admissionOpen() {
			return !store.retired.includes(admissionHash);
		},

		/** Rooms deleted when a group was renewed: refused, so no device can put them back. */
		/** @param {string[]} rooms */
		markDeleted(rooms) {
			for (const room of rooms) deletedRooms.add(room);
			store.deletedRooms = [...deletedRooms];
			save();
		},
		/** @param {string} room */
		isDeleted(room) {
			return deletedRooms.has(room);
		},

		/** Writes what is pending (the last-seen times) and stops writing. */
		close() {
			if (seenTimer) save();
			closed = true;
		}
	};
}
