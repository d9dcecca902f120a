/**
 * How History and Compare build a first answer: in steps, each a task of its own, so that no long
 * task blocks input while the page is built (StagedSessions runs these steps).
 */
import { describe, expect, it } from 'vitest';
import { inSteps } from '$lib/review/history-rows.svelte';

const nextTask = () => new Promise((r) => setTimeout(r, 0));

describe('a first answer in steps', () => {
	it('shows the rows, then the rest of the first screen a task later, then the rest once idle', async () => {
		const steps: string[] = [];
		inSteps(
			() => steps.push('rows'),
			() => steps.push('more'),
			() => steps.push('rest')
		);
		expect(steps).toEqual([]);
		await nextTask();
		expect(steps).toEqual(['rows']);
		await nextTask();
		expect(steps).toEqual(['rows', 'more']);
		await expect.poll(() => steps).toEqual(['rows', 'more', 'rest']);
	});

	it('takes no further step once cancelled (a newer answer came)', async () => {
		const steps: string[] = [];
		const cancel = inSteps(
			() => steps.push('rows'),
			() => steps.push('more'),
			() => steps.push('rest')
		);
		await nextTask();
		cancel();
		await new Promise((r) => setTimeout(r, 50));
		expect(steps).toEqual(['rows']);
	});
});
