/**
 * The finished sessions History and Compare watch: newest first, answered again on every write,
 * and, in a new tab, first answered from what the page's inline script read before the app loaded.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	DB_NAME,
	createSession,
	finishSession,
	getDb,
	useDatabase,
	type SessionRow
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { finishedSessions, sameAsJson } from '$lib/db/finished-sessions';
import { ROWS_PER_STEP } from '$lib/db/sessions';

let n = 0;
beforeEach(() => {
	useDatabase(new SettleDB(`finished-${n++}`));
});
afterEach(() => {
	globalThis.__settleEarlySessions = undefined;
});

async function finished(id: string, startedAt: number) {
	await createSession({ id, source: 'demo', strapName: 'Demo', startedAt });
	await finishSession(id, { summary: { meanHr: 70 }, beatCount: 10, durationMs: 8000 });
}

/** Every answer the watch gives, as lists of ids; stop() ends it. */
function watch() {
	const answers: string[][] = [];
	const errors: unknown[] = [];
	const sub = finishedSessions().subscribe({
		next: (rows: SessionRow[]) => answers.push(rows.map((r) => r.id)),
		error: (err: unknown) => errors.push(err)
	});
	return { answers, errors, stop: () => sub.unsubscribe() };
}

const until = (check: () => boolean, timeout = 3000) =>
	expect.poll(check, { timeout, interval: 10 }).toBe(true);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the inline script leaves for the app: rows read straight from IndexedDB. */
async function earlyRead(override: { name?: string; version?: number; drop?: string } = {}) {
	const db = await getDb();
	await db.open();
	const rows = (await db.sessions.where('status').equals('finished').toArray()).filter(
		(r) => r.id !== override.drop
	);
	globalThis.__settleEarlySessions = Promise.resolve({
		name: override.name ?? db.name,
		version: override.version ?? db.backendDB().version,
		rows
	});
}

describe('finished sessions', () => {
	it('answers newest first, and again after each write, leaving out unfinished ones', async () => {
		await finished('a', 1_000);
		await finished('b', 3_000);
		await createSession({ id: 'open', source: 'demo', strapName: 'Demo', startedAt: 5_000 });
		const w = watch();
		await until(() => w.answers.length === 1);
		expect(w.answers[0]).toEqual(['b', 'a']);
		await finished('c', 2_000);
		await until(() => w.answers.at(-1)?.length === 3);
		expect(w.answers.at(-1)).toEqual(['b', 'c', 'a']);
		w.stop();
		await finished('d', 4_000);
		await pause(50);
		expect(w.answers.at(-1)).toEqual(['b', 'c', 'a']);
		expect(w.errors).toEqual([]);
	});

	it('answers first from the early read, and stays quiet when the database agrees', async () => {
		await finished('a', 1_000);
		await finished('b', 3_000);
		await earlyRead();
		const w = watch();
		await until(() => w.answers.length === 1);
		expect(w.answers[0]).toEqual(['b', 'a']);
		// The check read (a second later, when the page is idle) finds the same rows: no answer.
		await pause(1300);
		expect(w.answers).toHaveLength(1);
		expect(globalThis.__settleEarlySessions).toBeUndefined();
		w.stop();
	});

	it('corrects an early read that missed a write, once the page is built and idle', async () => {
		await finished('a', 1_000);
		await finished('b', 3_000);
		// As if 'b' was finished in another tab after the inline script had read.
		await earlyRead({ drop: 'b' });
		const w = watch();
		await until(() => w.answers.length === 2);
		expect(w.answers).toEqual([['a'], ['b', 'a']]);
		w.stop();
	});

	it('checks an early read of many sessions in steps, with the same answer as one read', async () => {
		await finished('model', 0);
		const db = await getDb();
		const model = (await db.sessions.get('model'))!;
		// Two and a half steps' worth of rows, every tenth still recording, in no particular id order.
		const count = Math.round(ROWS_PER_STEP * 2.5);
		await db.sessions.bulkPut(
			Array.from({ length: count }, (_, i) => ({
				...model,
				id: `s${(i * 7919) % count}`,
				startedAt: 10_000 + i * 1000,
				status: i % 10 === 0 ? ('recording' as const) : ('finished' as const)
			}))
		);
		const expected = (await db.sessions.where('status').equals('finished').toArray())
			.sort((a, b) => b.startedAt - a.startedAt)
			.map((r) => r.id);
		await earlyRead({ drop: expected[5] });
		const steps = vi.spyOn(db.sessions, 'where');
		const w = watch();
		// A thousand rows through the in-memory IndexedDB: slow on a busy machine, so more time.
		await until(() => w.answers.length === 2, 10_000);
		expect(w.answers[0]).toEqual(expected.filter((id) => id !== expected[5]));
		expect(w.answers[1]).toEqual(expected);
		// orderBy for the first step, then one `where(':id').above(…)` per further step.
		const reads = steps.mock.calls.filter(([index]) => String(index) === ':id').length + 1;
		expect(reads).toBe(Math.ceil((count + 1) / ROWS_PER_STEP));
		w.stop();
	}, 20_000);

	it('ignores an early read of another database or another version, and reads itself', async () => {
		await finished('a', 1_000);
		await earlyRead({ drop: 'a', version: 10 });
		const old = watch();
		await until(() => old.answers.length === 1);
		expect(old.answers[0]).toEqual(['a']);
		old.stop();
		await earlyRead({ drop: 'a', name: 'another' });
		const other = watch();
		await until(() => other.answers.length === 1);
		expect(other.answers[0]).toEqual(['a']);
		other.stop();
	});

	it('never answers with an early read that arrives after a fresher answer', async () => {
		await finished('a', 1_000);
		let release: (v: unknown) => void = () => {};
		const db = await getDb();
		await db.open();
		const version = db.backendDB().version;
		globalThis.__settleEarlySessions = new Promise((r) => (release = r as never));
		const w = watch();
		await finished('b', 3_000);
		await until(() => w.answers.at(-1)?.length === 2);
		release({ name: db.name, version, rows: [] });
		await pause(400);
		// Answers to the writes only (creating 'b', then finishing it); the early, empty read never.
		expect(w.answers.at(-1)).toEqual(['b', 'a']);
		expect(w.answers).not.toContainEqual([]);
		w.stop();
	});

	it('takes the early read once: a second watch reads the database', async () => {
		await finished('a', 1_000);
		await earlyRead({ drop: 'a' });
		const first = watch();
		await until(() => first.answers.length >= 1);
		expect(first.answers[0]).toEqual([]);
		const second = watch();
		await until(() => second.answers.length === 1);
		expect(second.answers[0]).toEqual(['a']);
		first.stop();
		second.stop();
	});

	it('skips a damaged row in the early read, as in a read of its own', async () => {
		await finished('a', 1_000);
		await earlyRead();
		const answer = await globalThis.__settleEarlySessions!;
		answer!.rows.push({ id: 'half-written', status: 'finished' } as never);
		const w = watch();
		await until(() => w.answers.length === 1);
		expect(w.answers[0]).toEqual(['a']);
		w.stop();
	});
});

/** Runs the inline scripts of src/app.html as the page would at `pathname`. */
function runPageScripts(pathname: string) {
	const html = readFileSync('src/app.html', 'utf8');
	for (const [, body] of html.matchAll(/<script>([\s\S]*?)<\/script>/g))
		new Function('location', 'self', body)({ pathname }, globalThis);
}

describe("the page's inline read", () => {
	beforeEach(async () => {
		useDatabase(new SettleDB(`finished-${n++}`));
		await new Promise((r) => (indexedDB.deleteDatabase(DB_NAME).onsuccess = r));
	});

	it('reads on History what the app then takes as its first answer, without a read of its own', async () => {
		useDatabase(new SettleDB());
		await finished('a', 1_000);
		await finished('b', 3_000);
		await createSession({ id: 'open', source: 'demo', strapName: 'Demo', startedAt: 5_000 });
		runPageScripts('/history');
		expect(globalThis.__settleEarlySessions).toBeDefined();
		const where = vi.spyOn((await getDb()).sessions, 'where');
		const w = watch();
		await until(() => w.answers.length === 1);
		expect(w.answers[0]).toEqual(['b', 'a']);
		expect(where).not.toHaveBeenCalled();
		w.stop();
		(await getDb()).close();
	});

	it('reads nothing on other pages, and creates no database where there is none', async () => {
		runPageScripts('/sessions');
		expect(globalThis.__settleEarlySessions).toBeUndefined();
		runPageScripts('/compare');
		expect(await globalThis.__settleEarlySessions).toBeUndefined();
		const names = (await indexedDB.databases()).map((d) => d.name);
		expect(names).not.toContain(DB_NAME);
	});
});

describe('sameAsJson', () => {
	it('says two answers are the same exactly when their JSON is', () => {
		const row = (over: Record<string, unknown> = {}) => ({
			id: 'a',
			startedAt: 1,
			tags: ['garden', undefined],
			note: undefined,
			summary: { meanHr: 60.5, tauS: NaN, hrDrop: 3 },
			...over
		});
		const cases: [unknown, unknown][] = [
			[[row()], [row()]],
			[[row()], JSON.parse(JSON.stringify([row()]))],
			[[row()], [row({ note: 'tight hips' })]],
			[[row()], [row({ summary: { meanHr: 60.5, tauS: null, hrDrop: 3 } })]],
			[[row()], [row({ summary: { meanHr: 60.5, hrDrop: 3 } })]],
			[[row()], [row({ tags: ['garden', null] })]],
			[[row()], [row({ tags: ['garden'] })]],
			[[row()], [row(), row()]],
			[[row({ startedAt: 1 })], [row({ startedAt: '1' })]],
			[[row({ x: { y: [1, { z: 2 }] } })], [row({ x: { y: [1, { z: 3 }] } })]],
			[[], []],
			[null, null],
			[[row()], null]
		];
		for (const [a, b] of cases)
			expect(sameAsJson(a, b), JSON.stringify([a, b])).toBe(
				JSON.stringify(a) === JSON.stringify(b)
			);
	});
});
