/**
 * Did the person breathe as the pacer asked? The one rule the resonance assessment's result and its
 * live hint share: the measured rate within 0.5 a minute of the pacer's and the out/in ratio within
 * 0.35 of the pacer's (an even breath against the pacer's 1.5× is off; the measurement's own
 * spread, about 0.1, is not).
 */
import { breathsPerMinute, outInRatio } from '$lib/analysis/breath/cycle';

export const FOLLOW_RATE_TOLERANCE = 0.5;
export const FOLLOW_RATIO_TOLERANCE = 0.35;

export interface FollowCheck {
	rateOff: boolean;
	ratioOff: boolean;
	followed: boolean;
}

export function checkFollowed(
	measured: { ratePerMin: number; ratio: number },
	pacer: { ratePerMin: number; ratio: number }
): FollowCheck {
	const rateOff = Math.abs(measured.ratePerMin - pacer.ratePerMin) > FOLLOW_RATE_TOLERANCE;
	const ratioOff = Math.abs(measured.ratio - pacer.ratio) > FOLLOW_RATIO_TOLERANCE;
	return { rateOff, ratioOff, followed: !rateOff && !ratioOff };
}

/**
 * During a paced step, in words: whether the breathing the strap measures follows the pacer.
 * Undefined in the step's first minute (the live figures, over the last minute, still hold the rest
 * before it) or while nothing
 * is measured.
 */
export function liveFollowHint(
	measured: { ratePerMin?: number; ratio?: number; moving: boolean } | undefined,
	pacer: { inhaleS: number; exhaleS: number },
	secondsIntoStep: number
): { followed: boolean; text: string } | undefined {
	if (!measured || measured.moving || secondsIntoStep < 60) return undefined;
	if (measured.ratePerMin === undefined || measured.ratio === undefined) return undefined;
	const rate = breathsPerMinute(pacer);
	const ratio = outInRatio(pacer);
	const c = checkFollowed(
		{ ratePerMin: measured.ratePerMin, ratio: measured.ratio },
		{ ratePerMin: rate, ratio }
	);
	const you = `The strap measures ${measured.ratePerMin.toFixed(1)} breaths a minute, out-breath ${measured.ratio.toFixed(1)}× the in-breath`;
	if (c.followed) return { followed: true, text: `${you}: you are following the pacer.` };
	const what = c.rateOff
		? `the pacer is at ${rate.toFixed(1)}`
		: `the pacer's out-breath is ${ratio.toFixed(1)}× the in-breath`;
	return {
		followed: false,
		text: `${you}; ${what}. Follow it gently: this rate's figures describe how you breathe.`
	};
}
