/**
 * Breaths from the chest's movement. Between movements (and lost links), per still stretch:
 * 1. each axis high-passed at 0.04 Hz, zero-phase: gravity and the slow tilt of settling go, a
 *    4 /min breath stays (92 % of its size);
 * 2. projected on the direction the three move most together (principal axis), so whichever way
 *    the strap sits, the breath is found;
 * 3. low-passed at four times the breathing rate (found by autocorrelation), zero-phase, so the
 *    turning points keep their times and an uneven breath its shape;
 * 4. turning points with hysteresis (a third of the typical breath's size), refined between
 *    blocks by a parabola: a trough starts an in-breath, the next peak starts the out-breath.
 * Which way is "in": the tilt's sign depends on the strap, so the shorter of the two half-breaths
 * is taken as the in-breath (at rest the out-breath is the longer; when both are about equal the
 * ratio is 1 either way, and only the labels of the two halves could be swapped).
 */
import { BLOCK_MS, type MovementBlocks } from './blocks';
import { principalAxis } from './axis';
import { filtfilt } from './filters';
import { movementSpans, type MovementSpan } from './movement-marks';

export interface MeasuredBreath {
	/** Wall-clock ms: in-breath starts, out-breath starts, breath ends (next in-breath). */
	inStartMs: number;
	outStartMs: number;
	endMs: number;
	/** Peak-to-trough size on the breathing axis, mG. */
	depthMg: number;
}

export interface BreathAnalysis {
	breaths: MeasuredBreath[];
	movements: MovementSpan[];
	/** The breathing signal per block, in-breath upwards (mG); NaN where none was measured. */
	signal: Float32Array;
	startMs: number;
}

const RATE_HZ = 1000 / BLOCK_MS;
const HP = { hz: 0.04 };
const MIN_STRETCH_S = 20;
/** 30 to 3 breaths a minute. */
const MIN_BREATH_S = 2;
const MAX_BREATH_S = 20;
const MIN_HALF_S = 0.6;
const CUTOFF = { harmonics: 4, maxHz: 1.2 };
const FINE_CUTOFF_HZ = 1.6;
/** The turning-point fit: up to 3 s and half of each neighbouring half-breath, t0 within ±0.8 s. */
const FIT = { maxBlocks: 15, share: 0.5, search: 4 };

export const breathLengthS = (b: MeasuredBreath) => (b.endMs - b.inStartMs) / 1000;
export const breathRatePerMin = (b: MeasuredBreath) => 60 / breathLengthS(b);
/** Out-breath over in-breath. */
export const breathRatio = (b: MeasuredBreath) =>
	(b.endMs - b.outStartMs) / (b.outStartMs - b.inStartMs);

export function analyseBreathing(blocks: MovementBlocks): BreathAnalysis {
	const n = blocks.activity.length;
	const movements = movementSpans(blocks);
	const usable = new Array<boolean>(n);
	for (let k = 0; k < n; k++) {
		const t = blocks.startMs + (k + 0.5) * BLOCK_MS;
		usable[k] =
			Number.isFinite(blocks.xyz[3 * k]) && !movements.some((m) => t >= m.startMs && t < m.endMs);
	}
	const signal = new Float32Array(n).fill(NaN);
	const breaths: MeasuredBreath[] = [];
	for (let k = 0; k < n;) {
		if (!usable[k]) {
			k++;
			continue;
		}
		let end = k;
		while (end < n && usable[end]) end++;
		if ((end - k) / RATE_HZ >= MIN_STRETCH_S) {
			const stretch = analyseStretch(blocks, k, end);
			signal.set(stretch.signal, k);
			breaths.push(...stretch.breaths);
		}
		k = end;
	}
	return { breaths, movements, signal, startMs: blocks.startMs };
}

function analyseStretch(
	blocks: MovementBlocks,
	from: number,
	to: number
): { signal: Float32Array; breaths: MeasuredBreath[] } {
	const len = to - from;
	const axes = [0, 1, 2].map((a) => {
		const x = new Float64Array(len);
		for (let i = 0; i < len; i++) x[i] = blocks.xyz[3 * (from + i) + a];
		return filtfilt('high', x, HP.hz, RATE_HZ);
	}) as [Float64Array, Float64Array, Float64Array];
	// The principal axis of the breathing band only: the heartbeat's jolt and noise left out.
	const banded = axes.map((x) => filtfilt('low', x, 0.7, RATE_HZ)) as typeof axes;
	const v = principalAxis(banded);
	const projected = new Float64Array(len);
	for (let i = 0; i < len; i++)
		projected[i] = v[0] * axes[0][i] + v[1] * axes[1][i] + v[2] * axes[2][i];
	const f0 = breathingFrequency(filtfilt('low', projected, 0.7, RATE_HZ));
	const cutoff = Math.min(CUTOFF.maxHz, Math.max(0.35, CUTOFF.harmonics * f0));
	let p = filtfilt('low', projected, cutoff, RATE_HZ);
	// Barely smoothed: the turning points' times are fitted on it (the smoothing above would pull
	// them toward the longer half of the breath).
	let fine = filtfilt('low', projected, FINE_CUTOFF_HZ, RATE_HZ);
	let turns = turningPoints(p);
	if (inBreathIsFalling(turns)) {
		p = p.map((x) => -x);
		fine = fine.map((x) => -x);
		turns = turningPoints(p);
	}
	turns = turns.map((t, j) => fitTurn(fine, t, turns[j - 1], turns[j + 1]));
	const at = (i: number) => blocks.startMs + (from + i + 0.5) * BLOCK_MS;
	const breaths: MeasuredBreath[] = [];
	for (let j = 0; j + 2 < turns.length; j++) {
		const [a, b, c] = [turns[j], turns[j + 1], turns[j + 2]];
		if (a.kind !== 'trough' || b.kind !== 'peak' || c.kind !== 'trough') continue;
		const inS = (b.index - a.index) / RATE_HZ;
		const outS = (c.index - b.index) / RATE_HZ;
		const total = inS + outS;
		if (total < MIN_BREATH_S || total > MAX_BREATH_S || inS < MIN_HALF_S || outS < MIN_HALF_S)
			continue;
		breaths.push({
			inStartMs: at(a.index),
			outStartMs: at(b.index),
			endMs: at(c.index),
			depthMg: b.value - (a.value + c.value) / 2
		});
	}
	return { signal: Float32Array.from(p), breaths };
}

/** The breathing rate's frequency (Hz), from the first autocorrelation peak between 3 and 30 /min. */
function breathingFrequency(x: Float64Array): number {
	const minLag = Math.round(MIN_BREATH_S * RATE_HZ);
	const maxLag = Math.min(Math.round(MAX_BREATH_S * RATE_HZ), x.length - 1);
	const r = (lag: number) => {
		let s = 0;
		for (let i = lag; i < x.length; i++) s += x[i] * x[i - lag];
		return s / (x.length - lag);
	};
	let r0 = 0;
	for (const v of x) r0 += v * v;
	r0 /= x.length || 1;
	const rs: number[] = [];
	for (let lag = 0; lag <= maxLag; lag++) rs.push(lag < minLag ? 0 : r(lag));
	let best = -1;
	for (let lag = minLag + 1; lag < maxLag; lag++) {
		// The first clear local maximum (over half the zero-lag power), not merely the largest.
		if (rs[lag] >= rs[lag - 1] && rs[lag] >= rs[lag + 1] && rs[lag] > 0.3 * r0) {
			best = lag;
			break;
		}
	}
	if (best < 0) return 0.1;
	return RATE_HZ / best;
}

interface Turn {
	kind: 'peak' | 'trough';
	/** Fractional block index (refined by a parabola through the neighbours). */
	index: number;
	value: number;
}

function turningPoints(p: Float64Array): Turn[] {
	if (p.length < 3) return [];
	const sorted = Array.from(p).sort((a, b) => a - b);
	const q = (f: number) => sorted[Math.floor(f * (sorted.length - 1))];
	const hysteresis = (q(0.95) - q(0.05)) / 3;
	const turns: Turn[] = [];
	let looking: 'peak' | 'trough' | undefined;
	let maxI = 0,
		minI = 0;
	for (let i = 1; i < p.length; i++) {
		if (p[i] > p[maxI]) maxI = i;
		if (p[i] < p[minI]) minI = i;
		if (looking !== 'trough' && p[maxI] - p[i] > hysteresis && maxI > 0) {
			turns.push(refine(p, maxI, 'peak'));
			looking = 'trough';
			minI = i;
		} else if (looking !== 'peak' && p[i] - p[minI] > hysteresis && minI > 0) {
			turns.push(refine(p, minI, 'trough'));
			looking = 'peak';
			maxI = i;
		}
	}
	return turns;
}

function refine(p: Float64Array, i: number, kind: Turn['kind']): Turn {
	if (i <= 0 || i >= p.length - 1) return { kind, index: i, value: p[i] };
	const [a, b, c] = [p[i - 1], p[i], p[i + 1]];
	const denom = a - 2 * b + c;
	const shift = denom === 0 ? 0 : Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denom));
	return { kind, index: i + shift, value: b - 0.25 * (a - c) * shift };
}

/**
 * A turning point's time by least squares: two half-parabolas meeting at t0 with their own
 * curvatures (a breath turns sharply at the end of a short half and slowly into a long one), t0
 * searched in 0.05-block steps around the detected point, over up to a third of each neighbouring
 * half-breath. A single parabola's vertex would be pulled toward the longer half.
 */
function fitTurn(p: Float64Array, t: Turn, before?: Turn, after?: Turn): Turn {
	const i = Math.round(t.index);
	const left = Math.max(
		3,
		Math.min(FIT.maxBlocks, Math.floor((before ? i - before.index : 8) * FIT.share))
	);
	const right = Math.max(
		3,
		Math.min(FIT.maxBlocks, Math.floor((after ? after.index - i : 8) * FIT.share))
	);
	const lo = Math.max(0, i - left);
	const hi = Math.min(p.length - 1, i + right);
	if (hi - lo < 4) return t;
	let best = { err: Infinity, t0: t.index, value: t.value };
	const tryAt = (t0: number) => {
		// Normal equations for y = b + L·a² (before t0) + R·a² (after), a = j − t0.
		let n = 0,
			sa = 0,
			sb = 0,
			saa = 0,
			sbb = 0,
			sy = 0,
			say = 0,
			sby = 0;
		for (let j = lo; j <= hi; j++) {
			const d = (j - t0) ** 2;
			const a = j < t0 ? d : 0;
			const b = j < t0 ? 0 : d;
			n++;
			sa += a;
			sb += b;
			saa += a * a;
			sbb += b * b;
			sy += p[j];
			say += a * p[j];
			sby += b * p[j];
		}
		const coef = solve3(
			[
				[n, sa, sb],
				[sa, saa, 0],
				[sb, 0, sbb]
			],
			[sy, say, sby]
		);
		if (!coef) return;
		let err = 0;
		for (let j = lo; j <= hi; j++) {
			const d = (j - t0) ** 2;
			const fit = coef[0] + (j < t0 ? coef[1] * d : coef[2] * d);
			err += (p[j] - fit) ** 2;
		}
		if (err < best.err) best = { err, t0, value: coef[0] };
	};
	// Coarse steps of a quarter block, then twentieths around the best.
	for (let t0 = i - FIT.search; t0 <= i + FIT.search; t0 += 0.25) tryAt(t0);
	const coarse = best.t0;
	for (let t0 = coarse - 0.2; t0 <= coarse + 0.2; t0 += 0.05) tryAt(t0);
	return { kind: t.kind, index: best.t0, value: best.value };
}

function solve3(m: number[][], v: number[]): number[] | undefined {
	const det = (a: number[][]) =>
		a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
		a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
		a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
	const d = det(m);
	if (Math.abs(d) < 1e-12) return undefined;
	return [0, 1, 2].map((c) => det(m.map((row, r) => row.map((x, k) => (k === c ? v[r] : x)))) / d);
}

/** True when rises (trough → peak) last longer than falls: the in-breath is the falling half. */
function inBreathIsFalling(turns: Turn[]): boolean {
	const rises: number[] = [];
	const falls: number[] = [];
	for (let j = 1; j < turns.length; j++) {
		const d = turns[j].index - turns[j - 1].index;
		(turns[j].kind === 'peak' ? rises : falls).push(d);
	}
	if (rises.length < 2 || falls.length < 2) return false;
	const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
	return med(rises) > med(falls);
}
