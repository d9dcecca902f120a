/** What a person may change on a saved session: its routine, before/after mark, note and tags. */
import { updateSession, type ReadingPhase } from '$lib/db';

export interface SessionEdits {
	routine: string;
	phase: ReadingPhase;
	note?: string;
	tags: string[];
}

export async function saveSessionEdits(sessionId: string, edits: SessionEdits): Promise<void> {
	await updateSession(sessionId, edits);
}
