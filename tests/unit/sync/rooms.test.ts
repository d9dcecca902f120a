/** What a person types as the sync server's address becomes the WebSocket address y-websocket needs. */
import { describe, expect, it } from 'vitest';
import { errorText, serverAddress } from '$lib/sync/rooms';
import { SyncKeyError } from '$lib/sync/crypto';

describe('serverAddress', () => {
	it('accepts a bare host and port, http(s) and ws(s) addresses', () => {
		expect(serverAddress(' 192.168.1.20:1234 ')).toBe('ws://192.168.1.20:1234');
		expect(serverAddress('http://pi.local:1234/')).toBe('ws://pi.local:1234');
		expect(serverAddress('https://sync.example.org/settle')).toBe('wss://sync.example.org/settle');
		expect(serverAddress('wss://sync.example.org')).toBe('wss://sync.example.org');
	});
	it('refuses other kinds of address plainly', () => {
		expect(() => serverAddress('ftp://example.org')).toThrow(/ws:\/\/, wss:\/\/, http/);
	});
});

describe('errorText', () => {
	it('says what stopped sync, in words, and that nothing here is lost', () => {
		const full = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
		expect(errorText(full)).toMatch(/storage is full.*safe/);
		expect(errorText(new SyncKeyError('wrong-key'))).toMatch(/does not open/);
		expect(errorText(new Error('boom'))).toMatch(/boom.*safe on this device.*Sync now/);
	});
});
