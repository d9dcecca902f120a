/**
 * Breathing measured by the strap: packed into one row per session (schema BreathingRow), read
 * back as breaths and movement blocks. Times in the row are ms since the session start.
 */
import { getDb } from './db';
import { MISSING_BLOCK, type BreathingRow } from './rows';

/**
 * Bumped when the breath analysis changes what it finds; older records are analysed again from
 * their blocks (review/current-breathing.ts). 2: turns placed by fitting the breath's shape.
 */
export const BREATH_ANALYSIS_VERSION = 2;

export interface StoredBreath {
	inStartMs: number;
	outStartMs: number;
	endMs: number;
	depthMg: number;
}

export interface BreathingRecord {
	breaths: StoredBreath[];
	movements: { startMs: number; endMs: number }[];
	blocks: { startMs: number; blockMs: number; xyz: Float32Array; activity: Float32Array };
	sampleRateHz: number;
	analysisVersion: number;
}

const clip16 = (v: number) => Math.max(-32767, Math.min(32767, Math.round(v)));

export function packBreathing(sessionId: string, r: BreathingRecord): BreathingRow {
	const n = r.blocks.activity.length;
	const xyz = new Int16Array(3 * n);
	const activity = new Uint16Array(n);
	for (let k = 0; k < n; k++) {
		for (let a = 0; a < 3; a++) {
			const v = r.blocks.xyz[3 * k + a];
			xyz[3 * k + a] = Number.isFinite(v) ? clip16(v * 10) : MISSING_BLOCK;
		}
		const act = r.blocks.activity[k];
		activity[k] = Number.isFinite(act) ? Math.min(65534, Math.round(act * 10)) : 65535;
	}
	return {
		sessionId,
		inStartMs: Float64Array.from(r.breaths, (b) => b.inStartMs),
		outStartMs: Float64Array.from(r.breaths, (b) => b.outStartMs),
		endMs: Float64Array.from(r.breaths, (b) => b.endMs),
		depthMg: Float32Array.from(r.breaths, (b) => b.depthMg),
		movements: r.movements.map((m) => ({ startMs: m.startMs, endMs: m.endMs })),
		blocksStartMs: r.blocks.startMs,
		blockMs: r.blocks.blockMs,
		xyz,
		activity,
		sampleRateHz: r.sampleRateHz,
		analysisVersion: r.analysisVersion
	};
}

export function unpackBreathing(row: BreathingRow): BreathingRecord {
	const n = row.activity.length;
	const xyz = new Float32Array(3 * n);
	const activity = new Float32Array(n);
	for (let i = 0; i < 3 * n; i++) xyz[i] = row.xyz[i] === MISSING_BLOCK ? NaN : row.xyz[i] / 10;
	for (let k = 0; k < n; k++) activity[k] = row.activity[k] === 65535 ? NaN : row.activity[k] / 10;
	return {
		breaths: Array.from(row.inStartMs, (inStartMs, i) => ({
			inStartMs,
			outStartMs: row.outStartMs[i],
			endMs: row.endMs[i],
			depthMg: row.depthMg[i]
		})),
		movements: row.movements.map((m) => ({ ...m })),
		blocks: { startMs: row.blocksStartMs, blockMs: row.blockMs, xyz, activity },
		sampleRateHz: row.sampleRateHz,
		analysisVersion: row.analysisVersion
	};
}

/** Kept as the current analysis made it (its version is stamped here). */
export async function saveBreathing(
	sessionId: string,
	record: Omit<BreathingRecord, 'analysisVersion'>
): Promise<void> {
	await (
		await getDb()
	).breathing.put(
		packBreathing(sessionId, { ...record, analysisVersion: BREATH_ANALYSIS_VERSION })
	);
}

export async function getBreathing(sessionId: string): Promise<BreathingRecord | undefined> {
	const row = await (await getDb()).breathing.get(sessionId);
	return row ? unpackBreathing(row) : undefined;
}
