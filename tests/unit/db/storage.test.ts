import { Dexie } from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import {
	appendBeats,
	backupBlob,
	createSession,
	deleteEverything,
	deleteSession,
	finishRecovered,
	getBeats,
	getDb,
	getSession,
	importRrFile,
	resumeInfo,
	restoreBackup,
	undoDelete,
	unfinishedSessions,
	useDatabase,
	rrText,
	beatsCsv
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { DB_VERSION } from '$lib/db/rows';

let n = 0;
beforeEach(() => {
	useDatabase(new SettleDB(`storage-${n++}`));
});
const beat = (timeMs: number, rrMs: number, flags = 0) => ({ timeMs, rrMs, flags });
const summarize = (s: { rrMs: Float64Array }) => ({ meanHr: s.rrMs.length ? 60 : 0 });

describe('migrations', () => {
	it('upgrades a version-1 database, keeping its rows and filling new fields', async () => {
		const name = `legacy-${n++}`;
		const v1 = new Dexie(name);
		v1.version(1).stores({
			sessions: 'id, startedAt, status, routine, phase, *tags',
			beatChunks: '[sessionId+seq], sessionId',
			events: '++id, sessionId, type',
			routines: 'name'
		});
		await v1.table('sessions').add({ id: 'old', startedAt: 1, status: 'finished', beatCount: 2 });
		await v1.table('beatChunks').add({
			sessionId: 'old',
			seq: 0,
			t0Ms: 800,
			rrMs: Float64Array.from([800, 810]),
			offsetMs: Float32Array.from([0, 810]),
			flags: new Uint8Array(2)
		});
		v1.close();
		const db = new SettleDB(name);
		useDatabase(db);
		const row = await getSession('old');
		expect(db.verno).toBe(DB_VERSION);
		expect(await db.experiments.count()).toBe(0);
		expect(row).toMatchObject({
			id: 'old',
			tags: [],
			phase: 'none',
			source: 'bluetooth',
			beatCount: 2
		});
		expect([...(await getBeats('old')).rrMs]).toEqual([800, 810]);
		expect(await db.sessions.where('source').equals('bluetooth').count()).toBe(1);
	});
	it('upgrades a version-2 database to the newest: its sessions kept, empty breathing and experiments tables', async () => {
		const name = `legacy-${n++}`;
		const v2 = new Dexie(name);
		v2.version(2).stores({
			sessions: 'id, startedAt, status, routine, phase, source, *tags',
			beatChunks: '[sessionId+seq], sessionId',
			events: '++id, sessionId, type',
			routines: 'name'
		});
		await v2.table('sessions').add({
			id: 'v2',
			startedAt: 1,
			status: 'finished',
			source: 'demo',
			tags: [],
			phase: 'none',
			beatCount: 0
		});
		v2.close();
		const db = new SettleDB(name);
		useDatabase(db);
		expect((await db.sessions.get('v2'))?.source).toBe('demo');
		expect(db.verno).toBe(DB_VERSION);
		expect(await db.breathing.count()).toBe(0);
		expect(await db.experiments.count()).toBe(0);
	});
});

describe('crash recovery', () => {
	it('finds an unfinished session and finishes it from the saved chunks', async () => {
		const s = await createSession({ source: 'demo', strapName: 'Demo' });
		await appendBeats(s.id, 0, [beat(800, 800), beat(1610, 810)]);
		await appendBeats(s.id, 1, [beat(2430, 820)]);
		expect((await unfinishedSessions()).map((r) => r.id)).toEqual([s.id]);
		const info = await resumeInfo(s.id);
		expect(info).toMatchObject({ nextSeq: 2, lastTimeMs: 2430 });
		await finishRecovered(s.id, summarize);
		const row = await getSession(s.id);
		expect(row).toMatchObject({
			status: 'finished',
			recovered: true,
			beatCount: 3,
			durationMs: 2430
		});
		expect(await unfinishedSessions()).toEqual([]);
	});
});

describe('export', () => {
	it('writes RR text at full precision and a CSV with time, RR, HR and flags', () => {
		const series = {
			rrMs: Float64Array.from([812.5, 1000]),
			timeMs: Float64Array.from([812.5, 1812.5]),
			flags: Uint8Array.from([0, 4])
		};
		expect(rrText(series)).toBe('812.5\n1000\n');
		expect(beatsCsv(series)).toBe(
			'time_s,rr_ms,hr_bpm,flags\n0.8125,812.5,73.85,0\n1.8125,1000,60.00,4\n'
		);
	});
});

describe('backup', () => {
	it('round-trips everything, typed arrays included, into an empty database', async () => {
		const s = await createSession({
			source: 'bluetooth',
			strapName: 'Polar H10',
			tags: ['morning']
		});
		await appendBeats(s.id, 0, [beat(812.5, 812.5, 0), beat(1625.9765625, 813.4765625, 4)]);
		await (await getDb()).events.add({ sessionId: s.id, type: 'gap', startMs: 1, endMs: 2 });
		const before = {
			sessions: await (await getDb()).sessions.toArray(),
			chunks: await (await getDb()).beatChunks.toArray(),
			events: await (await getDb()).events.toArray()
		};
		const blob = await backupBlob();
		useDatabase(new SettleDB(`empty-${n++}`));
		const result = await restoreBackup(blob);
		expect(result, JSON.stringify(result)).toEqual({ ok: true, sessions: 1 });
		expect(await (await getDb()).sessions.toArray()).toEqual(before.sessions);
		const chunks = await (await getDb()).beatChunks.toArray();
		expect(chunks).toEqual(before.chunks);
		expect(chunks[0].rrMs).toBeInstanceOf(Float64Array);
		expect(await (await getDb()).events.toArray()).toEqual(before.events);
	});

	it('refuses a broken file, another app’s file and a newer version, changing nothing', async () => {
		await createSession({ source: 'demo', strapName: 'Demo' });
		const count = async () => (await getDb()).sessions.count();
		expect(await restoreBackup(new Blob(['{not json']))).toMatchObject({ ok: false });
		const other = new Blob([
			JSON.stringify({
				formatName: 'dexie',
				formatVersion: 1,
				data: { databaseName: 'other', databaseVersion: 1, tables: [], data: [] }
			})
		]);
		expect(await restoreBackup(other)).toMatchObject({
			ok: false,
			reason: 'This file is not a Settle backup.'
		});
		const newer = new Blob([
			JSON.stringify({
				formatName: 'dexie',
				formatVersion: 1,
				data: {
					databaseName: 'settle',
					databaseVersion: 99,
					tables: [
						{ name: 'sessions', schema: 'id', rowCount: 0 },
						{ name: 'beatChunks', schema: '[sessionId+seq]', rowCount: 0 },
						{ name: 'events', schema: '++id', rowCount: 0 }
					],
					data: []
				}
			})
		]);
		const r = await restoreBackup(newer);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.reason).toMatch(/newer Settle/);
		expect(await count()).toBe(1);
	});
});

describe('import', () => {
	const rr = Array.from({ length: 300 }, (_, i) => 800 + 40 * Math.sin(i / 4));
	const fixtures: Record<string, string> = {
		// Plain text, one RR in ms per line (Kubios, most loggers).
		'plain.txt': rr.map((v) => v.toFixed(0)).join('\n'),
		// Seconds, one per line.
		'seconds.txt': rr.map((v) => (v / 1000).toFixed(3)).join('\n'),
		// Elite HRV exports a text file of RR in ms, one per line, named by the reading's date-time.
		'2024-03-05 07-12-44.txt': rr.map((v) => v.toFixed(0)).join('\n'),
		// Polar Sensor Logger: semicolon-separated, phone timestamp then RR in ms.
		'Polar_H10_RR.txt':
			'Phone timestamp;RR-interval [ms]\n' +
			rr
				.map((v, i) => `2024-03-05T07:12:${String(i % 60).padStart(2, '0')}.000;${v.toFixed(0)}`)
				.join('\n'),
		// HRV Logger (Marco Altini): comma-separated with a header naming the rr column.
		'hrv_logger_rr.csv':
			'date,rr\n' + rr.map((v) => `2024-03-05 07:12:00,${v.toFixed(0)}`).join('\n')
	};
	for (const [name, text] of Object.entries(fixtures)) {
		it(`imports ${name} as a finished session`, async () => {
			const r = await importRrFile(name, text, summarize, 1_700_000_000_000);
			expect(r.ok).toBe(true);
			if (!r.ok) return;
			expect(r.session).toMatchObject({ status: 'finished', source: 'import', beatCount: 300 });
			const back = await getBeats(r.session.id);
			expect(back.rrMs.length).toBe(300);
			expect(Math.abs(back.rrMs[0] - 800)).toBeLessThan(1);
		});
	}
	it('keeps a pause in an imported recording, flagged and left out of the analysis', async () => {
		const withPause = rr.map((v) => v.toFixed(0));
		withPause[150] = '5360';
		const seen: number[] = [];
		const r = await importRrFile('holter.txt', withPause.join('\n'), (series) => {
			seen.push(series.flags[150], series.flags[149]);
			return { meanHr: 60 };
		});
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(seen).toEqual([1, 0]);
		const back = await getBeats(r.session.id);
		expect(back.rrMs[150]).toBe(5360);
		expect(back.flags[150]).toBe(1);
	});
	it('dates a file without a date of its own by when it was written', async () => {
		const now = 1_750_000_000_000;
		const written = now - 3 * 86_400_000;
		const r = await importRrFile(
			'export.txt',
			rr.map((v) => v.toFixed(0)).join('\n'),
			summarize,
			now,
			written
		);
		expect(r.ok && r.session.startedAt).toBe(written - (r.ok ? r.session.durationMs : 0));
		expect(r.ok && r.session.endedAt).toBe(written);
	});
	it('takes the start time from the file name or the first timestamp', async () => {
		const a = await importRrFile('2024-03-05 07-12-44.txt', fixtures['plain.txt'], summarize);
		expect(a.ok && new Date(a.session.startedAt).getHours()).toBe(7);
		const b = await importRrFile('Polar_H10_RR.txt', fixtures['Polar_H10_RR.txt'], summarize);
		expect(b.ok && new Date(b.session.startedAt).getMinutes()).toBe(12);
	});
	it('refuses each malformed kind with line and reason, leaving the database unchanged', async () => {
		const cases: [string, number | undefined, RegExp][] = [
			['', undefined, /no RR values/],
			['800\n81o\n820\n', 2, /not a number/],
			['time;hr\n1;70\n', 1, /no RR column/],
			['800\n810\n99999\n', 3, /not a plausible RR/],
			['rr,hr\n800,70\n,71\n', 3, /missing/]
		];
		for (const [text, line, reason] of cases) {
			const r = await importRrFile('bad.txt', text, summarize);
			expect(r.ok).toBe(false);
			if (r.ok) continue;
			if (line !== undefined) expect(r.line).toBe(line);
			expect(r.reason).toMatch(reason);
		}
		expect(await (await getDb()).sessions.count()).toBe(0);
		expect(await (await getDb()).beatChunks.count()).toBe(0);
	});
});

describe('delete', () => {
	it('deletes a session with its beats and events, and undo puts back exactly that', async () => {
		const s = await createSession({ source: 'demo', strapName: 'Demo' });
		await appendBeats(s.id, 0, [beat(800, 800)]);
		await (await getDb()).events.add({ sessionId: s.id, type: 'pause', startMs: 0, endMs: 1 });
		const before = await getSession(s.id);
		const deleted = await deleteSession(s.id);
		expect(await getSession(s.id)).toBeUndefined();
		expect(await (await getDb()).beatChunks.count()).toBe(0);
		await undoDelete(deleted!);
		expect(await getSession(s.id)).toEqual(before);
		expect([...(await getBeats(s.id)).rrMs]).toEqual([800]);
		expect(await (await getDb()).events.count()).toBe(1);
	});
	it('deletes everything', async () => {
		await createSession({ source: 'demo', strapName: 'Demo' });
		await deleteEverything();
		expect(await (await getDb()).sessions.count()).toBe(0);
	});
});
