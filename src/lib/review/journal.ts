/** The journal: every note across sessions, newest first, searchable, with History's filters. */
import type { SessionRow } from '$lib/db';
import { applyFilter, type HistoryFilter } from './history';

export interface JournalEntry {
	id: string;
	startedAt: number;
	routine: string;
	phase: SessionRow['phase'];
	note: string;
	tags: string[];
	tensionBefore?: number;
	tensionAfter?: number;
}

/** Sessions with a note that match the filter and every word of the query (any case). */
export function journalEntries(
	rows: readonly SessionRow[],
	filter: HistoryFilter,
	query = ''
): JournalEntry[] {
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	return applyFilter(rows, filter)
		.filter((s) => s.note && s.note.trim())
		.filter((s) => {
			const text = `${s.note} ${s.tags.join(' ')} ${s.routine}`.toLowerCase();
			return words.every((w) => text.includes(w));
		})
		.sort((a, b) => b.startedAt - a.startedAt)
		.map((s) => ({
			id: s.id,
			startedAt: s.startedAt,
			routine: s.routine,
			phase: s.phase,
			note: (s.note as string).trim(),
			tags: s.tags,
			tensionBefore: s.tensionBefore,
			tensionAfter: s.tensionAfter
		}));
}
