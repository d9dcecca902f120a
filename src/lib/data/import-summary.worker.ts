/**
 * The import's analysis, off the page's thread: a day-long recording takes the analysis most of a
 * second (several on a slow phone), which on the page would freeze it. Receives a session's beats,
 * answers with its summary (computeSummary, as a recorded session gets), or the error it threw.
 */
import type { BeatSeries } from '$lib/db/beats';
import { computeSummary } from '$lib/review/summary';

export interface SummaryRequest {
	id: number;
	series: BeatSeries;
}

export type SummaryAnswer =
	{ id: number; summary: ReturnType<typeof computeSummary> } | { id: number; error: string };

const scope = self as unknown as {
	onmessage: ((e: MessageEvent<SummaryRequest>) => void) | null;
	postMessage(message: SummaryAnswer): void;
};

scope.onmessage = ({ data: { id, series } }) => {
	try {
		scope.postMessage({ id, summary: computeSummary(series) });
	} catch (err) {
		scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
	}
};
