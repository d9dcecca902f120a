/**
 * `npm run profile -- /settings`: where a page's main thread goes on a first visit with 2,000
 * sessions stored: its long tasks (over 50 ms once slowed as the audit slows the CPU, 8×: over
 * 6.25 ms here) and the functions with the most self time, from Chromium's sampling profiler.
 * The audit (tests/audit/lighthouse.ts) says how a page scores; this says why.
 *
 * SESSIONS (default 2000), CPU_SLOWDOWN (default 8) and AFTER_UPDATE=1 as for the audit. Serves the
 * existing build (run `npm run build` first).
 */
import { startPreview } from '../e2e/fixtures/preview';
import { launch } from '../e2e/fixtures/browser';
import {
	SEED_ANALYSIS_VERSION,
	currentAnalysisVersion,
	practiceHistory,
	seedSessions
} from '../e2e/fixtures/seed';

const PATH = process.argv[2] ?? '/settings';
const SESSIONS = Number(process.env.SESSIONS ?? 2000);
const SLOW = Number(process.env.CPU_SLOWDOWN ?? 8);
const LIMIT_MS = 50 / SLOW;
const VERSION = process.env.AFTER_UPDATE === '1' ? SEED_ANALYSIS_VERSION : currentAnalysisVersion();

interface ProfileNode {
	id: number;
	children?: number[];
	callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
	hitCount?: number;
}

const { url, stop } = await startPreview();
const browser = await launch();
try {
	const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
	const seed = await context.newPage();
	await seed.goto(new URL('/sessions', url).href);
	await seed.getByRole('heading', { name: 'Sessions' }).waitFor();
	if (SESSIONS > 0) await seedSessions(seed, practiceHistory(SESSIONS), VERSION);
	await seed.close();

	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
	await browser.startTracing(page, {
		categories: [
			'toplevel',
			'devtools.timeline',
			'disabled-by-default-devtools.timeline',
			'v8.execute',
			'blink.user_timing'
		]
	});
	await cdp.send('Profiler.start');
	await page.goto(new URL(PATH, url).href);
	await page.waitForTimeout(6000);
	const { profile } = (await cdp.send('Profiler.stop')) as {
		profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
	};
	const trace = JSON.parse((await browser.stopTracing()).toString()) as {
		traceEvents: {
			name: string;
			ph: string;
			ts: number;
			dur?: number;
			pid: number;
			tid: number;
			args?: { name?: string; data?: { documentLoaderURL?: string } };
		}[];
	};
	// The page's main thread: where its document started loading. Not the busiest renderer: the
	// browser's own pages (the omnibox popup's chrome:// page, whose module evaluation took 80-200
	// ms) run in renderers of their own, and were once taken for the app's.
	const target = new URL(PATH, url).href;
	const start = trace.traceEvents.find(
		(e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === target
	);
	if (!start) throw new Error(`No navigation to ${target} in the trace`);
	const main = trace.traceEvents.filter(
		(e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === start.pid && e.tid === start.tid
	);
	const t0 = main[0]?.ts ?? 0;

	// The profiler's clock is the trace's: sample i was taken at startTime + the deltas up to i.
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	let clock = profile.startTime;
	const sampledAt = profile.timeDeltas.map((d) => (clock += d));
	const frame = (n: ProfileNode) =>
		`${n.callFrame.functionName || '(anonymous)'}@${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber}`;
	function stacksWithin(from: number, to: number): [string, number][] {
		const time = new Map<string, number>();
		profile.samples.forEach((id, i) => {
			if (sampledAt[i] < from || sampledAt[i] > to) return;
			const chain: string[] = [];
			for (let n: number | undefined = id; n !== undefined && chain.length < 3; n = parent.get(n))
				chain.push(frame(byId.get(n)!));
			const key = chain.join(' < ');
			time.set(key, (time.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
		});
		return [...time].sort((a, b) => b[1] - a[1]);
	}
	let blocking = 0;
	const long = main.filter((e) => (e.dur ?? 0) / 1000 > LIMIT_MS);
	console.log(
		`${PATH} with ${SESSIONS} sessions: main-thread tasks over ${LIMIT_MS.toFixed(2)} ms (block at ${SLOW}×):`
	);
	for (const e of long) {
		const ms = (e.dur ?? 0) / 1000;
		blocking += ms * SLOW - 50;
		console.log(`  at ${((e.ts - t0) / 1000).toFixed(0)} ms: ${ms.toFixed(1)} ms`);
	}
	// What the longest tasks did: the slowest events inside each (same thread, within its time).
	const same = trace.traceEvents.filter(
		(e) =>
			e.ph === 'X' &&
			e.pid === main[0]?.pid &&
			e.tid === main[0]?.tid &&
			e.name !== 'RunTask' &&
			!e.name.startsWith('ThreadController')
	);
	for (const task of [...long].sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 5)) {
		const end = task.ts + (task.dur ?? 0);
		const inner = same
			.filter((e) => e.ts >= task.ts && e.ts < end)
			.sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
			.slice(0, 4)
			.map((e) => `${e.name} ${((e.dur ?? 0) / 1000).toFixed(1)}`);
		console.log(
			`  task at ${((task.ts - t0) / 1000).toFixed(0)} ms (${((task.dur ?? 0) / 1000).toFixed(1)} ms): ${inner.join(', ')}`
		);
		// ...and the code behind it: the sampled stacks (innermost three frames) with most time.
		for (const [stack, ms] of stacksWithin(task.ts, end).slice(0, 3))
			console.log(`      ${ms.toFixed(1)} ms  ${stack}`);
	}
	console.log(
		`blocking at ${SLOW}× (sum of each task's time over 50 ms): ${blocking.toFixed(0)} ms over ${long.length} tasks`
	);

	// Self time per function.
	const self = new Map<string, number>();
	let total = 0;
	profile.samples.forEach((id, i) => {
		const node = byId.get(id)!;
		const dt = (profile.timeDeltas[i] ?? 0) / 1000;
		const { functionName, url: file, lineNumber } = node.callFrame;
		if (functionName === '(idle)' || functionName === '(program)') return;
		const key = `${functionName || '(anonymous)'} ${file.split('/').pop()}:${lineNumber + 1}:${node.callFrame.columnNumber}`;
		self.set(key, (self.get(key) ?? 0) + dt);
		total += dt;
	});
	console.log(
		`busy ${total.toFixed(0)} ms (sampled; ${(total * SLOW).toFixed(0)} ms at ${SLOW}×); most self time:`
	);
	for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30))
		console.log(`  ${v.toFixed(1).padStart(7)} ms  ${k}`);
	console.log(`(tasks over ${LIMIT_MS.toFixed(2)} ms here block at ${SLOW}×)`);
	await context.close();
} finally {
	await browser.close();
	stop();
}
