/**
 * This device's side of the server's per-device tokens (server/device-gate.mjs): trading the
 * person's first token or an invitation for a token of its own, listing the group's devices,
 * removing one, inviting another, and deleting a renewed group's old rooms. Each call is a short
 * WebSocket to the control path with the token in the handshake header, as for the rooms: the
 * app's Content-Security-Policy allows ws:/wss: and nothing more.
 */
import { REACH_TIMEOUT_MS, closedText, tokenProtocol, unreachableText } from './rooms';

export const CONTROL_PATH = '/.settle/devices';

export interface DeviceView {
	id: string;
	/** Browser and system, as the device described itself when it joined. */
	label: string;
	/**
	 * The name the person gave the device: sealed with the group's key on the wire, opened by the
	 * engine (undefined when none, or when sealed under a group's old key).
	 */
	name?: string;
	addedAt: number;
	lastSeen: number;
	/** Connected to the server right now. */
	online: boolean;
	revokedAt?: number;
	/** The device asking. */
	you: boolean;
}

/** Why a control request failed; `code` is the server's close code when it refused the token. */
export class ControlError extends Error {
	constructor(
		message: string,
		readonly code?: number,
		readonly reason = ''
	) {
		super(message);
		this.name = 'ControlError';
	}
}

/** A server from before per-device tokens treats the control path as a room and answers in Yjs. */
export const OLD_SERVER = -1;

type Sock = typeof WebSocket;

/**
 * Sends requests one after another on one connection and resolves with their answers.
 * `Impl` exists for Node tests (the `ws` package); browsers use their own WebSocket.
 */
export function control<T extends object[]>(
	serverUrl: string,
	token: string,
	requests: object[],
	Impl: Sock = globalThis.WebSocket
): Promise<T> {
	return new Promise((resolve, reject) => {
		const answers: object[] = [];
		let ws: WebSocket;
		try {
			ws = new Impl(serverUrl.replace(/\/+$/, '') + CONTROL_PATH, [tokenProtocol(token)]);
		} catch {
			return reject(new ControlError(unreachableText(serverUrl)));
		}
		const timer = setTimeout(
			() => fail(new ControlError(unreachableText(serverUrl))),
			REACH_TIMEOUT_MS
		);
		let settled = false;
		function fail(e: ControlError) {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			ws.close();
			reject(e);
		}
		ws.onopen = () => ws.send(JSON.stringify(requests[0]));
		ws.onmessage = (e: MessageEvent) => {
			if (typeof e.data !== 'string')
				return fail(
					new ControlError('This sync server is older and has no per-device tokens.', OLD_SERVER)
				);
			const answer = JSON.parse(e.data) as { ok: boolean; error?: string };
			if (!answer.ok) return fail(new ControlError(answer.error ?? 'The sync server said no.'));
			answers.push(answer);
			if (answers.length < requests.length)
				return ws.send(JSON.stringify(requests[answers.length]));
			settled = true;
			clearTimeout(timer);
			ws.close();
			resolve(answers as T);
		};
		ws.onclose = (e: CloseEvent) =>
			fail(new ControlError(closedText(e.code, e.reason, serverUrl), e.code, e.reason));
		ws.onerror = () => undefined;
	});
}

async function one<T extends object>(
	serverUrl: string,
	token: string,
	request: object,
	Impl?: Sock
): Promise<T> {
	const [answer] = await control<[T]>(serverUrl, token, [request], Impl);
	return answer;
}

/** This device's own token, for the first token or an invitation (which it uses up). */
export const enrol = (serverUrl: string, credential: string, label: string, Impl?: Sock) =>
	one<{ id: string; token: string }>(serverUrl, credential, { op: 'enrol', label }, Impl);

export const listDevices = (serverUrl: string, token: string, Impl?: Sock) =>
	one<{ devices: DeviceView[]; admissionOpen: boolean }>(serverUrl, token, { op: 'list' }, Impl);

export const revokeDevice = (serverUrl: string, token: string, id: string, Impl?: Sock) =>
	one<object>(serverUrl, token, { op: 'revoke', id }, Impl);

export const inviteDevice = (serverUrl: string, token: string, Impl?: Sock) =>
	one<{ invite: string; expiresAt: number }>(serverUrl, token, { op: 'invite' }, Impl);

/** Sets this device's name, sealed on the device (see engine.ts): the server cannot read it. */
export const renameDevice = (
	serverUrl: string,
	token: string,
	name?: string,
	Impl?: Sock,
	id?: string
) => one<object>(serverUrl, token, { op: 'rename', name, id }, Impl);

export const deleteRooms = (serverUrl: string, token: string, rooms: string[], Impl?: Sock) =>
	one<{ deleted: number }>(serverUrl, token, { op: 'delete-rooms', rooms }, Impl);

const BROWSERS: [RegExp, string][] = [
	[/Edg\//, 'Edge'],
	[/OPR\//, 'Opera'],
	[/SamsungBrowser/, 'Samsung Internet'],
	[/Firefox\//, 'Firefox'],
	[/Chrome\/|Chromium\//, 'Chrome'],
	[/Safari\//, 'Safari']
];
const SYSTEMS: [RegExp, string][] = [
	[/Android/, 'Android'],
	[/iPhone|iPad/, 'iOS'],
	[/Windows/, 'Windows'],
	[/CrOS/, 'ChromeOS'],
	[/Mac OS X|Macintosh/, 'macOS'],
	[/Linux/, 'Linux']
];

/**
 * How this device names itself in the list: browser and system, which the server sees in every
 * request anyway, so the label tells it nothing new (no name the person typed).
 */
export function deviceLabel(ua = typeof navigator !== 'undefined' ? navigator.userAgent : '') {
	const browser = BROWSERS.find(([re]) => re.test(ua))?.[1] ?? 'A browser';
	const system = SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? 'another system';
	return `${browser} on ${system}`;
}
