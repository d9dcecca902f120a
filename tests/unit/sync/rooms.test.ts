/** What a person types as the sync server's address becomes the WebSocket address y-websocket needs. */
import { describe, expect, it } from 'vitest';
import { serverAddress } from '$lib/sync/rooms';

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
