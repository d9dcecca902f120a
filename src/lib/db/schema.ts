/**
 * The Dexie schema. Sessions carry their metadata and a computed summary, so lists and trends never
 * load beats; beats live in compact chunks of typed arrays (13 bytes a beat). The rows' types are
 * in rows.ts, so code that only reads and writes them does not bring Dexie into a page's first
 * JavaScript.
 * Old versions stay declared with their upgrade(), as Dexie requires, so any old database upgrades.
 */
import { Dexie, type EntityTable } from 'dexie';
import { watchSessionWrites } from './sessions-snapshot';
import { guardAssignment } from './experiment-guard';
import {
	DB_NAME,
	type BeatChunkRow,
	type BreathingRow,
	type ExperimentRow,
	type RoutineRow,
	type SessionEventRow,
	type SessionRow
} from './rows';

export * from './rows';

export class SettleDB extends Dexie {
	sessions!: EntityTable<SessionRow, 'id'>;
	beatChunks!: Dexie.Table<BeatChunkRow, [string, number]>;
	events!: EntityTable<SessionEventRow, 'id'>;
	routines!: EntityTable<RoutineRow, 'name'>;
	experiments!: EntityTable<ExperimentRow, 'id'>;
	breathing!: EntityTable<BreathingRow, 'sessionId'>;

	constructor(name = DB_NAME) {
		super(name);
		this.version(1).stores({
			sessions: 'id, startedAt, status, routine, phase, *tags',
			beatChunks: '[sessionId+seq], sessionId',
			events: '++id, sessionId, type',
			routines: 'name'
		});
		// v2: sessions know their source (imports are listed apart) and every row has tag and
		// phase fields, which early rows could lack.
		this.version(2)
			.stores({ sessions: 'id, startedAt, status, routine, phase, source, *tags' })
			.upgrade((tx) =>
				tx
					.table('sessions')
					.toCollection()
					.modify((s: Partial<SessionRow>) => {
						s.tags ??= [];
						s.phase ??= 'none';
						s.source ??= 'bluetooth';
						s.routine ??= 'Constructive rest';
						s.beatCount ??= 0;
						s.durationMs ??=
							s.endedAt !== undefined && s.startedAt !== undefined ? s.endedAt - s.startedAt : 0;
						s.updatedAt ??= s.endedAt ?? s.startedAt ?? 0;
					})
			);
		// v3: planned self-experiments (a new table; nothing to upgrade).
		this.version(3).stores({ experiments: 'id, startDay, createdAt' });
		// v4: breathing measured by the strap (a new table; existing sessions have none).
		this.version(4).stores({ breathing: 'sessionId' });
		watchSessionWrites(this);
		guardAssignment(this.experiments);
	}
}
