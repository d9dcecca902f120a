/**
 * An experiment's assignment is drawn once, when it is created, and kept: the database itself
 * refuses any later change to the fields that fix it. Installed by the schema on every handle
 * (SettleDB's constructor), so no path can slip past it: the experiment pages, sync, a backup
 * restored into a database whose pages never touched experiments, a tool.
 */
import type { EntityTable } from 'dexie';
import type { ExperimentRow } from './rows';

/** Fields fixed at creation: changing any would amount to a re-draw or a different experiment. */
export const FIXED = ['seed', 'arms', 'startDay', 'weeks', 'block', 'question', 'routine'] as const;

export class AssignmentFixedError extends Error {
	constructor() {
		super('An experiment’s assignment is drawn once and kept: it cannot be changed or re-drawn.');
	}
}

/** Refuses, inside the database, any update (update, modify, or put over a stored row) of a fixed field. */
export function guardAssignment(table: EntityTable<ExperimentRow, 'id'>): void {
	table.hook('updating', (mods, _key, obj) => {
		for (const f of FIXED)
			for (const path of Object.keys(mods))
				if (
					(path === f || path.startsWith(`${f}.`)) &&
					JSON.stringify((mods as Record<string, unknown>)[path]) !==
						JSON.stringify(path === f ? obj[f] : undefined)
				)
					throw new AssignmentFixedError();
	});
}
