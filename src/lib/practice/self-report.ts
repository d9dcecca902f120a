/** The after-session self-report: tension, a free note and tags, saved onto the session. */
import { getSession, updateSession } from '$lib/db';
import { EXPERIMENT_TAGS } from '$lib/experiment-ui/tags';
import type { ReadingPhase } from './practice-flow.svelte';

export interface SelfReport {
	tensionAfter?: number;
	note: string;
	tags: string[];
}

/** The person's chosen tags replace the session's, except the experiment's: those stay. */
export async function saveSelfReport(sessionId: string, report: SelfReport): Promise<void> {
	const kept = ((await getSession(sessionId))?.tags ?? []).filter((t) =>
		EXPERIMENT_TAGS.includes(t)
	);
	await updateSession(sessionId, {
		tensionAfter: report.tensionAfter,
		note: report.note.trim() || undefined,
		tags: [...new Set([...kept, ...report.tags])]
	});
}

/** Tags offered by default: the reading's place around a routine and the time of day. */
export function suggestedTags(phase: ReadingPhase, at = new Date()): string[] {
	const h = at.getHours();
	const timeOfDay = h < 12 ? 'morning' : h < 18 ? 'afternoon' : 'evening';
	const tags = [timeOfDay];
	if (phase === 'before') tags.push('pre');
	if (phase === 'after') tags.push('post');
	return [...tags, 'tired', 'stressed', 'sore'];
}
