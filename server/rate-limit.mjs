/**
 * Failed access-token attempts, slowed down per remote address. A few mistakes are free (a person
 * mistyping a token); after that each further failure doubles the time the address must wait
 * before its next token is even looked at, up to a quarter of an hour. While it waits, every
 * attempt from it is turned away unchecked, the right token too: otherwise a guesser would simply
 * keep guessing and learn from the one that got in. An address's record is forgotten an hour
 * after its last failure.
 *
 * Tokens the server knows but no longer admits (a removed device's, a retired one) are not
 * failures: a lost phone retrying on the home network must not lock its owner's other devices out.
 */

/** Failures an address may make before it has to wait. */
export const FREE_FAILURES = 5;
/** The first wait; each further failure doubles it. */
export const FIRST_WAIT_MS = 1000;
export const MAX_WAIT_MS = 15 * 60_000;
/** An address with no failure for this long starts afresh. */
export const FORGET_AFTER_MS = 60 * 60_000;
/** Addresses remembered at most, so a flood of addresses cannot fill the memory. */
const MAX_ADDRESSES = 50_000;

/**
 * The part of an address one party controls: an IPv4 address, or the /64 network of an IPv6 one
 * (a single home or phone is given a whole /64, and could rotate through it).
 * @param {string | undefined} address
 */
export function addressKey(address) {
	if (!address) return 'unknown';
	const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
	if (v4) return v4[1];
	if (!address.includes(':')) return address;
	const [head, tail = ''] = address.toLowerCase().split('%')[0].split('::');
	const front = head ? head.split(':') : [];
	const back = tail ? tail.split(':') : [];
	const groups = address.includes('::')
		? [...front, ...Array(8 - front.length - back.length).fill('0'), ...back]
		: front;
	return groups
		.slice(0, 4)
		.map((g) => g.replace(/^0+(?=.)/, ''))
		.join(':')
		.concat('::/64');
}

/**
 * @param {{ now?: () => number }} [options]
 */
export function createRateLimit({ now = Date.now } = {}) {
	/** @type {Map<string, { failures: number, until: number, last: number }>} */
	const seen = new Map();

	/** @param {string} key */
	const current = (key) => {
		const entry = seen.get(key);
		if (entry && now() - entry.last > FORGET_AFTER_MS && now() >= entry.until) {
			seen.delete(key);
			return undefined;
		}
		return entry;
	};

	/** Drops forgotten addresses, then the longest-quiet ones, when too many are remembered. */
	const prune = () => {
		for (const key of seen.keys()) current(key);
		if (seen.size < MAX_ADDRESSES) return;
		const quiet = [...seen.entries()].sort((a, b) => a[1].last - b[1].last);
		for (const [key] of quiet.slice(0, seen.size - MAX_ADDRESSES + 1)) seen.delete(key);
	};

	return {
		/** How long (ms) this address must still wait before a token of its is checked; 0: now. */
		waitFor(/** @type {string | undefined} */ address) {
			const entry = current(addressKey(address));
			return entry ? Math.max(0, entry.until - now()) : 0;
		},
		/** A wrong token from this address. */
		failed(/** @type {string | undefined} */ address) {
			const key = addressKey(address);
			let entry = current(key);
			if (!entry) {
				if (seen.size >= MAX_ADDRESSES) prune();
				entry = { failures: 0, until: 0, last: 0 };
				seen.set(key, entry);
			}
			entry.failures++;
			entry.last = now();
			const over = entry.failures - FREE_FAILURES;
			if (over > 0) entry.until = now() + Math.min(FIRST_WAIT_MS * 2 ** (over - 1), MAX_WAIT_MS);
		},
		/** Addresses remembered now (for tests and the health of the server). */
		get size() {
			return seen.size;
		}
	};
}
