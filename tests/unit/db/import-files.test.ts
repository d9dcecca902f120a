/**
 * Importing other apps' files as sessions: the file's date, optical recordings marked and their
 * blocked beats flagged, whole histories at once with progress, cancel and a summary, and no
 * second session when the same recording comes again.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
	deleteSession,
	getBeats,
	getDb,
	importRrFile,
	importRrFiles,
	knownImports,
	useDatabase,
	type ImportProgress
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { BEAT_FLAG } from '$lib/strap/beat-timeline';
import { YourData, describeImport } from '$lib/data/your-data.svelte';
import {
	POLAR_START,
	eliteHrv,
	mixedFolder,
	polarPpi,
	restingRr,
	selfLoops,
	utf8
} from '../../e2e/fixtures/import-files/formats';

let n = 0;
beforeEach(() => {
	useDatabase(new SettleDB(`import-files-${n++}`));
});
const summarize = (s: { rrMs: Float64Array }) => ({ meanHr: s.rrMs.length ? 60 : 0 });
const source = (name: string, bytes: Uint8Array, lastModified?: number) => ({
	name,
	lastModified,
	bytes: async () => bytes
});
const folder = () => mixedFolder().map((f) => source(f.name, f.bytes));
const NOW = 1_750_000_000_000;

describe('one file', () => {
	it('marks an optical PPI recording and flags its blocked and contact-less beats', async () => {
		const rr = restingRr(150, 51);
		const seen: number[] = [];
		const r = await importRrFile(
			'Polar_Sense_PPI.txt',
			utf8(polarPpi(rr, POLAR_START, [10, 11], [40])),
			(s) => {
				seen.push(...s.flags);
				return summarize(s);
			},
			NOW
		);
		if (!r.ok) throw new Error(r.reason);
		expect(r.session).toMatchObject({
			signal: 'ppi',
			importFormat: 'Polar Sensor Logger PPI (optical)',
			startedAt: POLAR_START + rr[0],
			beatCount: 150
		});
		expect(r.report).toMatchObject({
			optical: true,
			dateFrom: 'file',
			format: r.session.importFormat
		});
		const back = await getBeats(r.session.id);
		expect([...back.rrMs]).toEqual(rr);
		expect(back.flags[10]).toBe(BEAT_FLAG.IMPLAUSIBLE);
		expect(back.flags[11]).toBe(BEAT_FLAG.IMPLAUSIBLE);
		expect(back.flags[40]).toBe(BEAT_FLAG.NO_CONTACT);
		expect([...back.flags].filter((f) => f !== 0)).toHaveLength(3);
		// The analysis is handed the same flags, so it leaves those beats out.
		expect(seen[10]).toBe(BEAT_FLAG.IMPLAUSIBLE);
		expect(back.timeMs[149]).toBeCloseTo(
			rr.reduce((a, b) => a + b, 0),
			3
		);
	});

	it('leaves ECG recordings unmarked', async () => {
		const r = await importRrFile('a.txt', utf8(restingRr(50, 52).join('\n')), summarize, NOW);
		expect(r.ok && r.session.signal).toBeUndefined();
	});

	it('dates a recording by its contents first, then its name, then when the file was written', async () => {
		const rr = restingRr(100, 53);
		const text = selfLoops(rr, '\n');
		const inside = await importRrFile(
			'2024-03-05 07-12-44.txt',
			utf8(text),
			summarize,
			NOW,
			NOW - 5e6
		);
		expect(inside.ok && inside.report).toMatchObject({
			startedAt: new Date(2017, 7, 4, 12, 53, 19).getTime(),
			dateFrom: 'file'
		});
		const named = await importRrFile('2024-03-05 07-12-44.txt', utf8(eliteHrv(rr)), summarize, NOW);
		expect(named.ok && named.report).toMatchObject({
			startedAt: new Date(2024, 2, 5, 7, 12, 44).getTime(),
			dateFrom: 'file name'
		});
		const rr2 = restingRr(100, 54);
		const written = await importRrFile('x.txt', utf8(rr2.join('\n')), summarize, NOW, NOW - 1e6);
		expect(written.ok && written.report.dateFrom).toBe('file modified');
		const undated = await importRrFile(
			'y.txt',
			utf8(restingRr(100, 55).join('\n')),
			summarize,
			NOW
		);
		expect(undated.ok && undated.report).toMatchObject({ startedAt: NOW, dateFrom: 'import time' });
	});

	it('is the same recording again when the same file comes back, renamed or not', async () => {
		const bytes = utf8(selfLoops(restingRr(100, 56), '\r\n'));
		const known = await knownImports();
		const first = await importRrFile('20170804001r.txt', bytes, summarize, NOW, undefined, known);
		expect(first.ok).toBe(true);
		const again = await importRrFile('copy of it.txt', bytes, summarize, NOW, undefined, known);
		expect(again).toMatchObject({
			ok: false,
			status: 'duplicate',
			duplicateOf: { id: first.ok ? first.session.id : '' }
		});
		// Fingerprints are stored: a later batch (a new page) knows them too.
		expect((await knownImports()).size).toBe(1);
		expect(await (await getDb()).sessions.count()).toBe(1);
	});

	it('recognises recordings imported before fingerprints were kept', async () => {
		const bytes = utf8(selfLoops(restingRr(90, 60), '\n'));
		const old = await importRrFile('20170804001r.txt', bytes, summarize, NOW);
		const plain = await importRrFile('b.txt', utf8(restingRr(90, 61).join('\n')), summarize, NOW);
		if (!old.ok || !plain.ok) throw new Error('not imported');
		// As an older version stored them: no fingerprint.
		for (const id of [old.session.id, plain.session.id])
			await (await getDb()).sessions.update(id, { importFingerprint: undefined });
		const known = await knownImports();
		const again = await importRrFile('x.txt', bytes, summarize, NOW, undefined, known);
		expect(again).toMatchObject({ status: 'duplicate', duplicateOf: { id: old.session.id } });
		const plainAgain = await importRrFile(
			'b.txt',
			utf8(restingRr(90, 61).join('\n')),
			summarize,
			NOW,
			undefined,
			known
		);
		expect(plainAgain).toMatchObject({
			status: 'duplicate',
			duplicateOf: { id: plain.session.id }
		});
	});

	it('imports a recording again once its session was deleted', async () => {
		const bytes = utf8(restingRr(80, 57).join('\n'));
		const first = await importRrFile(
			'a.txt',
			bytes,
			summarize,
			NOW,
			undefined,
			await knownImports()
		);
		if (!first.ok) throw new Error(first.reason);
		await deleteSession(first.session.id);
		const again = await importRrFile(
			'a.txt',
			bytes,
			summarize,
			NOW,
			undefined,
			await knownImports()
		);
		expect(again.ok).toBe(true);
	});
});

describe('a whole history at once', () => {
	it('imports a folder of mixed files: each format in, heart-rate files and images refused', async () => {
		const progress: ImportProgress[] = [];
		const batch = await importRrFiles(folder(), summarize, {
			onProgress: (p) => progress.push(p),
			now: () => NOW
		});
		const fixtures = mixedFolder();
		expect(batch.stopped).toBeUndefined();
		expect(batch.results.map((r) => r.name)).toEqual(fixtures.map((f) => f.name));
		for (const [i, f] of fixtures.entries()) {
			const r = batch.results[i].result;
			if (f.expect.ok) {
				expect(r, f.name).toMatchObject({ ok: true, status: 'imported' });
				if (!r.ok) continue;
				expect(r.session.beatCount).toBe(f.expect.beats);
				expect(r.session.importFormat).toBe(f.expect.format);
				expect(r.session.signal).toBe(f.expect.optical ? 'ppi' : undefined);
				if (f.expect.startedAt !== undefined) expect(r.session.startedAt).toBe(f.expect.startedAt);
			} else {
				expect(r, f.name).toMatchObject({ ok: false, status: 'refused', line: f.expect.line });
				if (!r.ok) expect(r.reason).toMatch(f.expect.reason);
			}
		}
		const imported = fixtures.filter((f) => f.expect.ok).length;
		expect(await (await getDb()).sessions.count()).toBe(imported);
		// Progress before each file, then done.
		expect(progress[0]).toEqual({ done: 0, total: fixtures.length, current: fixtures[0].name });
		expect(progress.at(-1)).toEqual({ done: fixtures.length, total: fixtures.length });

		// The same folder again: every recording is already there.
		const again = await importRrFiles(folder(), summarize, { now: () => NOW });
		const statuses = again.results.map((r) => r.result.status);
		expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(imported);
		expect(statuses.filter((s) => s === 'imported')).toHaveLength(0);
		expect(await (await getDb()).sessions.count()).toBe(imported);
	});

	it('imports a recording once when it is twice in the same batch', async () => {
		const bytes = utf8(restingRr(90, 58).join('\n'));
		const batch = await importRrFiles(
			[source('2024-03-05 07-12-44.txt', bytes), source('2024-03-05 07-12-44 (1).txt', bytes)],
			summarize
		);
		expect(batch.results.map((r) => r.result.status)).toEqual(['imported', 'duplicate']);
	});

	it('stops between files when cancelled, keeping what was imported', async () => {
		const abort = new AbortController();
		const batch = await importRrFiles(folder(), summarize, {
			signal: abort.signal,
			onProgress: (p) => {
				if (p.done === 2) abort.abort();
			}
		});
		expect(batch.stopped).toBe('cancelled');
		expect(batch.results).toHaveLength(3);
		expect(await (await getDb()).sessions.count()).toBe(3);
	});

	it('reports a file that cannot be read and goes on with the rest', async () => {
		const batch = await importRrFiles(
			[
				{
					name: 'gone.txt',
					bytes: async () => {
						throw new Error('the file was moved');
					}
				},
				source('b.txt', utf8(restingRr(60, 59).join('\n')))
			],
			summarize
		);
		expect(batch.results.map((r) => r.result)).toMatchObject([
			{ status: 'refused', line: 0, reason: 'it could not be read (the file was moved)' },
			{ status: 'imported' }
		]);
	});
});

describe('the Your data page', () => {
	const file = (name: string, bytes: Uint8Array) =>
		new File([new Uint8Array(bytes)], name, { lastModified: NOW });

	it('summarises a batch: what was imported, skipped and refused, and why', async () => {
		const page = new YourData();
		const files = mixedFolder().map((f) => file(f.name, f.bytes));
		await page.importFiles([...files, file('.DS_Store', Uint8Array.of(0, 0, 0, 1))]);
		const s = page.importSummary!;
		expect(s).toMatchObject({
			total: files.length,
			imported: files.length - 3,
			duplicates: 0,
			refused: 3,
			notRead: 0,
			ignored: 1
		});
		expect(page.importProgress).toBeUndefined();
		const elite = s.lines.find((l) => l.name === '2024-03-05 07-12-44.txt')!;
		expect(elite.text).toBe('Imported 2024-03-05 07-12-44.txt: 150 beats, added to your sessions.');
		expect(elite.detail).toMatch(
			/^Elite HRV · RR in ms · recorded .* \(date from the file name\)$/
		);
		const ppi = s.lines.find((l) => l.name.endsWith('_PPI.txt'))!;
		expect(ppi.detail).toMatch(/optical pulse intervals \(PPI\), not ECG/);
		expect(ppi.detail).toMatch(/4 beats kept but left out of the analysis: blocked/);
		const ann = s.lines.find((l) => l.name === 'mitdb_rr_seconds.txt')!;
		expect(ann.detail).toMatch(/1 value left out: the first value \(225\.8 s\)/);
		const kubios = s.lines.find((l) => l.name.startsWith('kubios_3.3'))!;
		expect(kubios.detail).toMatch(/read as WINDOWS-1252$/);
		expect(s.lines.find((l) => l.name === 'chart.png')).toMatchObject({
			status: 'refused',
			text: 'chart.png was not imported: not a text file (it holds binary data).'
		});
		expect(s.lines.find((l) => l.name === 'ot_a61_Features.csv')?.text).toMatch(
			/^ot_a61_Features\.csv was not imported: line 1: no RR column: this file holds heart rate and HRV figures but no beat-to-beat \(RR\) intervals/
		);

		await page.importFiles(files.slice(0, 2));
		expect(page.importSummary).toMatchObject({ imported: 0, duplicates: 2, refused: 0 });
		expect(page.importSummary!.lines[0].text).toMatch(
			/^Skipped kubios_morning_hrv\.txt: already imported \(the session of .+\)\.$/
		);
	});

	it('describes what a file held in one line', () => {
		expect(
			describeImport({
				format: 'Kubios HRV results',
				beats: 90,
				unit: 's',
				column: 'RR interval',
				encoding: 'utf-8',
				startedAt: new Date(2019, 2, 15, 7, 30).getTime(),
				dateFrom: 'file',
				optical: false,
				leftOut: [],
				flagged: [{ count: 2, reason: 'outside 200-3000 ms (a pause or a drop-out)' }]
			})
		).toMatch(
			/^Kubios HRV results · RR in seconds \(column "RR interval"\) · recorded .+ \(date from the file\) · 2 beats kept but left out of the analysis: outside 200-3000 ms \(a pause or a drop-out\)$/
		);
	});
});
