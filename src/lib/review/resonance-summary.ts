/**
 * A resonance assessment's result on its session's summary. Apart from summary.ts so that pages
 * recording or listing sessions do not load the assessment's analysis.
 */
import { assessResonance, type ResonanceResult } from '$lib/analysis';
import type { SessionRow, SessionSummary } from '$lib/db';
import type { BeatSeries } from '$lib/db/beats';
import { usableBeats } from './summary';

/**
 * What a resonance assessment found, for its summary: the rate when one was named, or the fastest
 * and slowest of the rates that tied (a tie names no rate anywhere).
 */
export function resonanceFields(result: ResonanceResult): SessionSummary {
	if (result.bestRateBpm === undefined) return {} as SessionSummary;
	const ties = result.tooCloseToCall ? (result.tieRatesBpm ?? []) : [];
	return (
		ties.length
			? { resonanceTieFastBpm: Math.max(...ties), resonanceTieSlowBpm: Math.min(...ties) }
			: { resonanceBpm: result.bestRateBpm }
	) as SessionSummary;
}

/** The summary with what its assessment finds now (a summary recomputed from the beats). */
export function withAssessment(
	summary: SessionSummary,
	series: BeatSeries,
	assessment: SessionRow['assessment']
): SessionSummary {
	if (!assessment) return summary;
	const { rrMs, timeMs } = usableBeats(series);
	return { ...summary, ...resonanceFields(assessResonance(rrMs, timeMs, assessment.steps)) };
}
