/**
 * When the engine's conventions change (ANALYSIS_VERSION), every stored summary is recomputed
 * from its beats in the background, newest first, in batches so open lists refresh a few times
 * rather than once per session. Until then readers fall back to the older names (settleFigures).
 * The breathing the strap measured is read with the beats, so its figures are filled in for
 * sessions recorded before the summary held them; a record an older breath analysis kept is
 * analysed again from its blocks and stored.
 */
import { settingsFrom, type AnalysisSettings } from '$lib/analysis';
import {
	getBeats,
	getBreathing,
	replaceSummaries,
	saveBreathing,
	sessionsWithStaleSummary,
	type SessionRow,
	type SessionSummary
} from '$lib/db';
import type { BeatSeries } from '$lib/db/beats';
import { ANALYSIS_VERSION, computeSummary, keepMeasured, type SummaryBreathing } from './summary';
import { settleFigures } from './settle-figures';
import { renewedIfStale } from './current-breathing';

/** Fewer beats than this and the stored summary knows more than the beats do. */
const MIN_BEATS = 10;

/**
 * A session whose beats are gone (damaged, or never kept) keeps what its summary said, under the
 * current names, rather than being recomputed from nothing.
 */
async function renewed(
	id: string,
	old: SessionSummary | undefined,
	series: BeatSeries,
	settings: AnalysisSettings,
	assessment: SessionRow['assessment'],
	breathing: SummaryBreathing | undefined
): Promise<SessionSummary> {
	if (series.rrMs.length >= MIN_BEATS || !old) {
		const summary = keepMeasured(computeSummary(series, settings, breathing), old);
		// Loaded only for assessments, so the pages that start this do not carry it.
		if (!assessment) return summary;
		const { withAssessment } = await import('./resonance-summary');
		return withAssessment(summary, series, assessment, breathing?.breaths);
	}
	const kept: SessionSummary = { ...old, analysisVersion: ANALYSIS_VERSION };
	for (const [key, value] of Object.entries(settleFigures(old)))
		if (value !== undefined && Number.isFinite(value)) kept[key] = value;
	return kept;
}

export interface ReanalyzeOptions {
	batch?: number;
	onProgress?: (done: number, total: number) => void;
	/** Asked between batches: a recording has started, or the page is going away. */
	shouldStop?: () => boolean;
	/** Lets the page breathe between batches. */
	yieldBetween?: () => Promise<void>;
}

/** The session's breathing, analysed again and stored when an older analysis kept it. */
async function renewedBreathing(id: string) {
	const kept = await getBreathing(id);
	const renewed = await renewedIfStale(kept);
	if (renewed && renewed !== kept) await saveBreathing(id, renewed);
	return renewed;
}

/** Returns how many summaries were recomputed. */
export async function reanalyzeStaleSessions(options: ReanalyzeOptions = {}): Promise<number> {
	const { batch = 100, onProgress, shouldStop, yieldBetween } = options;
	const ids = await sessionsWithStaleSummary(ANALYSIS_VERSION);
	let done = 0;
	if (ids.length) onProgress?.(0, ids.length);
	for (let i = 0; i < ids.length; i += batch) {
		if (shouldStop?.()) break;
		const out = new Map<string, SessionSummary>();
		for (const { id, summary, analysisSettings, assessment } of ids.slice(i, i + batch))
			out.set(
				id,
				await renewed(
					id,
					summary,
					await getBeats(id),
					settingsFrom(analysisSettings),
					assessment,
					await renewedBreathing(id)
				)
			);
		await replaceSummaries(out);
		done += out.size;
		onProgress?.(done, ids.length);
		await yieldBetween?.();
	}
	return done;
}
