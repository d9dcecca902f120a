/**
 * How a session travels: split into parts that merge on their own (what a person edits is one
 * register per field, so a note edited on the phone and tags edited on the laptop both survive),
 * and its beats (and the breathing the strap measured) packed byte for byte into binary blobs
 * (every value exactly as recorded).
 */
import type { BeatChunkRow, BreathingRow, SessionEventRow, SessionRow } from '$lib/db/schema';

/** Fields a person edits after recording; each is its own last-writer-wins register. */
export const EDITABLE = [
	'note',
	'tags',
	'phase',
	'routine',
	'tensionBefore',
	'tensionAfter',
	'analysisSettings'
] as const satisfies readonly (keyof SessionRow)[];
export type EditableField = (typeof EDITABLE)[number];

/** "breathing" holds the fingerprint of the measured breathing, whose blob is beside the beats. */
export type SessionPart = 'core' | 'events' | 'del' | 'breathing' | `f:${EditableField}`;

/** The row without the editable fields: written when recorded, imported or re-analysed. */
export function coreOf(row: SessionRow): Omit<SessionRow, EditableField> {
	const core: Record<string, unknown> = { ...row };
	for (const f of EDITABLE) delete core[f];
	return core as Omit<SessionRow, EditableField>;
}

/** The row again from its core and the field registers that exist. */
export function joinRow(
	core: Omit<SessionRow, EditableField>,
	fields: Partial<Pick<SessionRow, EditableField>>
): SessionRow {
	const row = { ...core, tags: [], phase: 'none', routine: 'Constructive rest' } as SessionRow;
	for (const f of EDITABLE) if (fields[f] !== undefined) Object.assign(row, { [f]: fields[f] });
	return row;
}

/** Events without their local auto-increment ids (each device numbers its own). */
export function portableEvents(events: readonly SessionEventRow[]): SessionEventRow[] {
	return events
		.map(({ id: _id, ...e }) => e)
		.sort((a, b) => a.startMs - b.startMs || a.type.localeCompare(b.type));
}

/** JSON with keys in a fixed order, so the same value always has the same fingerprint. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_k, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: v
	);
}

/** A 53-bit fingerprint (cyrb53) of a value's canonical JSON: detects change, not tampering. */
export function fingerprint(value: unknown): string {
	const text = canonicalJson(value) ?? 'undefined';
	return cyrb53(text.length, (i) => text.charCodeAt(i));
}

/** The same fingerprint over bytes (a packed blob). */
export function bytesPrint(bytes: Uint8Array): string {
	return cyrb53(bytes.length, (i) => bytes[i]);
}

function cyrb53(length: number, at: (i: number) => number): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < length; i++) {
		const c = at(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * Beats blob (framed, below): the header (JSON: each chunk's seq, t0Ms and beat count), then per
 * chunk its rrMs (float64), offsetMs (float32) and flags (uint8) bytes. The typed arrays' own
 * bytes are copied, so every value arrives bit for bit.
 */
export function packBeats(chunks: readonly BeatChunkRow[]): Uint8Array {
	const sorted = [...chunks].sort((a, b) => a.seq - b.seq);
	return framed(
		sorted.map((c) => [c.seq, c.t0Ms, c.rrMs.length]),
		sorted.flatMap((c) => [c.rrMs, c.offsetMs, c.flags])
	);
}

export function unpackBeats(sessionId: string, blob: Uint8Array): BeatChunkRow[] {
	const { header, take, end } = unframed<number[][]>(blob, 'beats');
	const chunks = header.map(([seq, t0Ms, n]) => ({
		sessionId,
		seq,
		t0Ms,
		rrMs: new Float64Array(take(n * 8)),
		offsetMs: new Float32Array(take(n * 4)),
		flags: new Uint8Array(take(n))
	}));
	end();
	return chunks;
}

/** A blob's parts: a little-endian u32 header length, the JSON header, then raw bytes. */
function framed(header: unknown, arrays: readonly ArrayBufferView[]): Uint8Array {
	const head = new TextEncoder().encode(JSON.stringify(header));
	const body = arrays.reduce((n, a) => n + a.byteLength, 0);
	const out = new Uint8Array(4 + head.length + body);
	new DataView(out.buffer).setUint32(0, head.length, true);
	out.set(head, 4);
	let at = 4 + head.length;
	for (const a of arrays) {
		out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
		at += a.byteLength;
	}
	return out;
}

/**
 * Reads a framed blob: its header, a taker of the next bytes (fresh, aligned buffers), and a check
 * that every byte was taken (`what` names the blob in the error).
 */
function unframed<H>(
	blob: Uint8Array,
	what: string
): {
	header: H;
	take(bytes: number): ArrayBuffer;
	end(): void;
} {
	const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
	const headerLength = view.getUint32(0, true);
	const header = JSON.parse(new TextDecoder().decode(blob.subarray(4, 4 + headerLength))) as H;
	let at = 4 + headerLength;
	return {
		header,
		take(bytes) {
			// slice() copies: a Float64Array needs an 8-byte-aligned offset.
			const part = blob.slice(at, at + bytes).buffer;
			at += bytes;
			return part;
		},
		end() {
			if (at !== blob.length) throw new Error(`The ${what} arrived incomplete.`);
		}
	};
}

type BreathingHeader = Omit<
	BreathingRow,
	'sessionId' | 'inStartMs' | 'outStartMs' | 'endMs' | 'depthMg' | 'xyz' | 'activity'
> & { breaths: number; blocks: number };

/**
 * Breathing blob: the row's scalars and movement marks as a JSON header, then its breaths'
 * times (float64), depths (float32), the blocks' x, y, z (int16) and activity (uint16) bytes as
 * stored, so the row arrives bit for bit. 2.4 KB a minute of movement signal, 28 bytes a breath.
 */
export function packBreathingRow(row: BreathingRow): Uint8Array {
	const header: BreathingHeader = {
		breaths: row.inStartMs.length,
		blocks: row.activity.length,
		movements: row.movements.map((m) => ({ startMs: m.startMs, endMs: m.endMs })),
		blocksStartMs: row.blocksStartMs,
		blockMs: row.blockMs,
		sampleRateHz: row.sampleRateHz,
		analysisVersion: row.analysisVersion
	};
	return framed(header, [
		row.inStartMs,
		row.outStartMs,
		row.endMs,
		row.depthMg,
		row.xyz,
		row.activity
	]);
}

export function unpackBreathingRow(sessionId: string, blob: Uint8Array): BreathingRow {
	const { header: h, take, end } = unframed<BreathingHeader>(blob, 'breathing');
	const row: BreathingRow = {
		sessionId,
		inStartMs: new Float64Array(take(h.breaths * 8)),
		outStartMs: new Float64Array(take(h.breaths * 8)),
		endMs: new Float64Array(take(h.breaths * 8)),
		depthMg: new Float32Array(take(h.breaths * 4)),
		movements: h.movements,
		blocksStartMs: h.blocksStartMs,
		blockMs: h.blockMs,
		xyz: new Int16Array(take(h.blocks * 6)),
		activity: new Uint16Array(take(h.blocks * 2)),
		sampleRateHz: h.sampleRateHz,
		analysisVersion: h.analysisVersion
	};
	end();
	return row;
}
