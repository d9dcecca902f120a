/**
 * The breathing the strap measured is in the JSON backup and comes back exactly: typed arrays
 * as the same types, NaN blocks as NaN, every value bit for bit.
 */
import { describe, expect, it } from 'vitest';
import {
	backupBlob,
	getBreathing,
	getDb,
	packBreathing,
	restoreBackup,
	unpackBreathing,
	useDatabase,
	type BreathingRecord
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';

let n = 0;

function breathingRecord(): BreathingRecord {
	const n = 600;
	const xyz = new Float32Array(3 * n).map((_, i) => (i % 3 === 0 ? -981.23 : 12.3) + Math.sin(i));
	const activity = new Float32Array(n).map((_, k) => 1.7 + (k % 11) / 3);
	xyz.fill(NaN, 300, 306);
	activity.fill(NaN, 100, 102);
	return {
		breaths: Array.from({ length: 12 }, (_, i) => ({
			inStartMs: 812.123456789 + i * 8219.87654321,
			outStartMs: 4100.5 + i * 8219.87654321,
			endMs: 812.123456789 + (i + 1) * 8219.87654321,
			depthMg: 9.87654321 + i / 7
		})),
		movements: [{ startMs: 60_000, endMs: 62_800 }],
		blocks: { startMs: 0, blockMs: 200, xyz, activity },
		sampleRateHz: 25,
		analysisVersion: 1
	};
}

describe('measured breathing in the backup', () => {
	it('restores into a fresh database exactly as it was', async () => {
		useDatabase(new SettleDB(`breathing-backup-${n++}`));
		const row = packBreathing('s1', breathingRecord());
		await (await getDb()).breathing.put(row);
		const blob = await backupBlob();
		useDatabase(new SettleDB(`breathing-restored-${n++}`));
		expect(await restoreBackup(blob)).toMatchObject({ ok: true });
		const back = await (await getDb()).breathing.get('s1');
		expect(back).toEqual(row);
		for (const key of ['inStartMs', 'outStartMs', 'endMs', 'depthMg', 'xyz', 'activity'] as const) {
			expect(back![key].constructor).toBe(row[key].constructor);
			expect(Buffer.from(back![key].buffer)).toEqual(Buffer.from(row[key].buffer));
		}
		expect(await getBreathing('s1')).toEqual(unpackBreathing(row));
		const record = (await getBreathing('s1'))!;
		expect(record.blocks.xyz.slice(300, 306).every(Number.isNaN)).toBe(true);
		expect(record.breaths).toEqual(
			breathingRecord().breaths.map((b) => ({ ...b, depthMg: Math.fround(b.depthMg) }))
		);
	});
});
