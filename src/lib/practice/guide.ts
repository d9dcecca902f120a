/**
 * The constructive-rest script: the six steps into the position, the settle-in, the rest's cues and
 * the way back up. Words are ours; the content follows docs/constructive-rest.md.
 */
export type Drawing = 'props' | 'lie-down' | 'strap' | 'calves' | 'shoulders' | 'arms' | 'ready';

export interface SetupStep {
	title: string;
	text: string;
	drawing: Drawing;
}

export const SETUP_STEPS: readonly SetupStep[] = [
	{
		title: 'Gather your props',
		text: 'You need a belt, strap or long scarf for your thighs, and something to rest your lower legs on: a cushion stack, a chair seat or the sofa. A small folded towel for your lower back is optional.',
		drawing: 'props'
	},
	{
		title: 'Lie on your back',
		text: 'Lie down with your feet about as wide apart as your hips.',
		drawing: 'lie-down'
	},
	{
		title: 'Hold your thighs',
		text: 'Loop the strap around your thighs, just above the knees, so your legs stay together without any effort from you.',
		drawing: 'strap'
	},
	{
		title: 'Support your calves',
		text: 'Rest your calves on the cushion or chair. Your thigh bones can now drop back into the hip sockets and the front of your hips can stop holding on.',
		drawing: 'calves'
	},
	{
		title: 'Let your shoulders slide down',
		text: 'Draw your shoulder blades gently down, away from your ears. Leave your lower back in its natural curve, slightly off the floor; tuck the towel under it if that feels kinder.',
		drawing: 'shoulders'
	},
	{
		title: 'Place your arms',
		text: 'Put your arms wherever they feel easy: by your sides, or hands resting on your belly.',
		drawing: 'arms'
	},
	{
		title: 'Ready',
		text: 'Check the strap is snug on your chest. When you start, close your eyes if you like: a soft chime will tell you when the time is up.',
		drawing: 'ready'
	}
];

/** Cues shown during the rest, one at a time, changing slowly. */
export const REST_CUES: readonly string[] = [
	'Breathe into your belly. Let each out-breath be a little longer than the in-breath.',
	'With every exhale, let your weight sink into the floor.',
	'Bring your attention to your pelvis. As you breathe out, let the front of the hips soften and sink.',
	'Imagine tension draining out of your lower back and into the ground.',
	'If feelings or memories come up, notice them, and let them go with the next out-breath.',
	'Nothing to do, nothing to fix. Just let the floor hold you.'
];

export { SETTLE_IN_S } from '$lib/analysis/session';
export const CUE_EVERY_S = 45;
const COME_UP_HOW =
	'Take your time: undo the strap, roll onto your side, and come up slowly through sitting.';
export const COME_UP_TEXT = `Time is up. ${COME_UP_HOW}`;
export const STOPPED_EARLY_TEXT = `You stopped early; that is fine. ${COME_UP_HOW}`;
export const TOO_SHORT_TEXT =
	'This session lasted under a minute. It is saved, but it has no analysis: heart-rate variability needs at least a minute of beats.';

/** The rest's cue at a moment of the session (changes every CUE_EVERY_S). */
export function cueAt(elapsedS: number): string {
	const i = Math.floor(Math.max(0, elapsedS) / CUE_EVERY_S) % REST_CUES.length;
	return REST_CUES[i];
}

export const DURATION_CHOICES_MIN = [5, 10] as const;
export const MIN_MINUTES = 1;
export const MAX_MINUTES = 60;
