/**
 * A resonance assessment's result on its session's summary. Apart from summary.ts so that pages
 * recording or listing sessions do not load the assessment's analysis.
 */
import type { ResonanceResult } from '$lib/analysis';
import {
	assessWithMeasuredBreath,
	type MeasuredResonanceResult
} from '$lib/breath-measured/resonance-breath';
import type { SessionRow, SessionSummary } from '$lib/db';
import type { StoredBreath } from '$lib/db/breathing';
import type { BeatSeries } from '$lib/db/beats';
import { usableBeats } from './summary';

/**
 * What a resonance assessment found, for its summary: the rate when one was named, or the fastest
 * and slowest of the rates that tied (a tie names no rate anywhere). With the breath the strap
 * measured: the rate that came out best but was not followed (so not named), and how many steps
 * were not followed. Older summaries have none of these fields: nothing was measured then.
 */
export function resonanceFields(
	result: ResonanceResult & Partial<MeasuredResonanceResult>
): SessionSummary {
	const breath: Record<string, number> = {};
	if (result.withheldRateBpm !== undefined) breath.resonanceWithheldBpm = result.withheldRateBpm;
	if (result.breathing?.length) breath.resonanceNotFollowed = result.notFollowed ?? 0;
	if (result.bestRateBpm === undefined) return breath as SessionSummary;
	const ties = result.tooCloseToCall ? (result.tieRatesBpm ?? []) : [];
	return {
		...breath,
		...(ties.length
			? { resonanceTieFastBpm: Math.max(...ties), resonanceTieSlowBpm: Math.min(...ties) }
			: { resonanceBpm: result.bestRateBpm })
	} as SessionSummary;
}

/**
 * The summary with what its assessment finds now (a summary recomputed from the beats, with the
 * breaths the strap measured when it did).
 */
export function withAssessment(
	summary: SessionSummary,
	series: BeatSeries,
	assessment: SessionRow['assessment'],
	breaths?: readonly StoredBreath[]
): SessionSummary {
	if (!assessment) return summary;
	const { rrMs, timeMs } = usableBeats(series);
	return {
		...summary,
		...resonanceFields(assessWithMeasuredBreath(rrMs, timeMs, assessment.steps, breaths))
	};
}
