/** The after-session self-report: tension, a free note and tags, saved onto the session. */
import { updateSession } from '$lib/db';
import { refusedWriteMessage } from '$lib/db/storage';
import type { PracticeFlow, ReadingPhase } from './practice-flow.svelte';

export interface SelfReport {
	tensionAfter?: number;
	note: string;
	tags: string[];
}

/**
 * Saves the report onto the session (one write); on a refusal, says why and what to do. The
 * person's chosen tags replace the session's, except `kept`: the tags the flow started the session
 * with (today's experiment day), which stay.
 */
export async function saveSelfReport(
	sessionId: string,
	report: SelfReport,
	kept: readonly string[] = []
): Promise<string | undefined> {
	try {
		await updateSession(sessionId, {
			tensionAfter: report.tensionAfter,
			note: report.note.trim() || undefined,
			tags: [...new Set([...kept, ...report.tags])]
		});
	} catch (err) {
		return refusedWriteMessage('Your note, tension and tags', err);
	}
	return undefined;
}

/** Saves the report, then shows the summary; a refused save stays on the form, saying why. */
export async function saveReportAndGoOn(flow: PracticeFlow, report: SelfReport): Promise<void> {
	flow.error = flow.sessionId ? await saveSelfReport(flow.sessionId, report, flow.tags) : undefined;
	if (!flow.error) flow.toSummary();
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
