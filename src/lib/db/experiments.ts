/**
 * Every read and write of self-experiments. The assignment is drawn once, when the experiment is
 * created, and stored with its seed; the table refuses any later change to it (experiment-guard.ts),
 * so no code path, sync or restore can re-draw it after the fact. Day logs (what was done, a note)
 * are the only thing that changes day to day.
 */
import { dayCount, drawAssignment, type Design } from '$lib/experiment/assignment';
import { addDays, daysBetween } from '$lib/experiment/days';
import type { ExperimentDayLog, ExperimentRow, SettleDB } from './schema';
import { getDb } from './db';

export { AssignmentFixedError } from './experiment-guard';

async function table() {
	return (await getDb()).experiments;
}

export interface NewExperiment extends Design {
	routine: string;
	question: ExperimentRow['question'];
	startDay: string;
}

export const lastDay = (e: Pick<ExperimentRow, 'startDay' | 'weeks'>) =>
	addDays(e.startDay, e.weeks * 7 - 1);

/** The experiment that is running on a day (not stopped, not deleted), if any. */
export async function experimentOn(day: string): Promise<ExperimentRow | undefined> {
	const rows = await (await table()).where('startDay').belowOrEqual(day).toArray();
	return rows.find((e) => !e.deletedAt && !e.stoppedAt && lastDay(e) >= day);
}

export async function createExperiment(plan: NewExperiment, seed: number): Promise<ExperimentRow> {
	const arms = drawAssignment(plan, seed);
	const now = Date.now();
	const row: ExperimentRow = {
		id: crypto.randomUUID(),
		createdAt: now,
		updatedAt: now,
		routine: plan.routine.trim() || 'Stability routine',
		question: plan.question,
		weeks: plan.weeks,
		block: plan.block,
		startDay: plan.startDay,
		seed: seed >>> 0,
		arms,
		days: {}
	};
	const db = await getDb();
	await db.transaction('rw', db.experiments, async () => {
		const end = lastDay(row);
		const clash = (await db.experiments.toArray()).find(
			(e) => !e.deletedAt && !e.stoppedAt && e.startDay <= end && lastDay(e) >= row.startDay
		);
		if (clash)
			throw new Error(
				`Another experiment runs from ${clash.startDay} to ${lastDay(clash)}: one at a time, so each day has one instruction.`
			);
		await db.experiments.add(row);
	});
	return row;
}

export async function getExperiment(id: string): Promise<ExperimentRow | undefined> {
	const row = await (await table()).get(id);
	return row && !row.deletedAt ? row : undefined;
}

/** All experiments, newest first. */
export async function listExperiments(): Promise<ExperimentRow[]> {
	return experimentsIn(await getDb());
}

/**
 * The experiments of an open database, newest first: Dexie calls only, so that a liveQuery
 * around it sees every read (an await of anything else first, such as opening the database,
 * would hide the read from it, and it would never answer again).
 */
export function experimentsIn(db: SettleDB): Promise<ExperimentRow[]> {
	return db.experiments
		.orderBy('startDay')
		.reverse()
		.toArray()
		.then((rows) => rows.filter((e) => !e.deletedAt));
}

/** Records what was done on a day and/or its note, as it happened. */
export async function logExperimentDay(
	id: string,
	day: string,
	patch: { did?: ExperimentDayLog['did'] | null; note?: string }
): Promise<void> {
	const now = Date.now();
	const experiments = await table();
	const e = await experiments.get(id);
	if (!e) throw new Error('This experiment no longer exists.');
	const index = dayIndexIn(e, day);
	if (index < 0 || index >= dayCount(e)) throw new Error(`${day} is not a day of this experiment.`);
	await experiments
		.where('id')
		.equals(id)
		.modify((row) => {
			const log: ExperimentDayLog = { ...(row.days[day] ?? {}), updatedAt: now };
			if (patch.did === null) delete log.did;
			else if (patch.did) log.did = patch.did;
			if (patch.note !== undefined) {
				if (patch.note.trim()) log.note = patch.note.trim();
				else delete log.note;
			}
			row.days = { ...row.days, [day]: log };
			row.updatedAt = now;
		});
}

export const dayIndexIn = (e: Pick<ExperimentRow, 'startDay'>, day: string) =>
	daysBetween(e.startDay, day);

/** Ends the experiment early: the answer covers the days up to now. */
export async function stopExperiment(id: string): Promise<void> {
	const now = Date.now();
	await (await table()).update(id, { stoppedAt: now, updatedAt: now });
}

export async function deleteExperiment(id: string): Promise<void> {
	const now = Date.now();
	await (await table()).update(id, { deletedAt: now, updatedAt: now });
}

/** Every row, deleted ones too (sync tells other devices about deletions). */
export async function allExperimentRows(db: SettleDB): Promise<ExperimentRow[]> {
	return db.experiments.toArray();
}

/**
 * Another device's copy of an experiment, merged into ours: the assignment stays as first stored
 * (both devices drew it once, from the same row); each day's log keeps the later edit; a stop or a
 * deletion, once made anywhere, stays, and a deleted experiment keeps no day logs.
 */
export async function mergeSyncedExperiment(db: SettleDB, incoming: ExperimentRow): Promise<void> {
	await db.transaction('rw', db.experiments, async () => {
		const here = await db.experiments.get(incoming.id);
		if (!here) {
			await db.experiments.add(
				incoming.deletedAt === undefined ? incoming : { ...incoming, days: {} }
			);
			return;
		}
		const days = { ...here.days };
		for (const [day, log] of Object.entries(incoming.days ?? {}))
			if (!days[day] || days[day].updatedAt < log.updatedAt) days[day] = log;
		const earliest = (a?: number, b?: number) =>
			a === undefined ? b : b === undefined ? a : Math.min(a, b);
		const deletedAt = earliest(here.deletedAt, incoming.deletedAt);
		await db.experiments.update(here.id, {
			// A deleted experiment keeps none of what was written in it (Delete everything empties
			// them): a device that still had the notes must not bring them back.
			days: deletedAt === undefined ? days : {},
			stoppedAt: earliest(here.stoppedAt, incoming.stoppedAt),
			deletedAt,
			updatedAt: Math.max(here.updatedAt, incoming.updatedAt)
		});
	});
}
