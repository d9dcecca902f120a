/** The tags every session recorded on an experiment's day gets (kept when the self-report is saved). */
import type { Arm } from '$lib/experiment/assignment';

export const EXPERIMENT_TAG = 'experiment';
export const armTag = (arm: Arm) => (arm === 'routine' ? 'routine day' : 'rest day');
export const EXPERIMENT_TAGS: readonly string[] = [
	EXPERIMENT_TAG,
	armTag('routine'),
	armTag('rest')
];
