/**
 * New tabs opened as a person opens them: in a Chromium that no test tool watches while a page
 * loads. Playwright attaches to every page of a browser it drives before the page starts (and
 * enables its domains there), and opens a tab blank before navigating it. Measured on History
 * with 2,000 sessions (26 November, 15 tabs each, medians): opened at its address with nothing
 * attached, 179–187 ms to the third chart; the same with Playwright connected to the browser,
 * 200–221 ms; opened blank, attached to, then navigated, 229 ms; Playwright's newPage and goto,
 * 284–292 ms. So this launches Chromium itself, on a profile already prepared (with Playwright,
 * then closed), and speaks the DevTools protocol to the browser only: it opens a tab at an address
 * (as a link opened in a new tab, a bookmark or an installed app does), and attaches to the page
 * only once it has loaded, to read what the page measured of itself.
 *
 * Tabs are opened a few seconds apart, as a person does. Opened right after another one closed,
 * a third of them took about 100 ms longer (10 tabs each: median 236 against 174 ms).
 */
import * as chromeLauncher from 'chrome-launcher';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH, DESKTOP } from '../e2e/fixtures/browser';

const GAP_MS = 3000;
const COMMAND_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Reply {
	id: number;
	result?: Record<string, unknown>;
	error?: { message: string };
}

export class UnwatchedBrowser {
	private next = 0;
	private replies = new Map<number, (reply: Reply) => void>();

	private constructor(
		private chrome: chromeLauncher.LaunchedChrome,
		private socket: WebSocket
	) {
		socket.on('message', (data) => {
			const reply = JSON.parse(String(data)) as Reply;
			this.replies.get(reply.id)?.(reply);
			this.replies.delete(reply.id);
		});
	}

	/** Chromium on `profile` (not in use by another browser), headless, with the tests' flags. */
	static async launch(profile: string): Promise<UnwatchedBrowser> {
		const chrome = await chromeLauncher.launch({
			chromePath: CHROMIUM_PATH,
			chromeFlags: [
				...CHROMIUM_ARGS,
				'--headless',
				`--window-size=${DESKTOP.width},${DESKTOP.height}`
			],
			userDataDir: profile,
			// Only the tests' own flags: the browser they drive with Playwright, minus Playwright.
			ignoreDefaultFlags: true,
			logLevel: 'silent'
		});
		const version = (await (
			await fetch(`http://127.0.0.1:${chrome.port}/json/version`)
		).json()) as { webSocketDebuggerUrl: string };
		const socket = new WebSocket(version.webSocketDebuggerUrl);
		await new Promise((resolve, reject) => {
			socket.once('open', resolve);
			socket.once('error', reject);
		});
		return new UnwatchedBrowser(chrome, socket);
	}

	private send(
		method: string,
		params: object = {},
		sessionId?: string
	): Promise<Record<string, unknown>> {
		const id = ++this.next;
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.replies.delete(id);
				reject(new Error(`${method}: no answer in ${COMMAND_TIMEOUT_MS} ms`));
			}, COMMAND_TIMEOUT_MS);
			this.replies.set(id, (reply) => {
				clearTimeout(timer);
				if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
				else resolve(reply.result ?? {});
			});
			this.socket.send(JSON.stringify({ id, method, params, sessionId }));
		});
	}

	/**
	 * A private window: a browser context kept in memory only (Chromium's incognito profile, with
	 * no compiled code kept between visits); its id is given to `visit`.
	 */
	async privateWindow(): Promise<string> {
		const { browserContextId } = await this.send('Target.createBrowserContext');
		return browserContextId as string;
	}

	/**
	 * Opens `url` in a new tab (of the private window `inContext`, when given), a few seconds after
	 * the last one, and waits until `expression` (evaluated in the page, first after `settleMs`,
	 * then every 250 ms; a promise is awaited) gives a value other than null; returns that value
	 * and closes the tab.
	 */
	async visit<T>(
		url: string,
		expression: string,
		settleMs = 1500,
		timeoutMs = 20_000,
		inContext?: string
	): Promise<T> {
		await sleep(GAP_MS);
		const { targetId } = await this.send('Target.createTarget', {
			url,
			...(inContext ? { browserContextId: inContext } : {})
		});
		await sleep(settleMs);
		try {
			const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
			const until = Date.now() + timeoutMs;
			for (;;) {
				const { result } = (await this.send(
					'Runtime.evaluate',
					{ expression, returnByValue: true, awaitPromise: true },
					sessionId as string
				)) as { result: { value?: T | null } };
				if (result.value !== null && result.value !== undefined) return result.value;
				if (Date.now() > until) throw new Error(`${url}: still null after ${timeoutMs} ms`);
				await sleep(250);
			}
		} finally {
			await this.send('Target.closeTarget', { targetId });
		}
	}

	async close(): Promise<void> {
		this.socket.close();
		await this.chrome.kill();
	}
}
