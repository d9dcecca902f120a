/**
 * Whether any experiment is stored: the Practise page fetches the experiment's code only then, so
 * someone who never plans one never downloads it (and the page's budget stays as it was).
 */
import { getDb } from '$lib/db/db';

export async function anyExperiment(): Promise<boolean> {
	return (await (await getDb()).experiments.count()) > 0;
}
