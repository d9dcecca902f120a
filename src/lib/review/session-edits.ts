/**
 * What a person may change on a saved session: its routine, before/after mark, note and tags, and
 * the settings its figures are computed with.
 */
import { DEFAULT_SETTINGS, sameSettings, type AnalysisSettings } from '$lib/analysis';
import { getBeats, getSession, updateSession, type ReadingPhase } from '$lib/db';
import { currentBreathing } from './current-breathing';
import { computeSummary, keepMeasured } from './summary';

export interface SessionEdits {
	routine: string;
	phase: ReadingPhase;
	note?: string;
	tags: string[];
	/** Felt tension 0-10 before and after; undefined clears it (or leaves it unnoted). */
	tensionBefore?: number;
	tensionAfter?: number;
}

export async function saveSessionEdits(sessionId: string, edits: SessionEdits): Promise<void> {
	const level = (v: number | undefined) =>
		v !== undefined && Number.isInteger(v) && v >= 0 && v <= 10 ? v : undefined;
	// Every field is written, so a cleared tension is removed rather than kept.
	await updateSession(sessionId, {
		...edits,
		tensionBefore: level(edits.tensionBefore),
		tensionAfter: level(edits.tensionAfter)
	});
}

/**
 * Keeps the person's analysis settings with the session and recomputes its summary with them, so
 * History, Compare and the session page show the same figures. Settle's defaults are stored as no
 * choice at all.
 */
export async function saveAnalysisSettings(
	sessionId: string,
	settings: AnalysisSettings
): Promise<void> {
	const row = await getSession(sessionId);
	const series = await getBeats(sessionId);
	const breathing = await currentBreathing(sessionId);
	let summary = keepMeasured(computeSummary(series, settings, breathing), row?.summary);
	if (row?.assessment) {
		const { withAssessment } = await import('./resonance-summary');
		summary = withAssessment(summary, series, row.assessment, breathing?.breaths);
	}
	await updateSession(sessionId, {
		analysisSettings: sameSettings(settings, DEFAULT_SETTINGS) ? undefined : { ...settings },
		summary
	});
}
