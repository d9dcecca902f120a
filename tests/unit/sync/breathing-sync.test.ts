/**
 * The breathing the strap measured travels with its session: bit for bit, whichever of the
 * session and its breathing arrives first, deleted and restored with it, never readable on the
 * way; sessions without it (or from a Settle before it synced) are untouched.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	packBreathing,
	packChunk,
	unpackBreathing,
	type BreathingRecord,
	type BreathingRow,
	type SessionRow
} from '$lib/db';
import { READS, indexApplied } from '$lib/sync/bridge';
import { deriveKeys, newVaultSecret } from '$lib/sync/crypto';
import { packBreathingRow, unpackBreathingRow } from '$lib/sync/codec';
import {
	addDevice,
	connect,
	deleteHere,
	deliver,
	disconnect,
	network,
	restart,
	settle,
	type Device
} from './devices';

const STARTED = Date.UTC(2026, 10, 20, 7);

/** Ten minutes at 7.3 breaths a minute, a movement at 200 s and a lost stretch of signal. */
function breathingRecord(): BreathingRecord {
	const cycle = 60_000 / 7.3;
	const breaths = Array.from({ length: 70 }, (_, i) => {
		const inStartMs = 1234.5678 + i * cycle + Math.sin(i) * 321.123456;
		return {
			inStartMs,
			outStartMs: inStartMs + cycle * 0.4 + Math.cos(i) * 55.5,
			endMs: inStartMs + cycle + Math.sin(i) * 321.123456,
			depthMg: 11.234567 + Math.sin(i / 3) * 4.321
		};
	});
	const n = 3000;
	const xyz = new Float32Array(3 * n);
	const activity = new Float32Array(n);
	for (let k = 0; k < n; k++) {
		const lost = k >= 1500 && k < 1510;
		xyz[3 * k] = lost ? NaN : -980.37 + 12 * Math.sin(k / 7);
		xyz[3 * k + 1] = lost ? NaN : 40.11 + 3 * Math.cos(k / 5);
		xyz[3 * k + 2] = lost ? NaN : 130.9 - 8 * Math.sin(k / 9);
		activity[k] = lost ? NaN : 2.5 + (k % 13) / 7;
	}
	return {
		breaths,
		movements: [{ startMs: 200_000, endMs: 203_400 }],
		blocks: { startMs: 0, blockMs: 200, xyz, activity },
		sampleRateHz: 25,
		analysisVersion: 1
	};
}

async function record(d: Device, id: string, breathing?: BreathingRecord) {
	const beats = Array.from({ length: 700 }, (_, i) => ({
		timeMs: i * 857.25,
		rrMs: 857.25 + 40 * Math.sin(i / 5),
		flags: 0
	}));
	const row: SessionRow = {
		id,
		startedAt: STARTED,
		endedAt: STARTED + 600_000,
		status: 'finished',
		source: 'bluetooth',
		strapName: 'Polar H10 ABCDEF',
		routine: 'Constructive rest',
		phase: 'none',
		tags: [],
		beatCount: beats.length,
		durationMs: beats[beats.length - 1].timeMs,
		updatedAt: STARTED + 600_000
	};
	const db = d.db;
	await db.transaction('rw', [db.sessions, db.beatChunks, db.breathing], async () => {
		await db.sessions.put(row);
		for (let seq = 0; seq * 256 < beats.length; seq++)
			await db.beatChunks.put(packChunk(id, seq, beats.slice(seq * 256, seq * 256 + 256)));
		if (breathing) await db.breathing.put(packBreathing(id, breathing));
	});
	return row;
}

/** Every typed array of the row as bytes: equal means bit for bit. */
function bytesOf(row: BreathingRow | undefined) {
	if (!row) return undefined;
	const { inStartMs, outStartMs, endMs, depthMg, xyz, activity, ...rest } = row;
	const b = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
	return {
		...rest,
		arrays: [inStartMs, outStartMs, endMs, depthMg, xyz, activity].map(b),
		types: [inStartMs, outStartMs, endMs, depthMg, xyz, activity].map((a) => a.constructor.name)
	};
}

async function pair() {
	const keys = await deriveKeys(newVaultSecret());
	const net = network();
	return { net, keys, a: addDevice(net, keys), b: addDevice(net, keys) };
}

describe('measured breathing in sync', () => {
	it('packs a row and reads it back bit for bit (the blob is its bytes, no rounding)', () => {
		const row = packBreathing('s1', breathingRecord());
		const blob = packBreathingRow(row);
		expect(bytesOf(unpackBreathingRow('s1', blob))).toEqual(bytesOf(row));
		// 10 minutes: 8 bytes a 200 ms block and 28 a breath, plus a small header.
		expect(blob.length).toBeLessThan(3000 * 8 + 70 * 28 + 400);
		expect(() => unpackBreathingRow('s1', blob.subarray(0, blob.length - 2))).toThrow(/incomplete/);
	});

	it('a session recorded with breathing on one device has it, unchanged, on the other', async () => {
		const { net, a, b } = await pair();
		await record(a, 's1', breathingRecord());
		await settle(net);
		const [sent, got] = [await a.db.breathing.get('s1'), await b.db.breathing.get('s1')];
		expect(got).toBeDefined();
		expect(bytesOf(got)).toEqual(bytesOf(sent));
		expect(unpackBreathing(got!)).toEqual(unpackBreathing(sent!));
		expect(b.bridge.incomplete).toBe(0);
		// In step: nothing more to send either way.
		expect(await a.bridge.push()).toBe(0);
		expect(await b.bridge.push()).toBe(0);
	});

	it('breathing saved after its session already synced still follows it', async () => {
		const { net, a, b } = await pair();
		await record(a, 's1');
		await settle(net);
		expect(await b.db.sessions.get('s1')).toBeDefined();
		expect(await b.db.breathing.get('s1')).toBeUndefined();
		// The recorder stores the breathing just after finishing the session: a push can fall between.
		const row = packBreathing('s1', breathingRecord());
		await a.db.breathing.put(row);
		await settle(net);
		expect(bytesOf(await b.db.breathing.get('s1'))).toEqual(bytesOf(row));
	});

	it('the index arriving before the year document: the session waits, then arrives whole', async () => {
		const { net, a, b } = await pair();
		disconnect(b);
		await record(a, 's1', breathingRecord());
		await settle(net);
		deliver(a, b, 'index');
		await b.bridge.idle();
		expect(b.bridge.incomplete).toBe(1);
		expect(await b.db.sessions.get('s1')).toBeUndefined();
		deliver(a, b, 'beats-2026');
		await b.bridge.idle();
		await b.bridge.idle();
		expect(b.bridge.incomplete).toBe(0);
		expect(await b.db.sessions.get('s1')).toBeDefined();
		expect(bytesOf(await b.db.breathing.get('s1'))).toEqual(
			bytesOf(await a.db.breathing.get('s1'))
		);
		connect(net, b);
		await settle(net);
		expect(await b.db.sessions.count()).toBe(1);
	});

	it('breathing written again arrives; an older blob is not taken for the newer one', async () => {
		const { net, a, b } = await pair();
		await record(a, 's1', breathingRecord());
		await settle(net);
		disconnect(b);
		const again = breathingRecord();
		again.breaths = again.breaths.slice(0, 60);
		again.analysisVersion = 2;
		const newer = packBreathing('s1', again);
		await a.db.breathing.put(newer);
		await a.db.sessions.update('s1', { note: 'analysed again' });
		await settle(net);
		// b hears of the new fingerprint while its year document still holds the old blob.
		deliver(a, b, 'index');
		await b.bridge.idle();
		expect(b.bridge.incomplete).toBe(1);
		expect((await b.db.breathing.get('s1'))?.inStartMs.length).toBe(70);
		deliver(a, b, 'beats-2026');
		await b.bridge.idle();
		await b.bridge.idle();
		expect(b.bridge.incomplete).toBe(0);
		expect(bytesOf(await b.db.breathing.get('s1'))).toEqual(bytesOf(newer));
		expect((await b.db.sessions.get('s1'))?.note).toBe('analysed again');
	});

	it('a deletion on either device removes the breathing everywhere; a restore brings it back', async () => {
		const { net, a, b } = await pair();
		await record(a, 's1', breathingRecord());
		await record(a, 's2', breathingRecord());
		await settle(net);
		expect(await b.db.breathing.count()).toBe(2);
		const kept = (await a.db.breathing.get('s1'))!;
		const row = (await a.db.sessions.get('s1'))!;
		const chunks = await a.db.beatChunks.where('sessionId').equals('s1').toArray();
		await deleteHere(a, 's1');
		await deleteHere(b, 's2');
		await settle(net);
		for (const d of [a, b]) expect(await d.db.breathing.count()).toBe(0);
		// Undo on a: the session and its breathing come back on b too.
		await a.db.sessions.put(row);
		await a.db.beatChunks.bulkPut(chunks);
		await a.db.breathing.put(kept);
		await settle(net);
		expect(bytesOf(await b.db.breathing.get('s1'))).toEqual(bytesOf(kept));
		expect(await b.db.sessions.get('s2')).toBeUndefined();
	});

	it('a session without breathing (or from a Settle before it synced) arrives as before', async () => {
		const { net, a, b } = await pair();
		await record(a, 'plain');
		// b has its own breathing for a session a knows nothing about: it is sent, not lost.
		await record(b, 'mine', breathingRecord());
		await settle(net);
		expect(await b.db.sessions.get('plain')).toBeDefined();
		expect(await b.db.breathing.get('plain')).toBeUndefined();
		expect(await a.db.breathing.get('plain')).toBeUndefined();
		expect(bytesOf(await a.db.breathing.get('mine'))).toEqual(
			bytesOf(await b.db.breathing.get('mine'))
		);
		// An edit to a session with breathing, made on the device that received it, keeps it.
		await a.db.sessions.update('mine', { note: 'hips let go' });
		await settle(net);
		expect((await b.db.sessions.get('mine'))?.note).toBe('hips let go');
		expect(bytesOf(await b.db.breathing.get('mine'))).toEqual(
			bytesOf(await a.db.breathing.get('mine'))
		);
		for (const d of [a, b]) expect(d.bridge.incomplete).toBe(0);
	});

	it('a device that passed over breathing entries before it could read them reads them after an update', async () => {
		const { net, keys, a, b } = await pair();
		await record(a, 's1', breathingRecord());
		await settle(net);
		// As an older Settle leaves it: the session applied, its breathing entry not understood.
		await b.db.breathing.clear();
		const known = (await b.state.known.get('s1'))!;
		delete known.parts.breathing;
		await b.state.known.put(known);
		restart(net, b, keys);
		// The engine reads the whole index again at its start: its last full read was by a
		// Settle that read less, even though the index has not changed since.
		const state = Y.encodeStateVector(b.docs.get('index')!);
		expect(indexApplied({ appliedState: state }, state)).toBe(false);
		expect(indexApplied({ appliedState: state, appliedReads: READS - 1 }, state)).toBe(false);
		expect(indexApplied({ appliedState: state, appliedReads: READS }, state)).toBe(true);
		expect(indexApplied({ appliedState: Uint8Array.of(1, 2), appliedReads: READS }, state)).toBe(
			false
		);
		await b.bridge.pullAll();
		await settle(net);
		expect(bytesOf(await b.db.breathing.get('s1'))).toEqual(
			bytesOf(await a.db.breathing.get('s1'))
		);
	});

	it('no breathing value or field name travels in the clear', async () => {
		const { net, a, b } = await pair();
		await record(a, 'session-id-plain', breathingRecord());
		await settle(net);
		expect(await b.db.breathing.get('session-id-plain')).toBeDefined();
		const all = Buffer.concat(net.traffic.map((u) => Buffer.from(u))).toString('latin1');
		for (const secret of ['session-id-plain', 'blockMs', 'sampleRateHz', 'movements', 'breathing'])
			expect(all).not.toContain(secret);
		const sent = (await a.db.breathing.get('session-id-plain'))!;
		for (const arr of [sent.inStartMs, sent.depthMg, sent.xyz, sent.activity]) {
			const bytes = Buffer.from(arr.buffer, arr.byteOffset, 24).toString('latin1');
			expect(all).not.toContain(bytes);
		}
	});
});
