/**
 * A session's settled level and settling, read from its stored summary: what History, Compare and
 * the session page show. Apart from summary.ts, which computes summaries with the whole HRV
 * engine, so that the pages reading figures do not load the engine with it (History did: 14 KB
 * gzipped, compiled on every visit).
 */
import type { SessionSummary } from '$lib/db/schema';

export interface SettleFigures {
	settledHr?: number;
	settledLnRmssd?: number;
	hrDrop?: number;
	lnRmssdRise?: number;
	tauS?: number;
}

/**
 * A summary's settled level and settling. Summaries from before analysis version 2 (until they are
 * recomputed) hold the same two-minute windows under older names.
 */
export function settleFigures(m: SessionSummary | undefined): SettleFigures {
	if (!m) return {};
	if ((m.analysisVersion ?? 1) >= 2) {
		const { settledHr, settledLnRmssd, hrDrop, lnRmssdRise, tauS } = m;
		return { settledHr, settledLnRmssd, hrDrop, lnRmssdRise, tauS };
	}
	const diff = (a?: number, b?: number) => (a !== undefined && b !== undefined ? a - b : undefined);
	return {
		settledHr: m.settledHr ?? m.hrLast,
		settledLnRmssd: m.settledLnRmssd ?? m.lnRmssdLast,
		hrDrop: m.hrDrop ?? diff(m.hrFirst, m.hrLast),
		lnRmssdRise: m.lnRmssdRise ?? diff(m.lnRmssdLast, m.lnRmssdFirst),
		tauS: m.tauS
	};
}
