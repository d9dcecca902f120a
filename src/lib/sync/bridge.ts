/**
 * The bridge between the app's database (the truth the pages read) and the sync group's Yjs
 * documents (ciphertext only). Local → Y: rows are compared with what was last in step (by
 * fingerprint) and each changed part is encrypted into the index document; beats, and the
 * breathing the strap measured, go to a document per year (the index holds the breathing's
 * fingerprint, so a change is seen there). Y → local: another device's entries are decrypted and
 * written whole.
 *
 * Every map key is an HMAC of "id/part" and every value an AES-GCM envelope bound to its room
 * and key, so the server sees neither ids, dates nor content. Keys are never removed: a
 * deletion is a "del" entry, and once a session has one, later edits from a device that had
 * not heard of it are ignored, so a deleted session never comes back.
 */
import * as Y from 'yjs';
import type {
	BeatChunkRow,
	BreathingRow,
	ExperimentRow,
	RoutineRow,
	SessionEventRow,
	SessionRow,
	SettleDB
} from '$lib/db/schema';
import {
	allRoutines,
	applySyncedSessions,
	breathingIds,
	finishedRows,
	putRoutine,
	sessionBreathing,
	sessionChunks,
	sessionEvents,
	sessionRow,
	storedSessionIds,
	type Incoming
} from '$lib/db/sync-rows';
import { allExperimentRows, mergeSyncedExperiment } from '$lib/db/experiments';
import { knownRecords, putKnown, type KnownRecord, type SyncStateDB } from '$lib/db/sync-state';
import { nameOf, openJson, sealJson, seal, open, type VaultKeys } from './crypto';
import {
	EDITABLE,
	bytesPrint,
	coreOf,
	fingerprint,
	joinRow,
	packBeats,
	packBreathingRow,
	portableEvents,
	unpackBeats,
	unpackBreathingRow,
	type EditableField,
	type SessionPart
} from './codec';

/**
 * What this bridge reads from the documents, bumped when it learns a new part: 2, the breathing
 * the strap measured. A device that applied the index with an older Settle passed over such
 * entries, so it reads the whole index again once (engine.ts compares this).
 */
export const READS = 2;

/**
 * Whether everything in the index (at this state vector) was applied here already, by a Settle
 * that read what this one reads: then a start needs no second look at the whole history.
 */
export function indexApplied(
	applied: { appliedState?: Uint8Array; appliedReads?: number },
	state: Uint8Array
): boolean {
	const a = applied.appliedState;
	return (
		applied.appliedReads === READS &&
		a !== undefined &&
		a.length === state.length &&
		a.every((x, i) => x === state[i])
	);
}

/** Transaction origin of our own writes into the documents: not echoed back into the database. */
export const LOCAL = Symbol('settle-local');
/** The root map in every document; one constant name, so it tells the server nothing. */
const ROOT = 'v';
/** Sessions encrypted per step: progress moves and memory stays flat on a first sync. */
const BATCH = 100;

export interface SyncDocs {
	index: { doc: Y.Doc; room: string };
	/** The beats (and breathing) document of a year, opened (and connected) on first use. */
	beats(year: number): Promise<{ doc: Y.Doc; room: string }>;
}

/** Sessions the person deleted here, not yet told to the group (see $lib/db/deletions). */
export interface DeletionNotes {
	noted(): string[];
	forget(ids: string[]): void;
}

export interface SyncProgress {
	phase: 'idle' | 'sending' | 'receiving';
	done: number;
	total: number;
}

interface Entry {
	id: string;
	/** "check" is the entry that tells a joining device its code is right (see engine.ts). */
	part: SessionPart | 'routine' | 'experiment' | 'check';
	v: unknown;
}

const yearOf = (startedAt: number) => new Date(startedAt).getUTCFullYear();
const beatsPrint = (row: SessionRow) => `${row.beatCount}:${row.durationMs}`;

function partsOf(row: SessionRow): Map<SessionPart, unknown> {
	const parts = new Map<SessionPart, unknown>([['core', coreOf(row)]]);
	for (const f of EDITABLE) parts.set(`f:${f}`, row[f]);
	return parts;
}

export class SyncBridge {
	onProgress: (p: SyncProgress) => void = () => undefined;
	onError: (e: unknown) => void = () => undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private names = new Map<string, string>();
	/** What was last in step, per session: read once, then kept here and written through. */
	private known?: Map<string, KnownRecord>;
	/** Sessions whose row arrived before their beats or breathing. */
	private waiting = new Set<string>();
	private observed = new Set<Y.Doc>();

	constructor(
		private readonly db: SettleDB,
		private readonly state: SyncStateDB,
		private readonly keys: VaultKeys,
		private readonly docs: SyncDocs,
		private readonly deletions: DeletionNotes
	) {
		this.observe(docs.index.doc);
	}

	/** Runs jobs one at a time: a scan and an apply never interleave. */
	private run<T>(job: () => Promise<T>): Promise<T> {
		const next = this.queue.then(job);
		this.queue = next.catch((e) => this.onError(e));
		return next;
	}

	/** Sends what changed here since the last time; resolves with how many records it sent. */
	push(): Promise<number> {
		return this.run(() => this.pushNow());
	}

	/** Applies everything in the documents that this database does not have yet. */
	pullAll(): Promise<number> {
		return this.run(async () => {
			await this.pushNow();
			return this.applyKeys([...this.map(this.docs.index.doc).keys()]);
		});
	}

	/**
	 * Tells the group these sessions were deleted (a renewed group starts empty, and a device that
	 * still has one of them must not bring it back).
	 */
	sendDeletions(ids: string[]): Promise<void> {
		return this.run(async () => {
			if (!ids.length) return;
			await this.write(
				this.docs.index,
				ids.map((id) => [`${id}/del`, { id, part: 'del', v: { deletedAt: Date.now() } }])
			);
			await this.remember(ids.map((id) => ({ id, parts: {}, deleted: true })));
		});
	}

	/** Sessions that arrived without their beats yet (they are applied when the beats come). */
	get incomplete(): number {
		return this.waiting.size;
	}

	/** Resolves when every queued job has run. */
	idle(): Promise<void> {
		return this.queue.then(() => undefined);
	}

	private map(doc: Y.Doc): Y.Map<Uint8Array> {
		return doc.getMap<Uint8Array>(ROOT);
	}

	private observe(doc: Y.Doc): void {
		if (this.observed.has(doc)) return;
		this.observed.add(doc);
		const beats = doc !== this.docs.index.doc;
		this.map(doc).observe((event, tx) => {
			if (tx.origin === LOCAL) return;
			const keys = [...event.keysChanged];
			void this.run(async () => {
				// Local edits go out first, so applying the other device's row cannot undo them.
				await this.pushNow();
				if (beats) await this.applySessions([...this.waiting], new Map());
				else await this.applyKeys(keys);
			});
		});
	}

	private async knownMap(): Promise<Map<string, KnownRecord>> {
		this.known ??= await knownRecords(this.state);
		return this.known;
	}

	private async remember(records: KnownRecord[]): Promise<void> {
		const known = await this.knownMap();
		for (const r of records) known.set(r.id, r);
		await putKnown(this.state, records);
	}

	private async name(plain: string): Promise<string> {
		let n = this.names.get(plain);
		if (!n) {
			n = await nameOf(this.keys, plain);
			this.names.set(plain, n);
		}
		return n;
	}

	private async beatsDoc(year: number) {
		const beats = await this.docs.beats(year);
		this.observe(beats.doc);
		return beats;
	}

	private async pushNow(): Promise<number> {
		const rows = await finishedRows(this.db);
		const known = await this.knownMap();
		const present = await storedSessionIds(this.db);
		const withBreathing = await breathingIds(this.db);
		const changed: Outgoing[] = [];
		for (const row of rows) {
			const before = known.get(row.id);
			const prints: KnownRecord = { id: row.id, parts: {}, deleted: false };
			const send = new Map<string, unknown>();
			for (const [part, value] of partsOf(row)) {
				prints.parts[part] = fingerprint(value);
				if (before?.deleted || before?.parts[part] !== prints.parts[part]) send.set(part, value);
			}
			// The breathing is saved just after its session finishes, so a push can fall between:
			// a row not yet sent is seen from the table's keys alone (no row is read for it). One
			// written again (the app writes it once, at Stop) goes with its session's next change.
			const breathingUnsent = withBreathing.has(row.id) && before?.parts.breathing === undefined;
			if (send.size === 0 && !breathingUnsent) continue;
			// Restored here after a deletion (undo, a backup): the person wants it back everywhere.
			if (before?.deleted) send.set('del', { deletedAt: null });
			changed.push({ row, parts: send, prints, before });
		}
		// Sessions in step before that are not here now (or not readable): a deletion only when
		// the person deleted them; otherwise lost here (a damaged record), so fetched again.
		const sound = new Set(rows.map((r) => r.id));
		const noted = this.deletions.noted();
		const deletedHere = new Set(noted);
		const notHere = [...known.values()].filter(
			(k) =>
				!k.deleted &&
				!k.id.startsWith('routine:') &&
				!k.id.startsWith('experiment:') &&
				!sound.has(k.id)
		);
		const deleted = notHere.filter((k) => deletedHere.has(k.id) && !present.has(k.id));
		const lost = notHere.filter((k) => !deletedHere.has(k.id)).map((k) => k.id);
		const total = changed.length + deleted.length;
		if (total > 0) this.onProgress({ phase: 'sending', done: 0, total });
		for (let i = 0; i < changed.length; i += BATCH) {
			await this.sendSessions(changed.slice(i, i + BATCH));
			this.onProgress({ phase: 'sending', done: Math.min(i + BATCH, changed.length), total });
		}
		if (deleted.length) {
			const now = Date.now();
			await this.write(
				this.docs.index,
				deleted.map((k) => [`${k.id}/del`, { id: k.id, part: 'del', v: { deletedAt: now } }])
			);
			await this.remember(deleted.map((k) => ({ ...k, deleted: true })));
		}
		this.deletions.forget(noted);
		if (lost.length) await this.applySessions(lost, new Map());
		await this.pushRoutines(known);
		await this.pushExperiments(known);
		if (total > 0) this.onProgress({ phase: 'idle', done: total, total });
		return total;
	}

	private async sendSessions(batch: Outgoing[]): Promise<void> {
		const entries: [string, Entry][] = [];
		const beatsByYear = new Map<number, [string, Uint8Array][]>();
		const toYear = (row: SessionRow, plain: string, blob: Uint8Array) => {
			const year = yearOf(row.startedAt);
			beatsByYear.set(year, [...(beatsByYear.get(year) ?? []), [plain, blob]]);
		};
		for (const { row, parts, prints, before } of batch) {
			for (const [part, v] of parts)
				entries.push([`${row.id}/${part}`, { id: row.id, part: part as SessionPart, v }]);
			const events = portableEvents(await sessionEvents(this.db, row.id));
			prints.parts.events = fingerprint(events);
			if (before?.deleted || before?.parts.events !== prints.parts.events)
				entries.push([`${row.id}/events`, { id: row.id, part: 'events', v: events }]);
			prints.parts.beats = beatsPrint(row);
			if (before?.deleted || before?.parts.beats !== prints.parts.beats)
				toYear(row, `${row.id}/beats`, packBeats(await sessionChunks(this.db, row.id)));
			const breathing = await sessionBreathing(this.db, row.id);
			if (breathing) {
				const blob = packBreathingRow(breathing);
				prints.parts.breathing = bytesPrint(blob);
				if (before?.deleted || before?.parts.breathing !== prints.parts.breathing) {
					toYear(row, `${row.id}/breathing`, blob);
					entries.push([
						`${row.id}/breathing`,
						{ id: row.id, part: 'breathing', v: prints.parts.breathing }
					]);
				}
			}
		}
		// Blobs first: a device that sees the row can then always find its beats and breathing.
		for (const [year, blobs] of beatsByYear) {
			const beats = await this.beatsDoc(year);
			const sealed: [string, Uint8Array][] = [];
			for (const [plain, blob] of blobs) {
				const key = await this.name(plain);
				sealed.push([key, await seal(this.keys, `${beats.room}/${key}`, blob)]);
			}
			this.setAll(beats.doc, sealed);
		}
		await this.write(this.docs.index, entries);
		await this.remember(batch.map((b) => b.prints));
	}

	private setAll(doc: Y.Doc, sealed: [string, Uint8Array][]): void {
		doc.transact(() => {
			for (const [key, env] of sealed) this.map(doc).set(key, env);
		}, LOCAL);
	}

	private async write(target: Room, entries: [string, Entry][]): Promise<void> {
		const sealed: [string, Uint8Array][] = [];
		for (const [plain, entry] of entries) {
			const key = await this.name(plain);
			sealed.push([key, await sealJson(this.keys, `${target.room}/${key}`, entry)]);
		}
		this.setAll(target.doc, sealed);
	}

	private async pushRoutines(known: Map<string, KnownRecord>): Promise<void> {
		const entries: [string, Entry][] = [];
		const prints: KnownRecord[] = [];
		for (const r of await allRoutines(this.db)) {
			const id = `routine:${r.name}`;
			const print = fingerprint(r);
			if (known.get(id)?.parts.routine === print) continue;
			entries.push([id, { id, part: 'routine', v: r }]);
			prints.push({ id, parts: { routine: print } });
		}
		if (!entries.length) return;
		await this.write(this.docs.index, entries);
		await this.remember(prints);
	}

	/**
	 * Experiments travel whole, one entry each (a plan and a few dozen day logs); the receiving
	 * device merges them (later day edits win, the assignment stays as first stored).
	 */
	private async pushExperiments(known: Map<string, KnownRecord>): Promise<void> {
		const entries: [string, Entry][] = [];
		const prints: KnownRecord[] = [];
		for (const e of await allExperimentRows(this.db)) {
			const id = `experiment:${e.id}`;
			const print = fingerprint(e);
			if (known.get(id)?.parts.experiment === print) continue;
			entries.push([id, { id, part: 'experiment', v: e }]);
			prints.push({ id, parts: { experiment: print } });
		}
		if (!entries.length) return;
		await this.write(this.docs.index, entries);
		await this.remember(prints);
	}

	/** Decrypts entries of the index, remembering them for the rest of the job. */
	private async entry(key: string, cache: Map<string, Entry | undefined>) {
		if (!cache.has(key)) {
			const env = this.map(this.docs.index.doc).get(key);
			const room = this.docs.index.room;
			cache.set(key, env ? await openJson<Entry>(this.keys, `${room}/${key}`, env) : undefined);
		}
		return cache.get(key);
	}

	private async applyKeys(keys: string[]): Promise<number> {
		const cache = new Map<string, Entry | undefined>();
		const ids = new Set<string>();
		const routines: Entry[] = [];
		const experiments: Entry[] = [];
		for (const key of keys) {
			const e = await this.entry(key, cache);
			if (e?.part === 'routine') routines.push(e);
			else if (e?.part === 'experiment') experiments.push(e);
			else if (e?.id) ids.add(e.id);
		}
		for (const x of experiments) await mergeSyncedExperiment(this.db, x.v as ExperimentRow);
		// What arrived is in step; if the merge added our own day logs to it, the next push
		// sees the difference and sends the merged row back.
		if (experiments.length)
			await this.remember(
				experiments.map((x) => ({ id: x.id, parts: { experiment: fingerprint(x.v) } }))
			);
		for (const r of routines) await putRoutine(this.db, r.v as RoutineRow);
		if (routines.length)
			await this.remember(
				routines.map((r) => ({ id: r.id, parts: { routine: fingerprint(r.v) } }))
			);
		return this.applySessions([...ids], cache);
	}

	/** Applies sessions in batches: one database transaction (one page refresh) per batch. */
	private async applySessions(ids: string[], cache: Map<string, Entry | undefined>) {
		for (let i = 0; i < ids.length; i += BATCH) {
			const writes: Incoming[] = [];
			for (const id of ids.slice(i, i + BATCH)) {
				const w = await this.incoming(id, cache);
				if (w) writes.push(w);
			}
			await applySyncedSessions(this.db, writes);
			await this.remember(writes.map((w) => w.prints));
			const done = Math.min(i + BATCH, ids.length);
			this.onProgress({
				phase: done === ids.length ? 'idle' : 'receiving',
				done,
				total: ids.length
			});
		}
		return ids.length;
	}

	private async part<T>(id: string, part: string, cache: Map<string, Entry | undefined>) {
		return (await this.entry(await this.name(`${id}/${part}`), cache))?.v as T | undefined;
	}

	/** What applying one session here means, or nothing when this device already has it. */
	private async incoming(
		id: string,
		cache: Map<string, Entry | undefined>
	): Promise<Incoming | undefined> {
		const known = (await this.knownMap()).get(id);
		const del = await this.part<{ deletedAt: number | null }>(id, 'del', cache);
		if (del?.deletedAt) {
			this.waiting.delete(id);
			if (known?.deleted) return undefined;
			return { id, remove: true, prints: { id, parts: known?.parts ?? {}, deleted: true } };
		}
		const core = await this.part<Omit<SessionRow, EditableField>>(id, 'core', cache);
		if (!core) return undefined;
		const fields: Partial<Record<EditableField, unknown>> = {};
		for (const f of EDITABLE) fields[f] = await this.part(id, `f:${f}`, cache);
		const row = joinRow(core, fields as Partial<Pick<SessionRow, EditableField>>);
		const prints: KnownRecord = { id, parts: {}, deleted: false };
		for (const [part, value] of partsOf(row)) prints.parts[part] = fingerprint(value);
		prints.parts.beats = beatsPrint(row);
		const local = await sessionRow(this.db, id);
		if (local?.status === 'recording') return undefined;
		const fresh = !local || known?.deleted === true;

		let chunks: BeatChunkRow[] | undefined;
		if (fresh || known?.parts.beats !== prints.parts.beats) {
			chunks = row.beatCount > 0 ? await this.beatsOf(row) : [];
			if (!chunks) {
				this.waiting.add(id);
				return undefined;
			}
		}
		// Absent for a session without measured breathing (or from a Settle before it synced).
		const breathingPrint = await this.part<string>(id, 'breathing', cache);
		let breathing: BreathingRow | undefined;
		if (breathingPrint) {
			prints.parts.breathing = breathingPrint;
			if (fresh || known?.parts.breathing !== breathingPrint) {
				breathing = await this.breathingOf(row, breathingPrint);
				if (!breathing) {
					this.waiting.add(id);
					return undefined;
				}
			}
		}
		this.waiting.delete(id);
		const events = (await this.part<SessionEventRow[]>(id, 'events', cache)) ?? [];
		prints.parts.events = fingerprint(events);
		const newEvents = fresh || known?.parts.events !== prints.parts.events;
		const same =
			!fresh &&
			!chunks &&
			!breathing &&
			!newEvents &&
			Object.keys(prints.parts).every((p) => known?.parts[p] === prints.parts[p]);
		if (same) return undefined;
		return { id, row, chunks, events: newEvents ? events : undefined, breathing, prints };
	}

	/**
	 * The session's breathing from its year's document, once the blob there is the one the index
	 * names (the two documents arrive separately: until then the session waits, as for beats).
	 */
	private async breathingOf(row: SessionRow, print: string): Promise<BreathingRow | undefined> {
		const doc = await this.beatsDoc(yearOf(row.startedAt));
		const key = await this.name(`${row.id}/breathing`);
		const env = this.map(doc.doc).get(key);
		if (!env) return undefined;
		const blob = await open(this.keys, `${doc.room}/${key}`, env);
		return bytesPrint(blob) === print ? unpackBreathingRow(row.id, blob) : undefined;
	}

	private async beatsOf(row: SessionRow): Promise<BeatChunkRow[] | undefined> {
		const beats = await this.beatsDoc(yearOf(row.startedAt));
		const key = await this.name(`${row.id}/beats`);
		const env = this.map(beats.doc).get(key);
		if (!env) return undefined;
		return unpackBeats(row.id, await open(this.keys, `${beats.room}/${key}`, env));
	}
}

interface Room {
	doc: Y.Doc;
	room: string;
}

interface Outgoing {
	row: SessionRow;
	parts: Map<string, unknown>;
	prints: KnownRecord;
	before?: KnownRecord;
}
