/**
 * How a session travels: split into parts that merge on their own (what a person edits is one
 * register per field, so a note edited on the phone and tags edited on the laptop both survive),
 * and its beats packed byte for byte into one binary blob (every value exactly as recorded).
 */
import type { BeatChunkRow, SessionEventRow, SessionRow } from '$lib/db/schema';

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

export type SessionPart = 'core' | 'events' | 'del' | `f:${EditableField}`;

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
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * Beats blob: a little-endian u32 header length, the header (JSON: each chunk's seq, t0Ms and
 * beat count), then per chunk its rrMs (float64), offsetMs (float32) and flags (uint8) bytes.
 * The typed arrays' own bytes are copied, so every value arrives bit for bit.
 */
export function packBeats(chunks: readonly BeatChunkRow[]): Uint8Array {
	const sorted = [...chunks].sort((a, b) => a.seq - b.seq);
	const header = new TextEncoder().encode(
		JSON.stringify(sorted.map((c) => [c.seq, c.t0Ms, c.rrMs.length]))
	);
	const body = sorted.reduce((n, c) => n + c.rrMs.length * 13, 0);
	const out = new Uint8Array(4 + header.length + body);
	new DataView(out.buffer).setUint32(0, header.length, true);
	out.set(header, 4);
	let at = 4 + header.length;
	for (const c of sorted) {
		for (const arr of [c.rrMs, c.offsetMs, c.flags]) {
			out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), at);
			at += arr.byteLength;
		}
	}
	return out;
}

export function unpackBeats(sessionId: string, blob: Uint8Array): BeatChunkRow[] {
	const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
	const headerLength = view.getUint32(0, true);
	const header = JSON.parse(
		new TextDecoder().decode(blob.subarray(4, 4 + headerLength))
	) as number[][];
	let at = 4 + headerLength;
	// slice() copies into fresh, aligned buffers (a Float64Array needs an 8-byte-aligned offset).
	const take = (bytes: number) => {
		const part = blob.slice(at, at + bytes).buffer;
		at += bytes;
		return part;
	};
	const chunks = header.map(([seq, t0Ms, n]) => ({
		sessionId,
		seq,
		t0Ms,
		rrMs: new Float64Array(take(n * 8)),
		offsetMs: new Float32Array(take(n * 4)),
		flags: new Uint8Array(take(n))
	}));
	if (at !== blob.length) throw new Error('The beats arrived incomplete.');
	return chunks;
}
