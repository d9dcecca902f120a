import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createSession, finishSession, useDatabase } from '$lib/db';
import { SettleDB } from '$lib/db/schema';
import { ANALYSIS_VERSION } from '$lib/review/analysis-version';

const engine = vi.hoisted(() => ({ loaded: 0, ran: 0 }));
vi.mock('$lib/review/reanalyze', () => {
	engine.loaded++;
	return {
		reanalyzeStaleSessions: async () => {
			engine.ran++;
			return 0;
		}
	};
});
const { BackgroundReanalysis } = await import('$lib/review/background-reanalysis.svelte');

let n = 0;
beforeEach(() => {
	useDatabase(new SettleDB(`background-${n++}`));
	engine.loaded = 0;
	engine.ran = 0;
});

async function session(analysisVersion: number) {
	const s = await createSession({ source: 'demo', strapName: 'Demo', startedAt: 1000 + n });
	await finishSession(s.id, { summary: { meanHr: 60, analysisVersion } });
}

const settled = () => new Promise((r) => setTimeout(r, 200));

describe('the background re-analysis at start-up', () => {
	it('loads no engine when every summary is current (a long task on a slow phone)', async () => {
		await session(ANALYSIS_VERSION);
		new BackgroundReanalysis().start(() => false, 0);
		await settled();
		expect(engine.loaded).toBe(0);
		expect(engine.ran).toBe(0);
	});

	it('loads it and re-analyses when a summary is stale', async () => {
		await session(ANALYSIS_VERSION);
		await session(ANALYSIS_VERSION - 1);
		new BackgroundReanalysis().start(() => false, 0);
		await settled();
		expect(engine.ran).toBe(1);
	});
});
