/**
 * The sync server's slowing down of wrong tokens (server/rate-limit.mjs), on a fake clock: free
 * mistakes, doubling waits up to a quarter of an hour, forgetting after an hour, and one record
 * per IPv4 address or IPv6 /64 network.
 */
import { describe, expect, it } from 'vitest';
import {
	FIRST_WAIT_MS,
	FORGET_AFTER_MS,
	FREE_FAILURES,
	MAX_WAIT_MS,
	addressKey,
	createRateLimit
} from '../../../server/rate-limit.mjs';

function clock() {
	let t = 1_000_000;
	return { now: () => t, pass: (ms: number) => (t += ms) };
}

describe('the rate limit on wrong tokens', () => {
	it('lets a few mistakes pass, then doubles the wait up to a quarter of an hour', () => {
		const c = clock();
		const limit = createRateLimit({ now: c.now });
		for (let i = 0; i < FREE_FAILURES; i++) {
			expect(limit.waitFor('10.0.0.1')).toBe(0);
			limit.failed('10.0.0.1');
		}
		expect(limit.waitFor('10.0.0.1')).toBe(0);
		const waits: number[] = [];
		for (let i = 0; i < 14; i++) {
			limit.failed('10.0.0.1');
			const wait = limit.waitFor('10.0.0.1');
			waits.push(wait);
			c.pass(wait);
		}
		expect(waits.slice(0, 4)).toEqual([1, 2, 4, 8].map((s) => s * FIRST_WAIT_MS));
		expect(Math.max(...waits)).toBe(MAX_WAIT_MS);
		// Another address is untouched.
		expect(limit.waitFor('10.0.0.2')).toBe(0);
	});

	it('forgets an address an hour after its last failure', () => {
		const c = clock();
		const limit = createRateLimit({ now: c.now });
		for (let i = 0; i < FREE_FAILURES + 3; i++) limit.failed('10.0.0.1');
		expect(limit.waitFor('10.0.0.1')).toBe(4 * FIRST_WAIT_MS);
		c.pass(FORGET_AFTER_MS + 1);
		expect(limit.waitFor('10.0.0.1')).toBe(0);
		limit.failed('10.0.0.1');
		expect(limit.waitFor('10.0.0.1')).toBe(0);
		expect(limit.size).toBe(1);
	});

	it('counts an IPv6 /64 as one address, and IPv4-mapped addresses as IPv4', () => {
		expect(addressKey('::ffff:192.168.1.20')).toBe('192.168.1.20');
		expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
		expect(addressKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
		expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
		expect(addressKey(undefined)).toBe('unknown');
		const c = clock();
		const limit = createRateLimit({ now: c.now });
		for (let i = 0; i < FREE_FAILURES + 1; i++) limit.failed(`2001:db8:1:2::${i.toString(16)}`);
		expect(limit.waitFor('2001:db8:1:2:ffff::9')).toBe(FIRST_WAIT_MS);
		expect(limit.waitFor('2001:db8:1:3::1')).toBe(0);
	});
});
