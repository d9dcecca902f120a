/**
 * Runs the integrity check in a Web Worker (integrity.worker.ts) so the page answers while years
 * of beats are read, with the same options and answer as checkIntegrity. The page keeps the record
 * of what was found sound (localStorage, which a worker lacks): the worker asks for it and sends
 * each update, and the page writes it only if no other tab forgot it meanwhile, exactly as an
 * in-page check does. Aborting ends the worker; what it had recorded is kept. Where no worker can
 * run (Node's tests, or its file failed to load) the check runs on the page as before.
 */
import { databaseName } from './db';
import {
	checkIntegrity,
	localKeeper,
	type CheckRecord,
	type IntegrityOptions,
	type IntegrityProgress,
	type IntegrityReport,
	type KeeperAnswer
} from './integrity';

export type ToWorker =
	| { type: 'check'; dbName: string; batchSize?: number }
	| { type: 'answer'; ask: number; value: CheckRecord | KeeperAnswer | undefined };

export type ToPage =
	| { type: 'read'; ask: number }
	| { type: 'write'; ask: number; record: CheckRecord; stored: boolean }
	| { type: 'progress'; progress: IntegrityProgress }
	| { type: 'done'; report: IntegrityReport }
	| { type: 'failed'; message: string };

export function checkIntegrityOffThread(options: IntegrityOptions = {}): Promise<IntegrityReport> {
	const { signal, onProgress, batchSize } = options;
	if (typeof Worker !== 'function') return checkIntegrity(options);
	let worker: Worker;
	try {
		worker = new Worker(new URL('./integrity.worker.ts', import.meta.url), { type: 'module' });
	} catch {
		return checkIntegrity(options);
	}
	const dbName = databaseName();
	const keeper = localKeeper(dbName);
	return new Promise<IntegrityReport>((resolve, reject) => {
		let over = false;
		const end = () => {
			over = true;
			worker.terminate();
			signal?.removeEventListener('abort', onAbort);
		};
		const onAbort = () => {
			if (over) return;
			end();
			reject(signal?.reason);
		};
		if (signal?.aborted) return onAbort();
		signal?.addEventListener('abort', onAbort);
		const answer = (ask: number, value: CheckRecord | KeeperAnswer | undefined) =>
			worker.postMessage({ type: 'answer', ask, value } satisfies ToWorker);
		worker.onmessage = ({ data }: MessageEvent<ToPage>) => {
			if (over) return;
			if (data.type === 'read') answer(data.ask, keeper.read() as CheckRecord | undefined);
			else if (data.type === 'write')
				answer(data.ask, keeper.write(data.record, data.stored) as KeeperAnswer);
			else if (data.type === 'progress') onProgress?.(data.progress);
			else if (data.type === 'done') {
				end();
				resolve(data.report);
			} else {
				end();
				reject(new Error(data.message));
			}
		};
		// The worker's file did not load (or it died): the check runs here instead.
		worker.onerror = (e) => {
			e.preventDefault();
			if (over) return;
			end();
			checkIntegrity(options).then(resolve, reject);
		};
		worker.postMessage({ type: 'check', dbName, batchSize } satisfies ToWorker);
	});
}
