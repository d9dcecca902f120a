/**
 * Resonance assessments as the review side sees them: the result of one (from its beats and paced
 * steps), and every assessment kept, so a person who repeats one after weeks of practice sees
 * whether their rate moved.
 */
import {
	assessWithMeasuredBreath,
	type MeasuredResonanceResult
} from '$lib/breath-measured/resonance-breath';
import { resonanceFields } from './resonance-summary';
import { getBeats, getSession, updateSession, type SessionRow } from '$lib/db';
import { currentBreathing } from './current-breathing';
import { formatRate } from '$lib/format/format';
import { usableBeats } from './summary';

export interface AssessmentResult {
	session: SessionRow;
	result: MeasuredResonanceResult;
}

export async function loadAssessmentResult(id: string): Promise<AssessmentResult | undefined> {
	const session = await getSession(id);
	if (!session?.assessment) return undefined;
	const [series, breathing] = await Promise.all([getBeats(id), currentBreathing(id)]);
	const { rrMs, timeMs } = usableBeats(series);
	return {
		session,
		result: assessWithMeasuredBreath(rrMs, timeMs, session.assessment.steps, breathing?.breaths)
	};
}

/**
 * Stores what the assessment found on the session's summary, so the list never needs the beats: the
 * rate when one was named, or the fastest and slowest of the rates that tied, or the rate that came
 * out best but was not followed.
 */
export async function rememberResonance(session: SessionRow, result: MeasuredResonanceResult) {
	if (
		(result.bestRateBpm === undefined && result.withheldRateBpm === undefined) ||
		!session.summary
	)
		return;
	const {
		resonanceBpm: _r,
		resonanceTieFastBpm: _f,
		resonanceTieSlowBpm: _s,
		resonanceWithheldBpm: _w,
		resonanceNotFollowed: _n,
		...rest
	} = session.summary;
	await updateSession(session.id, { summary: { ...rest, ...resonanceFields(result) } });
}

export interface AssessmentListItem {
	id: string;
	startedAt: number;
	resonanceBpm?: number;
	/** Too close to call: the fastest and slowest of the rates that tied. */
	tie?: { fastBpm: number; slowBpm: number };
	/** Came out best but the person breathed at another rate in that step: not named. */
	withheldBpm?: number;
	/** Steps the person did not follow (breathing measured by the strap); absent when unknown. */
	notFollowed?: number;
	steps: number;
}

/** Every assessment, newest first. */
export function assessmentsOf(rows: readonly SessionRow[]): AssessmentListItem[] {
	return rows
		.filter((s) => s.assessment)
		.sort((a, b) => b.startedAt - a.startedAt)
		.map((s) => ({
			id: s.id,
			startedAt: s.startedAt,
			resonanceBpm: s.summary?.resonanceBpm,
			tie:
				s.summary?.resonanceTieFastBpm !== undefined && s.summary.resonanceTieSlowBpm !== undefined
					? { fastBpm: s.summary.resonanceTieFastBpm, slowBpm: s.summary.resonanceTieSlowBpm }
					: undefined,
			withheldBpm: s.summary?.resonanceWithheldBpm,
			notFollowed: s.summary?.resonanceNotFollowed,
			steps: s.assessment?.steps.length ?? 0
		}));
}

/** Plainly: did the rate move since the previous assessment? */
export function movementSincePrevious(items: readonly AssessmentListItem[]): string | undefined {
	const [latest, previous] = items.filter((i) => i.resonanceBpm !== undefined);
	if (!latest || !previous) return undefined;
	const d = (latest.resonanceBpm as number) - (previous.resonanceBpm as number);
	if (Math.abs(d) < 0.25)
		return `The same rate as your previous assessment (${formatRate(previous.resonanceBpm)} breaths a minute).`;
	return `${d < 0 ? 'Slower' : 'Faster'} than your previous assessment: ${formatRate(previous.resonanceBpm)} → ${formatRate(latest.resonanceBpm)} breaths a minute.`;
}
