/**
 * The resonance assessment with the breath the strap measured (issue 30): each step's phase is taken
 * against the person's measured breath instead of the pacer's intended one, and a step the person
 * did not follow (their measured rate or out/in ratio far from the step's) gets a note, since its
 * figures describe the rate they breathed, not the step's.
 *
 * Phase against a measured breath: each beat's time is placed on its breath's cycle, the angle
 * 2π·(t − in-breath start − fill peak)/breath length, where the fill peak is the lung fill's
 * fundamental peak for that breath's own in and out lengths (breath/cycle.ts, as for the pacer's
 * breath). Heart rate is fitted as c + d·(t − t̄) + a·cos θ + b·sin θ by least squares, so breaths of
 * uneven length each keep their own timing; a heart rate peaking with the breath's fill peak reads
 * 0°, one peaking earlier reads positive (the engine's convention).
 *
 * Naming: a step the person did not follow cannot be named as their resonance rate: its swing
 * belongs to the rate they breathed. When the best step was not followed no rate is named and the
 * explanation says why; notes say which steps were not followed in every case.
 */
import type { CleanBeats } from '$lib/analysis/beat-series';
import { fillFundamentalPeakS, outInRatio } from '$lib/analysis/breath/cycle';
import {
	assessResonance,
	RESONANCE_SKIP_S,
	type ResonanceResult,
	type ResonanceStep
} from '$lib/analysis/resonance';
import { fitAtPhases, wrapDeg } from '$lib/analysis/sine-fit';
import type { MeasuredBreath } from './analyse';
import { summariseBreaths } from './summary';
import { checkFollowed } from './follow-check';

/** Measured breaths must cover this share of a step's window to speak for it. */
export const MIN_BREATH_COVERAGE = 0.6;
const MIN_BREATHS = 3;
const MIN_BEATS = 10;

type Breath = Pick<MeasuredBreath, 'inStartMs' | 'outStartMs' | 'endMs'>;

export interface StepBreathing {
	rateBpm: number;
	/** The breathing measured in the step's window (after its first 15 s), when enough was. */
	measured?: { breaths: number; ratePerMin: number; ratio: number; coverage: number };
	/** Undefined when too little was measured to tell. */
	followed?: boolean;
	/** In words: not followed, or too little measured to use. */
	note?: string;
}

export interface MeasuredResonanceResult extends ResonanceResult {
	/** Per step, in the steps' order; empty when the strap measured no breathing. */
	breathing: StepBreathing[];
	/** A rate came out best but was not followed, so it is not named (bestRateBpm is cleared). */
	withheldRateBpm?: number;
	/** Steps not followed. */
	notFollowed: number;
}

const fmt = (v: number) => v.toFixed(1);
const fmtRate = (v: number) => `${fmt(v)}/min`;

/** Breaths wholly inside the step's analysed window (after its first 15 s). */
function breathsIn(step: ResonanceStep, breaths: readonly Breath[]): Breath[] {
	const from = step.startMs + RESONANCE_SKIP_S * 1000;
	return breaths.filter((b) => b.inStartMs >= from && b.endMs <= step.endMs);
}

/** What the strap measured during a step, and whether the person followed the pacer. */
export function stepBreathing(step: ResonanceStep, breaths: readonly Breath[]): StepBreathing {
	const inside = breathsIn(step, breaths);
	const windowMs = step.endMs - step.startMs - RESONANCE_SKIP_S * 1000;
	const s = summariseBreaths(inside.map((b) => ({ ...b, depthMg: 0 })));
	const coveredMs = inside.reduce((sum, b) => sum + b.endMs - b.inStartMs, 0);
	const coverage = windowMs > 0 ? coveredMs / windowMs : 0;
	const base = { rateBpm: step.rateBpm };
	if (inside.length < MIN_BREATHS || coverage < MIN_BREATH_COVERAGE || !Number.isFinite(s.ratio))
		return {
			...base,
			note: `The strap measured ${inside.length} breath${inside.length === 1 ? '' : 's'} in this step (${Math.round(100 * coverage)} % of it): its phase uses the pacer's breath, and whether you followed it is not known.`
		};
	const measured = { breaths: inside.length, ratePerMin: s.ratePerMin, ratio: s.ratio, coverage };
	const aimRatio = outInRatio(step);
	const { rateOff, ratioOff, followed } = checkFollowed(s, {
		ratePerMin: step.rateBpm,
		ratio: aimRatio
	});
	if (followed) return { ...base, measured, followed: true };
	const parts = [
		rateOff
			? `you breathed at ${fmt(s.ratePerMin)} a minute in this ${fmt(step.rateBpm)} step: its figures describe ${fmt(s.ratePerMin)}`
			: undefined,
		ratioOff
			? `your out-breath was ${fmt(s.ratio)}× the in-breath where the pacer's was ${fmt(aimRatio)}×`
			: undefined
	].filter(Boolean);
	const note = parts.join('; ');
	return {
		...base,
		measured,
		followed: false,
		note: note.charAt(0).toUpperCase() + note.slice(1) + '.'
	};
}

/**
 * Phase (degrees, positive = heart rate peaks first) of heart rate against the measured breaths,
 * from the beats inside them; undefined with fewer than 3 breaths or 10 beats inside.
 */
export function phaseAgainstBreaths(
	breaths: readonly Breath[],
	beats: Pick<CleanBeats, 'midMs' | 'hrBpm'>
): number | undefined {
	const t: number[] = [];
	const th: number[] = [];
	const y: number[] = [];
	let used = 0;
	let j = 0;
	const { midMs, hrBpm } = beats;
	for (const b of breaths) {
		const len = b.endMs - b.inStartMs;
		if (!(len > 0 && b.outStartMs > b.inStartMs && b.outStartMs < b.endMs)) continue;
		const peakMs =
			1000 *
			fillFundamentalPeakS({
				inhaleS: (b.outStartMs - b.inStartMs) / 1000,
				exhaleS: (b.endMs - b.outStartMs) / 1000
			});
		while (j < midMs.length && midMs[j] < b.inStartMs) j++;
		let any = false;
		for (let i = j; i < midMs.length && midMs[i] < b.endMs; i++) {
			t.push(midMs[i] / 1000);
			th.push((2 * Math.PI * (midMs[i] - b.inStartMs - peakMs)) / len);
			y.push(hrBpm[i]);
			any = true;
		}
		if (any) used++;
	}
	if (used < MIN_BREATHS || y.length < MIN_BEATS) return undefined;
	const fit = fitAtPhases(t, th, y);
	if (!fit) return undefined;
	// HR ∝ cos(θ − φ) with φ = atan2(b, a): heart rate peaks φ after the fill peak.
	const phi = Math.atan2(fit.b, fit.a);
	return wrapDeg((-phi * 180) / Math.PI);
}

/**
 * The assessment with the breath the strap measured, when it did (breath times in ms since the
 * session start, as the beats): phases against it, a note for each step not followed, and no rate
 * named when the best step was not followed. Without breaths: the plain assessment.
 */
export function assessWithMeasuredBreath(
	rrMs: ArrayLike<number>,
	timeMs: ArrayLike<number>,
	steps: readonly ResonanceStep[],
	breaths?: readonly Breath[]
): MeasuredResonanceResult {
	if (!breaths || breaths.length === 0)
		return { ...assessResonance(rrMs, timeMs, steps), breathing: [], notFollowed: 0 };
	const breathing = steps.map((s) => stepBreathing(s, breaths));
	const phaseAgainst = (step: ResonanceStep, beats: CleanBeats) => {
		const i = steps.indexOf(step);
		if (!breathing[i]?.measured) return undefined;
		return phaseAgainstBreaths(breathsIn(step, breaths), beats);
	};
	const result = assessResonance(rrMs, timeMs, steps, phaseAgainst);
	const unfollowed = breathing.filter((b) => b.followed === false);
	const notFollowed = unfollowed.length;
	const measuredPhases = result.steps.filter((s) => s.phaseFrom === 'measured').length;
	const phaseText = measuredPhases
		? ` The phase of ${measuredPhases === steps.length ? 'every step' : `${measuredPhases} of ${steps.length} steps`} is against your breath as the strap measured it, not the pacer's.`
		: '';
	const best = result.bestRateBpm;
	const bestBreath = breathing.find((b) => b.rateBpm === best);
	if (best !== undefined && !result.tooCloseToCall && bestBreath?.followed === false) {
		const m = bestBreath.measured!;
		return {
			...result,
			bestRateBpm: undefined,
			withheldRateBpm: best,
			breathing,
			notFollowed,
			explanation:
				`No rate is named: ${fmtRate(best)} came out best, but you breathed at ${fmt(m.ratePerMin)} a minute (out-breath ${fmt(m.ratio)}× the in-breath) in that step, so its figures describe how you breathed, not ${fmtRate(best)}. ` +
				`Repeat the assessment and follow the pacer at each rate. (The figures alone: ${result.explanation})${phaseText}`
		};
	}
	const tieUnfollowed = result.tooCloseToCall
		? unfollowed.filter((b) => result.tieRatesBpm?.includes(b.rateBpm))
		: [];
	const unfollowedText = notFollowed
		? ` You did not follow the pacer at ${unfollowed.map((b) => `${fmtRate(b.rateBpm)} (you breathed ${fmt(b.measured!.ratePerMin)} a minute)`).join(', ')}: those steps' figures describe how you breathed.${tieUnfollowed.length ? ' That includes rates in the tie.' : ''}`
		: '';
	return {
		...result,
		breathing,
		notFollowed,
		explanation: `${result.explanation}${unfollowedText}${phaseText}`
	};
}
