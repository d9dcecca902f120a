/**
 * The pacer's "follow my breathing" mode, as pure logic: which rhythm the pacer shows and where in
 * it, from the breathing the strap measures. Three modes:
 * - `lead`: the pacer leads at the rate and out-breath share set (as always);
 * - `follow`: the pacer shows the person's own breath, its rate and out/in ratio as measured, each
 *   cycle starting at the moment their last measured in-breath began;
 * - `ease`: as `follow`, but from the person's own rate and ratio the guide moves at most a small
 *   step per breath toward the rate and share set, and never runs more than a little ahead of how
 *   they actually breathe (if they do not follow, it waits for them).
 * A breath is known only once it has ended (live.ts), so the pacer's cycle is anchored at the last
 * measured breath's end (the start of the current in-breath) and runs on in the guide's rhythm
 * until the next breath is measured. Without a measurement (no accelerometer, link lost, movement,
 * no breath for a while) the pacer leads at the target and says why.
 */
import type { LiveBreathFigures } from '$lib/breath-measured/live';
import { breathsPerMinute, exhaleShare, outInRatio, patternFor, type BreathPattern } from './pacer';

export type PacerMode = 'lead' | 'follow' | 'ease';

/** At most this much change per breath toward the target: breaths a minute, out-breath share. */
export const EASE_STEP = { ratePerMin: 0.2, share: 0.01 };
/** The guide never stands further than this from the person's own measured breathing. */
export const MAX_LEAD = { ratePerMin: 0.6, share: 0.04 };
/** No breath measured for this long (and at least 2.5 breaths of the guide): it leads. */
const STALE_MIN_MS = 20_000;
/**
 * Measured again within this of losing the measurement, the easing goes on where it was (still
 * near the person); after longer, it starts again from the person's own breathing.
 */
export const RESTART_AFTER_MS = 30_000;

export interface FollowInput {
	/** Wall clock now, ms: the clock measured breaths are timed on. */
	nowMs: number;
	/** The strap's accelerometer is streaming. */
	streaming: boolean;
	measured?: LiveBreathFigures;
}

export interface PacerView {
	pattern: BreathPattern;
	/** Seconds into `pattern`'s cycle clock (breathAt's elapsedS). */
	elapsedS: number;
	/** What the pacer shows: the target set, or a rhythm taken from the measured breath. */
	source: 'target' | 'measured';
	/** In words, for the screen. */
	note?: string;
	/** Following was asked for but the pacer leads: why (said in words, announced). */
	fallback?: string;
}

interface Rhythm {
	ratePerMin: number;
	/** Out-breath share of the breath, 0.5 = even. */
	share: number;
}

const fmt = (v: number) => v.toFixed(1);

export function shareOf(ratio: number): number {
	return ratio / (1 + ratio);
}

/** `from` moved toward `to` by at most `step`. */
export function stepToward(from: number, to: number, step: number): number {
	return from + Math.max(-step, Math.min(step, to - from));
}

/** One breath's move of the easing guide: a step toward the target, kept near the person. */
export function easeStep(guide: Rhythm, own: Rhythm, target: Rhythm): Rhythm {
	const near = (v: number, ownV: number, lead: number) =>
		Math.max(ownV - lead, Math.min(ownV + lead, v));
	return {
		ratePerMin: near(
			stepToward(guide.ratePerMin, target.ratePerMin, EASE_STEP.ratePerMin),
			own.ratePerMin,
			MAX_LEAD.ratePerMin
		),
		share: near(stepToward(guide.share, target.share, EASE_STEP.share), own.share, MAX_LEAD.share)
	};
}

/** Holds the guide between calls: its rhythm, and the measured in-breath its cycle started at. */
export class FollowGuide {
	private guide?: Rhythm;
	private anchorMs?: number;
	private anchorPattern?: BreathPattern;
	/** When the measurement was lost (the pacer leading meanwhile). */
	private lostAtMs?: number;

	/**
	 * What the pacer shows now. `leadElapsedS`: the leading pacer's own clock (which a pause stops).
	 * Calling again with the same measured breath changes nothing (the guide steps once a breath).
	 */
	view(
		mode: PacerMode,
		target: BreathPattern,
		input: FollowInput,
		leadElapsedS: number
	): PacerView {
		const lead: PacerView = { pattern: target, elapsedS: leadElapsedS, source: 'target' };
		if (mode === 'lead') {
			this.reset();
			return lead;
		}
		const targetRate = breathsPerMinute(target);
		const why = this.whyNot(input, targetRate);
		if (why) {
			this.lostAtMs ??= input.nowMs;
			this.anchorMs = undefined;
			return { ...lead, fallback: `${why}: the guide leads at ${fmt(targetRate)} a minute.` };
		}
		// Measured again after a long while: the guide starts again from the person's own breathing.
		if (this.lostAtMs !== undefined && input.nowMs - this.lostAtMs > RESTART_AFTER_MS) this.reset();
		this.lostAtMs = undefined;
		const m = input.measured!;
		const last = m.last!;
		const own: Rhythm = { ratePerMin: m.ratePerMin!, share: shareOf(m.ratio!) };
		if (last.endMs !== this.anchorMs) {
			const goal: Rhythm = {
				ratePerMin: targetRate,
				share: exhaleShare(target)
			};
			this.guide = mode === 'ease' && this.guide ? easeStep(this.guide, own, goal) : own;
			this.anchorMs = last.endMs;
			this.anchorPattern = patternFor(this.guide.ratePerMin, this.guide.share);
		}
		const pattern = this.anchorPattern!;
		const elapsedS = Math.max(0, (input.nowMs - this.anchorMs!) / 1000);
		const ownText = `${fmt(own.ratePerMin)} a minute, out-breath ${fmt(m.ratio!)}× the in-breath`;
		const ratio = outInRatio(pattern);
		const note =
			mode === 'follow'
				? `Following your breathing as the strap measures it: ${ownText}.`
				: `Easing you toward ${fmt(targetRate)} a minute, out-breath ${fmt(outInRatio(target))}×: ` +
					`you breathe ${fmt(own.ratePerMin)} a minute, ${fmt(m.ratio!)}×; the guide is at ${fmt(breathsPerMinute(pattern))} a minute, ${fmt(ratio)}×. ` +
					`It began at your own breathing, moves at most ${EASE_STEP.ratePerMin} a minute each breath, and waits for you if you do not follow.`;
		return { pattern, elapsedS, source: 'measured', note };
	}

	private whyNot(input: FollowInput, targetRate: number): string | undefined {
		const m = input.measured;
		if (!input.streaming) return 'Your breathing is not being measured right now';
		if (m?.moving) return 'You moved, so your breaths are not being read';
		if (!m?.last || m.ratePerMin === undefined || m.ratio === undefined)
			return 'Measuring your breathing (a few breaths)';
		if (!(m.ratePerMin > 0 && m.ratio > 0)) return 'Your breathing could not be read';
		const staleMs = Math.max(STALE_MIN_MS, (2.5 * 60_000) / Math.min(targetRate, m.ratePerMin));
		const sinceS = (input.nowMs - m.last.endMs) / 1000;
		if (sinceS * 1000 > staleMs) return `No breath measured for ${Math.round(sinceS)} s`;
		return undefined;
	}

	private reset(): void {
		this.lostAtMs = undefined;
		this.guide = undefined;
		this.anchorMs = undefined;
		this.anchorPattern = undefined;
	}
}

/** Why following cannot be chosen with this strap, or undefined when it can. */
export function followUnavailable(
	movement: { state: string; message?: string } | undefined
): string | undefined {
	if (!movement)
		return 'Following your breathing needs a strap that measures breathing, such as the Polar H10.';
	if (movement.state === 'failed')
		return `Following your breathing needs the strap's movement sensor, which is not working: ${movement.message ?? 'it did not start'}.`;
	return undefined;
}

/**
 * What the guide does with the person's choice and this strap: a choice to follow, kept from a
 * session with a Polar H10, leads while the strap cannot measure breathing.
 */
export function guideMode(
	chosen: PacerMode,
	movement: { state: string; message?: string } | undefined
): PacerMode {
	return followUnavailable(movement) ? 'lead' : chosen;
}
