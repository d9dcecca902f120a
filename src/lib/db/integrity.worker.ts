/**
 * The integrity check, off the page's thread: reading every new session's beats (years of them
 * after a restore) kept the page busy in tasks of 15-25 ms, which a slow phone makes 100-200 ms
 * each. The worker opens the same database itself; what it finds sound is kept by the page, which
 * alone has localStorage (see integrity-off-thread.ts for the messages).
 */
import { useDatabase } from './db';
import { SettleDB } from './schema';
import { checkIntegrity, type CheckRecord, type KeeperAnswer } from './integrity';
import type { ToPage, ToWorker } from './integrity-off-thread';

const scope = self as unknown as {
	onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
	postMessage(message: ToPage): void;
};

/** Questions asked of the page, by number, until it answers. */
const waiting = new Map<number, (answer: CheckRecord | KeeperAnswer | undefined) => void>();
let asked = 0;

type Question = { type: 'read' } | { type: 'write'; record: CheckRecord; stored: boolean };

function ask(question: Question) {
	return new Promise<CheckRecord | KeeperAnswer | undefined>((resolve) => {
		const ask = asked++;
		waiting.set(ask, resolve);
		scope.postMessage({ ...question, ask } as ToPage);
	});
}

scope.onmessage = async ({ data }) => {
	if (data.type === 'answer') {
		waiting.get(data.ask)?.(data.value);
		waiting.delete(data.ask);
		return;
	}
	useDatabase(new SettleDB(data.dbName));
	try {
		const report = await checkIntegrity({
			batchSize: data.batchSize,
			// Each keeping costs the page a parse and a write of the whole record (2,000 sessions:
			// about 2 ms); leaving mid-check loses at most a second of reading.
			keepEveryMs: 1000,
			onProgress: (progress) => scope.postMessage({ type: 'progress', progress }),
			keeper: {
				read: () => ask({ type: 'read' }) as Promise<CheckRecord | undefined>,
				write: (record, stored) => ask({ type: 'write', record, stored }) as Promise<KeeperAnswer>
			}
		});
		scope.postMessage({ type: 'done', report });
	} catch (err) {
		scope.postMessage({
			type: 'failed',
			message: err instanceof Error ? err.message : String(err)
		});
	}
};
