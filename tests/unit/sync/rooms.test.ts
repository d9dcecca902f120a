/** What a person types as the sync server's address becomes the WebSocket address y-websocket needs. */
import { describe, expect, it } from 'vitest';
import {
	MESSAGE_TOO_BIG,
	REFUSED,
	REFUSED_TEXT,
	STORAGE_FAILED,
	TOO_LARGE,
	closeText,
	closedText,
	errorText,
	serverAddress
} from '$lib/sync/rooms';
import { deviceLabel } from '$lib/sync/devices';
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

describe('closeText', () => {
	it('says in words why the server closed, with its reason, and that nothing here is lost', () => {
		expect(closeText(REFUSED)).toBe(REFUSED_TEXT);
		expect(closeText(TOO_LARGE, 'document limit: 128 MB stored, 2 MB more is over 128 MB')).toBe(
			'The sync server refused what this device sent: it is more than the server accepts (document limit: 128 MB stored, 2 MB more is over 128 MB). Your sessions are safe on this device. Whoever runs the server can raise its limits (--max-doc-mb, --max-message-mb); then press Sync now.'
		);
		expect(closeText(MESSAGE_TOO_BIG)).toMatch(
			/more than the server accepts \(over its size limit\)/
		);
		expect(closeText(STORAGE_FAILED, "the server's disk is nearly full")).toBe(
			"The sync server could not store what this device sent (the server's disk is nearly full). Your sessions are safe on this device, and sync tries again by itself every 30 seconds (or press Sync now)."
		);
		// An ordinary close (a restart, the network) is not news.
		expect(closeText(1006)).toBeUndefined();
		expect(closeText(1000)).toBeUndefined();
	});
});

describe('closedText', () => {
	it('tells apart a refused token, a removed device, a retired token, a renewed group and a wait', () => {
		const url = 'ws://pi.local:1234';
		expect(closedText(4401, 'access token refused', url)).toMatch(/refused the access token/);
		expect(closedText(4403, 'device removed', url)).toMatch(
			/access was removed from another device.*sessions stay here/
		);
		expect(closedText(4403, 'access token retired', url)).toMatch(/retired.*invitation/);
		expect(closedText(4410, 'sync group renewed', url)).toMatch(/renewed.*new pairing code/);
		expect(closedText(4429, 'too many wrong tokens; wait 16 s', url)).toMatch(/waits 16 seconds/);
		expect(closedText(1006, '', url)).toMatch(
			/Cannot reach the sync server at ws:\/\/pi.local:1234/
		);
	});
});

describe('deviceLabel', () => {
	it('names the browser and system from the User-Agent, nothing more', () => {
		const android =
			'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
		const edge =
			'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
		const mac =
			'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
		expect(deviceLabel(android)).toBe('Chrome on Android');
		expect(deviceLabel(edge)).toBe('Edge on Windows');
		expect(deviceLabel(mac)).toBe('Safari on macOS');
		expect(deviceLabel('')).toBe('A browser on another system');
	});
});
