/** The app's one resonance assessment, on the app's recorder, and what follows a finished one. */
import { saveAssessmentSteps } from '$lib/db';
import {
	loadAssessmentResult,
	rememberResonance,
	type AssessmentResult
} from '$lib/review/resonance';
import { practice, recorder } from './app-recorder';
import { savePacerRate } from './pacer-default';
import { ResonanceFlow } from './resonance-flow.svelte';

export const resonance = new ResonanceFlow(recorder, { saveSteps: saveAssessmentSteps });

/**
 * The result of a saved assessment. A new one (`adopt`) also becomes the pacer's default and is
 * remembered on the session, so the list of assessments never needs the beats.
 */
export async function assessmentResult(
	id: string,
	adopt: boolean
): Promise<(AssessmentResult & { adopted: boolean }) | undefined> {
	const loaded = await loadAssessmentResult(id);
	if (!loaded) return undefined;
	const best = loaded.result.bestRateBpm;
	const adopted = adopt && best !== undefined && !loaded.result.tooCloseToCall;
	await rememberResonance(loaded.session, loaded.result);
	if (adopted) practice.pattern = savePacerRate(best);
	return { ...loaded, adopted };
}
