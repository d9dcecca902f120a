/**
 * A session's measured breathing as the current breath analysis reads it. A record kept by an
 * older analysis (BREATH_ANALYSIS_VERSION) is analysed again from its movement blocks; the
 * background re-analysis (reanalyze.ts) also stores what it finds, so this is needed only until
 * it has reached the session.
 */
import { BREATH_ANALYSIS_VERSION, getBreathing, type BreathingRecord } from '$lib/db/breathing';

export async function currentBreathing(sessionId: string): Promise<BreathingRecord | undefined> {
	return renewedIfStale(await getBreathing(sessionId));
}

export async function renewedIfStale(
	record: BreathingRecord | undefined
): Promise<BreathingRecord | undefined> {
	if (!record || record.analysisVersion >= BREATH_ANALYSIS_VERSION) return record;
	// Loaded only for such a record: the pages that read breathing do not carry the analysis.
	const { renewBreaths } = await import('$lib/breath-measured/renew');
	const renewed = renewBreaths(record.blocks);
	return renewed ? { ...record, ...renewed, analysisVersion: BREATH_ANALYSIS_VERSION } : record;
}
