/**
 * The sync bridge between two devices' databases: everything a session is arrives exactly,
 * edits merge per field, concurrent offline edits converge, a deletion beats a later edit, and
 * nothing readable leaves a device.
 */
import { describe, expect, it } from 'vitest';
import { packChunk, unpackChunks, rrText, type ExperimentRow, type SessionRow } from '$lib/db';
import { drawAssignment } from '$lib/experiment';
import { deriveKeys, newVaultSecret, SyncKeyError } from '$lib/sync/crypto';
import {
	addDevice,
	connect,
	deleteHere,
	disconnect,
	network,
	settle,
	type Device
} from './devices';

const CANARY = 'CANARY-7f3a';

async function record(d: Device, id: string, startedAt = Date.UTC(2026, 10, 20, 7)) {
	// Irregular values with long fractions: any rounding on the way would show.
	const beats = Array.from({ length: 900 }, (_, i) => ({
		timeMs: i * 853.123456789 + Math.sin(i) * 0.123,
		rrMs: 800 + 60 * Math.sin(i / 7) + i / 3.3333333,
		flags: i % 97 === 0 ? 1 : 0
	}));
	const row: SessionRow = {
		id,
		startedAt,
		endedAt: startedAt + 770_000,
		status: 'finished',
		source: 'demo',
		strapName: 'Demo strap',
		routine: 'Constructive rest',
		phase: 'before',
		tags: ['morning'],
		beatCount: beats.length,
		durationMs: beats[beats.length - 1].timeMs,
		summary: { meanHr: 70.5, lnRmssd: 3.41, settledHr: 64.2, analysisVersion: 2 },
		updatedAt: startedAt + 770_000
	};
	await d.db.transaction('rw', d.db.sessions, d.db.beatChunks, d.db.events, async () => {
		await d.db.sessions.put(row);
		for (let seq = 0; seq * 256 < beats.length; seq++)
			await d.db.beatChunks.put(packChunk(id, seq, beats.slice(seq * 256, seq * 256 + 256)));
		await d.db.events.add({ sessionId: id, type: 'marker', startMs: 120_000, label: 'Routine' });
		await d.db.events.add({ sessionId: id, type: 'gap', startMs: 300_000, endMs: 302_500 });
	});
	return row;
}

const beatsOf = async (d: Device, id: string) =>
	unpackChunks(await d.db.beatChunks.where('sessionId').equals(id).toArray());
const eventsOf = async (d: Device, id: string) =>
	(await d.db.events.where('sessionId').equals(id).sortBy('startMs')).map(({ id: _, ...e }) => e);

async function pair() {
	const keys = await deriveKeys(newVaultSecret());
	const net = network();
	return { net, keys, a: addDevice(net, keys), b: addDevice(net, keys) };
}

describe('sync between two devices', () => {
	it('a recorded session arrives whole: row, every beat bit for bit, events', async () => {
		const { net, a, b } = await pair();
		const row = await record(a, 's1');
		await settle(net);
		expect(await b.db.sessions.get('s1')).toEqual(row);
		const [sent, got] = [await beatsOf(a, 's1'), await beatsOf(b, 's1')];
		expect(got.rrMs.length).toBe(900);
		expect(Buffer.from(got.rrMs.buffer)).toEqual(Buffer.from(sent.rrMs.buffer));
		expect(Buffer.from(got.timeMs.buffer)).toEqual(Buffer.from(sent.timeMs.buffer));
		expect(got.flags).toEqual(sent.flags);
		expect(rrText(got)).toBe(rrText(sent));
		expect(await eventsOf(b, 's1')).toEqual(await eventsOf(a, 's1'));
	});

	it('a device that joins later receives the whole history', async () => {
		const keys = await deriveKeys(newVaultSecret());
		const net = network();
		const a = addDevice(net, keys);
		for (let i = 0; i < 12; i++) await record(a, `s${i}`, Date.UTC(2025 + (i % 2), 0, 1 + i));
		await settle(net);
		const b = addDevice(net, keys);
		await b.bridge.pullAll();
		await settle(net);
		expect(await b.db.sessions.count()).toBe(12);
		expect(await b.db.beatChunks.count()).toBe(await a.db.beatChunks.count());
	});

	it('a note edited on one device shows on the other', async () => {
		const { net, a, b } = await pair();
		await record(a, 's1');
		await settle(net);
		await b.db.sessions.update('s1', { note: 'Hips let go after 5 min', updatedAt: 1 });
		await settle(net);
		expect((await a.db.sessions.get('s1'))?.note).toBe('Hips let go after 5 min');
		// Nothing to send when nothing changed.
		expect(await a.bridge.push()).toBe(0);
	});

	it('routines and felt tension travel too', async () => {
		const { net, a, b } = await pair();
		await record(a, 's1');
		await a.db.routines.put({ name: 'Stability routine', createdAt: 1700000000000 });
		await settle(net);
		await b.db.sessions.update('s1', { tensionBefore: 7, tensionAfter: 3 });
		await settle(net);
		expect(await b.db.routines.toArray()).toEqual([
			{ name: 'Stability routine', createdAt: 1700000000000 }
		]);
		const row = await a.db.sessions.get('s1');
		expect([row?.tensionBefore, row?.tensionAfter]).toEqual([7, 3]);
	});

	it('experiments travel, and day logs made on two devices offline both survive', async () => {
		const { net, a, b } = await pair();
		const arms = drawAssignment({ weeks: 2, block: 'days' }, 31);
		const plan: ExperimentRow = {
			id: 'x1',
			createdAt: 1,
			updatedAt: 1,
			routine: 'Stability routine',
			question: 'settledHr',
			weeks: 2,
			block: 'days',
			startDay: '2026-11-02',
			seed: 31,
			arms,
			days: {}
		};
		await a.db.experiments.add(plan);
		await settle(net);
		expect(await b.db.experiments.get('x1')).toEqual(plan);
		disconnect(a);
		disconnect(b);
		await a.db.experiments.update('x1', {
			days: { '2026-11-02': { did: 'routine', updatedAt: 10 } },
			updatedAt: 10
		});
		await b.db.experiments.update('x1', {
			days: { '2026-11-03': { note: 'on the phone', updatedAt: 11 } },
			updatedAt: 11
		});
		await settle(net);
		connect(net, a);
		connect(net, b);
		await settle(net);
		for (const d of [a, b]) {
			const row = await d.db.experiments.get('x1');
			expect(row?.arms).toEqual(arms);
			expect(row?.days).toEqual({
				'2026-11-02': { did: 'routine', updatedAt: 10 },
				'2026-11-03': { note: 'on the phone', updatedAt: 11 }
			});
		}
	});

	it("a session's analysis settings travel with the summary they produced", async () => {
		const { net, a, b } = await pair();
		await record(a, 's1');
		await settle(net);
		const settings = { correction: 'none', lambda: 0, windowS: 256, resampleHz: 4 } as const;
		await b.db.sessions.update('s1', {
			analysisSettings: settings,
			summary: { meanHr: 61, lfHf: 4.2 },
			updatedAt: 2
		});
		await settle(net);
		const row = await a.db.sessions.get('s1');
		expect(row?.analysisSettings).toEqual(settings);
		expect(row?.summary).toEqual({ meanHr: 61, lfHf: 4.2 });
		// Back to the defaults (no choice stored) travels too.
		await a.db.sessions.update('s1', { analysisSettings: undefined, updatedAt: 3 });
		await settle(net);
		expect((await b.db.sessions.get('s1'))?.analysisSettings).toBeUndefined();
	});

	it('offline edits to different fields both survive; the same field converges', async () => {
		const { net, a, b } = await pair();
		await record(a, 's1');
		await settle(net);
		disconnect(a);
		disconnect(b);
		await a.db.sessions.update('s1', { note: 'from the phone', phase: 'after' });
		await b.db.sessions.update('s1', { note: 'from the laptop', tags: ['tired'] });
		await settle(net);
		connect(net, a);
		connect(net, b);
		await settle(net);
		const [ra, rb] = [await a.db.sessions.get('s1'), await b.db.sessions.get('s1')];
		expect(ra).toEqual(rb);
		expect(['from the phone', 'from the laptop']).toContain(ra?.note);
		expect(ra?.phase).toBe('after');
		expect(ra?.tags).toEqual(['tired']);
	});

	it('a deletion wins over an edit made later on a device that had not heard of it', async () => {
		const { net, a, b } = await pair();
		await record(a, 's1');
		await record(a, 's2', Date.UTC(2026, 10, 21));
		await settle(net);
		disconnect(b);
		await deleteHere(a, 's1');
		await settle(net);
		await b.db.sessions.update('s1', { note: 'edited after the delete', updatedAt: Date.now() });
		await settle(net);
		connect(net, b);
		await settle(net);
		for (const d of [a, b]) {
			expect(await d.db.sessions.get('s1')).toBeUndefined();
			expect(await d.db.beatChunks.where('sessionId').equals('s1').count()).toBe(0);
			expect(await d.db.sessions.get('s2')).toBeDefined();
		}
		// A third device joining afterwards never sees it either.
		const c = addDevice(net, (a.bridge as unknown as { keys: never }).keys);
		await c.bridge.pullAll();
		await settle(net);
		expect(await c.db.sessions.get('s1')).toBeUndefined();
		expect(await c.db.sessions.get('s2')).toBeDefined();
	});

	it('a record damaged or removed by the integrity check is fetched again, not deleted everywhere', async () => {
		const { net, a, b } = await pair();
		const row = await record(a, 's1');
		await record(a, 's2', Date.UTC(2026, 10, 21));
		await settle(net);
		// Damaged on b: mended from the group. Removed on b (repair): fetched again.
		await b.db.sessions.put({ id: 's1', startedAt: 'garbage' } as unknown as SessionRow);
		await b.db.sessions.delete('s2');
		await b.db.beatChunks.where('sessionId').equals('s2').delete();
		await settle(net);
		expect(await b.db.sessions.get('s1')).toEqual(row);
		expect(await b.db.sessions.get('s2')).toBeDefined();
		expect(await b.db.beatChunks.where('sessionId').equals('s2').count()).toBeGreaterThan(0);
		expect(await a.db.sessions.count()).toBe(2);
	});

	it('a session put back after its deletion (undo, a backup) comes back everywhere', async () => {
		const { net, a, b } = await pair();
		const row = await record(a, 's1');
		await settle(net);
		const chunks = await a.db.beatChunks.where('sessionId').equals('s1').toArray();
		await deleteHere(a, 's1');
		await settle(net);
		expect(await b.db.sessions.get('s1')).toBeUndefined();
		await a.db.sessions.put(row);
		await a.db.beatChunks.bulkPut(chunks);
		await settle(net);
		expect(await b.db.sessions.get('s1')).toEqual(row);
		expect((await beatsOf(b, 's1')).rrMs).toEqual((await beatsOf(a, 's1')).rrMs);
	});

	it('no id, date, note or beat value travels in the clear', async () => {
		const { net, a, b } = await pair();
		const row = await record(a, 'session-id-plain');
		await a.db.sessions.update(row.id, { note: `felt ${CANARY}`, tags: ['tag-plain'] });
		await settle(net);
		expect((await b.db.sessions.get(row.id))?.note).toContain(CANARY);
		const all = Buffer.concat(net.traffic.map((u) => Buffer.from(u))).toString('latin1');
		for (const secret of [CANARY, 'session-id-plain', 'tag-plain', 'Demo strap', 'Constructive'])
			expect(all).not.toContain(secret);
		// A beat value's bytes do not appear either.
		const rr = Buffer.from((await beatsOf(a, row.id)).rrMs.buffer.slice(0, 16)).toString('latin1');
		expect(all).not.toContain(rr);
	});

	it('three devices editing, deleting and going offline at random end up identical', async () => {
		const keys = await deriveKeys(newVaultSecret());
		const net = network();
		const devices = [addDevice(net, keys), addDevice(net, keys), addDevice(net, keys)];
		for (let i = 0; i < 4; i++) await record(devices[0], `s${i}`, Date.UTC(2026, 0, 1 + i));
		await settle(net);
		let seed = 42;
		// The high bits of a linear congruential generator (its low bits cycle quickly).
		const rnd = (n: number) =>
			Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * n);
		for (let round = 0; round < 30; round++) {
			const d = devices[rnd(3)];
			const id = `s${rnd(4)}`;
			const what = rnd(10);
			if (what === 0 && d.online) disconnect(d);
			else if (what === 0) connect(net, d);
			else if (what === 1) await deleteHere(d, id);
			else if (what < 5) await d.db.sessions.update(id, { note: `round ${round}` });
			else if (what < 8) await d.db.sessions.update(id, { tags: [`t${round}`] });
			else await d.db.sessions.update(id, { phase: round % 2 ? 'before' : 'after' });
			await settle(net);
		}
		for (const d of devices) if (!d.online) connect(net, d);
		await settle(net);
		const snapshot = async (d: Device) =>
			(await d.db.sessions.orderBy('id').toArray()).map((r) => [r.id, r.note, r.tags, r.phase]);
		const [first, ...rest] = await Promise.all(devices.map(snapshot));
		for (const other of rest) expect(other).toEqual(first);
		// Whatever was deleted anywhere is gone everywhere (and at least one was).
		expect(first.length).toBeLessThan(4);
	});

	it('a device with another key cannot read the group and says so', async () => {
		const { net, a } = await pair();
		await record(a, 's1');
		await settle(net);
		const stranger = addDevice(net, await deriveKeys(newVaultSecret()));
		const errors: unknown[] = [];
		stranger.bridge.onError = (e) => errors.push(e);
		await expect(stranger.bridge.pullAll()).rejects.toBeInstanceOf(SyncKeyError);
		expect(await stranger.db.sessions.count()).toBe(0);
	});
});
