/**
 * Issue 34: a 50 MiB file of ten million intervals on one line was imported as one 3,000-hour
 * session, freezing the page. Now it is refused, saying how long it would be and what Settle
 * imports, before a session is built and with nothing written; reading it never holds the thread
 * long (the longest stretch is printed: timing is reported here, asserted in the benchmark and the
 * end-to-end test); and Cancel stops it within a slice.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, importRrFile, importRrFiles, useDatabase } from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { YourData } from '$lib/data/your-data.svelte';
import { HUGE_COUNT, oneLineHours, oneLineOfIntervals } from '../../e2e/fixtures/import-files/huge';

let n = 0;
beforeEach(() => {
	useDatabase(new SettleDB(`import-huge-${n++}`));
});
const summarize = (s: { rrMs: Float64Array }) => ({ meanHr: s.rrMs.length ? 60 : 0 });
const NOW = 1_750_000_000_000;
const huge = oneLineOfIntervals();
const hours = Math.round(oneLineHours()).toLocaleString('en');
const REFUSAL = `it would be a recording ${hours} hours (125 days) long (10,000,000 intervals); Settle imports recordings of up to 48 hours: split the file into parts of 48 hours or less`;

async function stored(): Promise<{ sessions: number; chunks: number }> {
	return {
		sessions: await (await getDb()).sessions.count(),
		chunks: await (await getDb()).beatChunks.count()
	};
}

describe('a 50 MiB line of ten million intervals', () => {
	it('is refused, saying how long it would be, and nothing is written', async () => {
		expect(huge.length).toBe(50 * 1024 * 1024);
		expect(hours).toBe('3,011');
		const delay = monitorEventLoopDelay({ resolution: 5 });
		delay.enable();
		const t0 = performance.now();
		const r = await importRrFile('ten-million.txt', huge, summarize, NOW);
		const ms = performance.now() - t0;
		delay.disable();
		expect(r).toEqual({ ok: false, status: 'refused', line: 0, reason: REFUSAL });
		expect(await stored()).toEqual({ sessions: 0, chunks: 0 });
		console.log(
			`${HUGE_COUNT.toLocaleString('en')} intervals on one line refused after ${ms.toFixed(0)} ms; longest stretch without a turn for the rest of Node: ${(delay.max / 1e6).toFixed(0)} ms`
		);
	}, 120_000);

	it('stops within a slice when cancelled, and nothing is written', async () => {
		const abort = new AbortController();
		let abortedAt = 0;
		const batch = importRrFiles(
			[{ name: 'ten-million.txt', size: huge.length, bytes: async () => huge }],
			summarize,
			{
				signal: abort.signal,
				onProgress: (p) => {
					if (p.done === 0)
						setTimeout(() => {
							abortedAt = performance.now();
							abort.abort();
						}, 150);
				}
			}
		);
		const result = await batch;
		const answeredMs = performance.now() - abortedAt;
		expect(result).toEqual({ results: [], stopped: 'cancelled' });
		expect(await stored()).toEqual({ sessions: 0, chunks: 0 });
		console.log(`Cancel answered after ${answeredMs.toFixed(0)} ms`);
		// Reading the whole file takes seconds here; Cancel ends it at the slice under way.
		expect(answeredMs).toBeLessThan(1_000);
	}, 120_000);

	it('names the file, how long it would be and the limit on the Your data page', async () => {
		const page = new YourData();
		await page.importFiles([new File([huge], 'ten-million-on-one-line.txt')]);
		expect(page.importSummary?.lines).toEqual([
			{
				name: 'ten-million-on-one-line.txt',
				status: 'refused',
				text: `ten-million-on-one-line.txt was not imported: ${REFUSAL}.`
			}
		]);
		expect(await stored()).toEqual({ sessions: 0, chunks: 0 });
	}, 120_000);
});

describe('a file larger than any recording', () => {
	it('is refused by its size without being read', async () => {
		const batch = await importRrFiles(
			[
				{
					name: 'disk-image.txt',
					size: 300 * 1024 * 1024,
					bytes: async () => {
						throw new Error('read');
					}
				}
			],
			summarize
		);
		expect(batch.results[0].result).toEqual({
			ok: false,
			status: 'refused',
			line: 0,
			reason:
				'it is 300.0 MB, more than a recording of up to 48 hours takes (Settle reads files of up to 128.0 MB): split the file into parts of 48 hours or less'
		});
		expect(await stored()).toEqual({ sessions: 0, chunks: 0 });
	});
});

describe('an analysis that is a wait', () => {
	it('is where Cancel stops a file; a file read at once is imported when not cancelled', async () => {
		const rr = Array.from({ length: 3000 }, (_, i) => String(800 + (i % 50))).join('\n');
		const bytes = new TextEncoder().encode(rr);
		const abort = new AbortController();
		const slow = (s: { rrMs: Float64Array }) =>
			new Promise<{ meanHr: number }>((resolve) => setTimeout(() => resolve(summarize(s)), 500));
		const cancelled = importRrFile('a.txt', bytes, slow, NOW, undefined, undefined, {
			signal: abort.signal
		});
		setTimeout(() => abort.abort(), 50);
		await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
		expect(await stored()).toEqual({ sessions: 0, chunks: 0 });
		const r = await importRrFile('a.txt', bytes, slow, NOW);
		expect(r).toMatchObject({ ok: true, status: 'imported' });
		expect(await stored()).toEqual({ sessions: 1, chunks: 6 });
	});
});
