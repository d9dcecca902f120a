import { beforeEach, describe, expect, it } from 'vitest';
import {
	backupBlob,
	restoreBackup,
	createExperiment,
	createSession,
	deleteEverything,
	getSession,
	deleteExperiment,
	experimentOn,
	getDb,
	getExperiment,
	listExperiments,
	logExperimentDay,
	mergeSyncedExperiment,
	stopExperiment,
	useDatabase
} from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { assignmentMatchesSeed } from '$lib/experiment';
import { saveSelfReport } from '$lib/practice/self-report';

let n = 0;
beforeEach(() => {
	useDatabase(new SettleDB(`experiments-${n++}`));
});

const plan = {
	routine: 'Stability routine',
	question: 'settledHr' as const,
	weeks: 4,
	block: 'days' as const,
	startDay: '2026-03-02'
};

describe('experiments in the database', () => {
	it('stores the plan with the assignment drawn once from its seed', async () => {
		const e = await createExperiment(plan, 777);
		const back = await getExperiment(e.id);
		expect(back).toMatchObject({ ...plan, seed: 777 });
		expect(back!.arms).toHaveLength(28);
		expect(assignmentMatchesSeed(plan, 777, back!.arms)).toBe(true);
		expect(await experimentOn('2026-03-02')).toMatchObject({ id: e.id });
		expect(await experimentOn('2026-03-29')).toMatchObject({ id: e.id });
		expect(await experimentOn('2026-03-30')).toBeUndefined();
		expect(await experimentOn('2026-03-01')).toBeUndefined();
	});

	it('refuses to change or re-draw the assignment, by any write', async () => {
		const e = await createExperiment(plan, 1);
		const flipped = e.arms.map((a) => (a === 'routine' ? 'rest' : 'routine'));
		await expect((await getDb()).experiments.update(e.id, { arms: flipped })).rejects.toThrow(
			/drawn once/
		);
		await expect((await getDb()).experiments.update(e.id, { seed: 2 })).rejects.toThrow(
			/drawn once/
		);
		await expect((await getDb()).experiments.put({ ...e, arms: flipped })).rejects.toThrow(
			/drawn once/
		);
		await expect(
			(await getDb()).experiments.update(e.id, { startDay: '2026-04-01' })
		).rejects.toThrow();
		expect((await getExperiment(e.id))!.arms).toEqual(e.arms);
	});

	it('refuses a backup that would re-draw a stored experiment, even on a fresh handle', async () => {
		const name = `experiments-restore-guard-${n++}`;
		useDatabase(new SettleDB(name));
		const e = await createExperiment(plan, 3);
		const flipped = e.arms.map((a) => (a === 'routine' ? 'rest' : 'routine'));
		// A backup of this very database, edited to swap the routine and rest days.
		const text = await (await backupBlob()).text();
		const doctored = text.replace(JSON.stringify(e.arms), JSON.stringify(flipped));
		expect(doctored).not.toBe(text);
		// A new page's handle, on which no experiment function has run yet.
		useDatabase(new SettleDB(name));
		const r = await restoreBackup(new Blob([doctored]));
		expect(r).toMatchObject({ ok: false });
		expect(r.ok ? '' : r.reason).toMatch(/drawn once/);
		expect((await getExperiment(e.id))!.arms).toEqual(e.arms);
	});

	it('refuses an experiment that overlaps a running one', async () => {
		await createExperiment(plan, 1);
		await expect(createExperiment({ ...plan, startDay: '2026-03-20' }, 2)).rejects.toThrow(
			/one at a time/
		);
		await createExperiment({ ...plan, startDay: '2026-03-30' }, 3);
		expect(await listExperiments()).toHaveLength(2);
	});

	it('logs each day as it happened: what was done and a note, changeable and clearable', async () => {
		const e = await createExperiment(plan, 1);
		await logExperimentDay(e.id, '2026-03-03', { did: 'rest' });
		await logExperimentDay(e.id, '2026-03-03', { note: '  slept badly ' });
		let back = await getExperiment(e.id);
		expect(back!.days['2026-03-03']).toMatchObject({ did: 'rest', note: 'slept badly' });
		await logExperimentDay(e.id, '2026-03-03', { did: null, note: '' });
		back = await getExperiment(e.id);
		expect(back!.days['2026-03-03'].did).toBeUndefined();
		expect(back!.days['2026-03-03'].note).toBeUndefined();
		await expect(logExperimentDay(e.id, '2026-04-30', { did: 'rest' })).rejects.toThrow(
			/not a day/
		);
	});

	it('stops and deletes', async () => {
		const e = await createExperiment(plan, 1);
		await stopExperiment(e.id);
		expect(await experimentOn('2026-03-05')).toBeUndefined();
		expect((await getExperiment(e.id))!.stoppedAt).toBeGreaterThan(0);
		await deleteExperiment(e.id);
		expect(await getExperiment(e.id)).toBeUndefined();
		expect(await listExperiments()).toEqual([]);
	});

	it('merges another device’s copy: later day edits win, the assignment stays', async () => {
		const e = await createExperiment(plan, 1);
		await logExperimentDay(e.id, '2026-03-02', { did: 'routine' });
		const here = (await getExperiment(e.id))!;
		await mergeSyncedExperiment(await getDb(), {
			...here,
			days: {
				'2026-03-02': { did: 'rest', updatedAt: 1 },
				'2026-03-04': { note: 'from the phone', updatedAt: Date.now() + 5 }
			},
			stoppedAt: 123
		});
		const merged = (await getExperiment(e.id))!;
		expect(merged.days['2026-03-02'].did).toBe('routine');
		expect(merged.days['2026-03-04'].note).toBe('from the phone');
		expect(merged.stoppedAt).toBe(123);
		const tampered = { ...here, arms: [...here.arms].reverse() };
		await mergeSyncedExperiment(await getDb(), tampered);
		expect((await getExperiment(e.id))!.arms).toEqual(e.arms);
		// A new experiment from the other device arrives whole.
		await mergeSyncedExperiment(await getDb(), { ...here, id: 'other', startDay: '2026-05-01' });
		expect(await getExperiment('other')).toBeDefined();
	});

	it('goes with Delete everything, notes and all, and a synced copy does not bring the notes back', async () => {
		const e = await createExperiment(plan, 5);
		await logExperimentDay(e.id, '2026-03-02', { did: 'routine', note: 'sore hips' });
		const phone = (await getExperiment(e.id))!;
		await deleteEverything();
		expect(await listExperiments()).toEqual([]);
		expect(await experimentOn('2026-03-02')).toBeUndefined();
		const left = await (await getDb()).experiments.get(e.id);
		// A tombstone, so sync tells the other devices; nothing the person wrote is in it.
		expect(left!.deletedAt).toBeGreaterThan(0);
		expect(JSON.stringify(left)).not.toContain('sore hips');
		// The phone had not heard of the deletion yet and sends its copy with the note.
		await mergeSyncedExperiment(await getDb(), phone);
		expect(JSON.stringify(await (await getDb()).experiments.get(e.id))).not.toContain('sore hips');
		expect(await getExperiment(e.id)).toBeUndefined();
		// The phone, merging this device's tombstone, keeps no notes either.
		useDatabase(new SettleDB(`experiments-phone-${n++}`));
		await mergeSyncedExperiment(await getDb(), phone);
		await mergeSyncedExperiment(await getDb(), left!);
		const there = await (await getDb()).experiments.get(e.id);
		expect(there!.deletedAt).toBe(left!.deletedAt);
		expect(JSON.stringify(there)).not.toContain('sore hips');
	});

	it('travels in the backup with everything else, and comes back whole', async () => {
		const e = await createExperiment(plan, 99);
		await logExperimentDay(e.id, '2026-03-02', { did: 'routine', note: 'felt good' });
		const before = await getExperiment(e.id);
		const blob = await backupBlob();
		useDatabase(new SettleDB(`experiments-restored-${n++}`));
		expect(await restoreBackup(blob)).toMatchObject({ ok: true });
		expect(await getExperiment(e.id)).toEqual(before);
	});

	it('keeps the tags a session started with when the self-report replaces its tags', async () => {
		const s = await createSession({
			source: 'demo',
			strapName: 'Demo',
			tags: ['experiment', 'routine day']
		});
		await saveSelfReport(s.id, { note: '', tags: ['morning', 'tired'] }, [
			'experiment',
			'routine day'
		]);
		expect((await getSession(s.id))!.tags).toEqual([
			'experiment',
			'routine day',
			'morning',
			'tired'
		]);
	});
});
