/**
 * What breathing measured by the strap costs (no target yet; figures for the README's "Measured"):
 * - live: each 2 s update of the last two minutes at 25 Hz, as the recorder runs it (samples
 *   arrive in H10-sized frames, `push` analyses when 2 s have passed), over a 10-minute session;
 * - at Stop: the whole recording analysed again (`record`), for 10, 30 and 60 minutes;
 * - stored: the breathing row's size per minute (breaths, movement marks, 5 Hz signal).
 * A synthetic chest at 6 a minute, 1:1.5, settling tilt, noise and a shift every 10 minutes.
 *
 *   npm run bench:breath
 */
import { LiveBreathing } from '../../src/lib/breath-measured/live';
import { ChestModel } from '../../src/lib/strap/demo/chest-model';
import { packBreathing } from '../../src/lib/db/breathing';
import { median } from './common';

const RATE_HZ = 25;
/** Samples a frame, as the demo strap sends them (an H10 frame every 0.48 s at 25 Hz). */
const FRAME = 12;
const T0 = 1_700_000_000_000;

/** Samples of a chest breathing at 6 a minute (4 s in, 6 s out), `minutes` long. */
function chest(minutes: number) {
	const durationS = minutes * 60;
	const model = new ChestModel({
		seed: 5,
		movements: Array.from({ length: Math.floor(minutes / 10) }, (_, i) => ({
			atS: 300 + 600 * i,
			durationS: 4,
			kind: 'shift' as const
		}))
	});
	const ease = (x: number) => 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, Math.max(0, x)));
	const n = Math.floor(durationS * RATE_HZ);
	const timeMs = new Float64Array(n);
	const xyz = new Int32Array(3 * n);
	for (let i = 0; i < n; i++) {
		const s = i / RATE_HZ;
		const phase = s % 10;
		const fill = phase < 4 ? ease(phase / 4) : 1 - ease((phase - 4) / 6);
		timeMs[i] = T0 + s * 1000;
		const v = model.sample(s, fill);
		for (let a = 0; a < 3; a++) xyz[3 * i + a] = Math.round(v[a]);
	}
	return { timeMs, xyz, n };
}

/** Feeds a recording frame by frame as the recorder does; the cost of each analysing push. */
function feed(rec: ReturnType<typeof chest>, live: LiveBreathing): number[] {
	const costs: number[] = [];
	for (let i = 0; i < rec.n; i += FRAME) {
		const to = Math.min(rec.n, i + FRAME);
		const t = rec.timeMs.subarray(i, to);
		const v = rec.xyz.subarray(3 * i, 3 * to);
		const t0 = performance.now();
		const figures = live.push(t, v, t[t.length - 1]);
		const ms = performance.now() - t0;
		if (figures) costs.push(ms);
	}
	return costs;
}

const p = (xs: number[], q: number) =>
	[...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const ms = (v: number) => `${v.toFixed(1)} ms`;

// Live: a 10-minute session; the updates once the two-minute window is full.
const ten = chest(10);
feed(chest(3), new LiveBreathing()); // warm the JIT on another recording
// Three sessions' updates pooled: a shared machine's hiccups land in the tail, not the median.
const full: number[] = [];
let live = new LiveBreathing();
for (let r = 0; r < 3; r++) {
	live = new LiveBreathing();
	const all = feed(ten, live);
	full.push(...all.slice(Math.ceil(120 / 2.4)));
}
console.log(
	`Live update (2-minute window, 25 Hz, every 2.4 s: the first 12-sample frame 2 s after the last), ` +
		`${full.length} updates of three 10-minute sessions: ` +
		`median ${ms(median(full))}, 95th percentile ${ms(p(full, 0.95))}, max ${ms(Math.max(...full))} ` +
		`(${((100 * median(full)) / 2400).toFixed(2)} % of one core)`
);
const figures = live.figures();
console.log(
	`  live reads ${figures.ratePerMin?.toFixed(2)} /min, out/in ${figures.ratio?.toFixed(2)}`
);

// At Stop: the whole recording analysed again; the feed itself is not timed.
for (const minutes of [10, 30, 60]) {
	const rec = minutes === 10 ? ten : chest(minutes);
	const runs: number[] = [];
	let bytes = 0;
	let breaths = 0;
	for (let r = 0; r < 5; r++) {
		const l = new LiveBreathing();
		// Samples only, no live analysis: the cost measured is record()'s.
		for (let i = 0; i < rec.n; i += FRAME) {
			const to = Math.min(rec.n, i + FRAME);
			l.push(rec.timeMs.subarray(i, to), rec.xyz.subarray(3 * i, 3 * to));
		}
		const t0 = performance.now();
		const record = l.record(T0, RATE_HZ)!;
		runs.push(performance.now() - t0);
		const row = packBreathing('bench', { ...record, analysisVersion: 1 });
		bytes =
			row.inStartMs.byteLength +
			row.outStartMs.byteLength +
			row.endMs.byteLength +
			row.depthMg.byteLength +
			row.xyz.byteLength +
			row.activity.byteLength +
			row.movements.length * 16;
		breaths = record.breaths.length;
	}
	console.log(
		`At Stop, ${minutes} min: median ${ms(median(runs))} (min ${ms(Math.min(...runs))}, max ${ms(Math.max(...runs))}); ` +
			`${breaths} breaths; stored ${(bytes / 1000).toFixed(1)} kB, ${Math.round(bytes / minutes)} bytes a minute`
	);
}
