/**
 * A session's figures as a text report, the same as the analyze command prints for a file: it
 * names the settings that produced them, so a figure read later can be reproduced.
 */
import { analysisSummary, formatReport, type HrvAnalysis } from '$lib/analysis';
import type { SessionRow } from '$lib/db';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function sessionReport(session: SessionRow, analysis: HrvAnalysis): string {
	const heading = `Settle session of ${iso(session.startedAt)} (${session.routine}, ${session.strapName}): ${analysis.n} RR intervals`;
	return formatReport(analysisSummary(analysis), heading, analysis.artifacts.warning);
}
