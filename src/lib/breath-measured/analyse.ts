/**
 * Breaths from the chest's movement. Between movements (and lost links), per still stretch:
 * 1. each axis high-passed at 0.04 Hz, zero-phase: gravity and the slow tilt of settling go, a
 *    4 /min breath stays (92 % of its size);
 * 2. projected on the direction the three move most together (principal axis), so whichever way
 *    the strap sits, the breath is found;
 * 3. low-passed at four times the breathing rate (found by autocorrelation), zero-phase, and its
 *    turning points found with hysteresis (a third of the typical breath's size): where each
 *    breath roughly is;
 * 4. then each turn placed by fitting the breath's shape to the barely filtered signal
 *    (shape-fit.ts): a trough starts an in-breath, the next peak starts the out-breath. Smoothing
 *    alone would move a short, sharp in-breath's peak into the long out-breath beside it.
 * Which way is "in": the tilt's sign depends on the strap. The shape fit decides where the breath
 * shows it (a pause or a recoil belongs to the out-breath); where the two halves differ only in
 * length, the shorter is taken as the in-breath (at rest the out-breath is the longer; when both
 * are about equal the ratio is 1 either way).
 */
import { BLOCK_MS, type MovementBlocks } from './blocks';
import { principalAxis } from './axis';
import { filtfilt } from './filters';
import { fitBreathShape, type BreathShape, type KnownShape, type Turn } from './shape-fit';
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
	/** The breath's shape (found in the longest stretch), for a later analysis of the same
	 * breathing. */
	shape?: BreathShape;
}

const RATE_HZ = 1000 / BLOCK_MS;
const HP = { hz: 0.04 };
const SHAPE_HP = { hz: 0.01 };
const MIN_STRETCH_S = 20;
/** 30 to 3 breaths a minute. */
const MIN_BREATH_S = 2;
const MAX_BREATH_S = 20;
const MIN_HALF_S = 0.6;
const CUTOFF = { harmonics: 4, maxHz: 1.2 };

export const breathLengthS = (b: MeasuredBreath) => (b.endMs - b.inStartMs) / 1000;
export const breathRatePerMin = (b: MeasuredBreath) => 60 / breathLengthS(b);
/** Out-breath over in-breath. */
export const breathRatio = (b: MeasuredBreath) =>
	(b.endMs - b.outStartMs) / (b.outStartMs - b.inStartMs);

/**
 * `known`: the shape an earlier analysis of the same breathing found (its choice is most of the
 * work), taken as it is; without it the shape is found anew.
 */
export function analyseBreathing(blocks: MovementBlocks, known?: BreathShape): BreathAnalysis {
	const n = blocks.activity.length;
	const movements = movementSpans(blocks);
	const usable = new Array<boolean>(n);
	for (let k = 0; k < n; k++) {
		const t = blocks.startMs + (k + 0.5) * BLOCK_MS;
		usable[k] =
			Number.isFinite(blocks.xyz[3 * k]) && !movements.some((m) => t >= m.startMs && t < m.endMs);
	}
	const stretches: [number, number][] = [];
	for (let k = 0; k < n;) {
		if (!usable[k]) {
			k++;
			continue;
		}
		let end = k;
		while (end < n && usable[end]) end++;
		if ((end - k) / RATE_HZ >= MIN_STRETCH_S) stretches.push([k, end]);
		k = end;
	}
	// The longest stretch first: the breath's shape found there is taken in the others (a person
	// breathes alike either side of a shift), which of them is "in" is found in each.
	const longestFirst = stretches.map((_, i) => i);
	longestFirst.sort((i, j) => stretchLength(stretches[j]) - stretchLength(stretches[i]));
	const signal = new Float32Array(n).fill(NaN);
	const found: MeasuredBreath[][] = new Array(stretches.length);
	let shape: BreathShape | undefined = undefined;
	for (const i of longestFirst) {
		const [from, to] = stretches[i];
		const stretch = analyseStretch(blocks, from, to, known ?? (shape && { out: shape.out }));
		signal.set(stretch.signal, from);
		found[i] = stretch.breaths;
		shape ??= stretch.shape;
	}
	const breaths = found.flat();
	return { breaths, movements, signal, startMs: blocks.startMs, shape };
}

const stretchLength = ([from, to]: [number, number]) => to - from;

function analyseStretch(
	blocks: MovementBlocks,
	from: number,
	to: number,
	known: KnownShape | undefined
): { signal: Float32Array; breaths: MeasuredBreath[]; shape?: BreathShape } {
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
	const smooth = filtfilt('low', projected, cutoff, RATE_HZ);
	const raw = shapeSignal(blocks, from, to, v);
	// Which way up: as known, or for now the shorter half as the in-breath (the fit may turn it).
	let inRises: 1 | -1 = known?.inRises ?? (inBreathIsFalling(turningPoints(smooth)) ? -1 : 1);
	const found = turningPoints(inRises > 0 ? smooth : smooth.map((x) => -x));
	const fit = fitBreathShape(
		inRises > 0 ? raw : raw.map((x) => -x),
		found,
		MIN_HALF_S * RATE_HZ,
		known
	);
	if (fit.turnedRound) inRises = inRises > 0 ? -1 : 1;
	const p = inRises > 0 ? smooth : smooth.map((x) => -x);
	const turns = fit.turns;
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
	return {
		signal: Float32Array.from(p),
		breaths,
		shape: found.length >= 3 ? { out: fit.outShape, inRises } : undefined
	};
}

/**
 * The breath's shape as the strap moved, for the shape fit: the raw blocks on the principal axis,
 * high-passed at SHAPE_HP.hz: gravity and the settling tilt go (what is left of the tilt, the
 * fitted turns' levels take up), and even a 4 /min breath keeps its shape, which 0.04 Hz bends.
 */
function shapeSignal(
	blocks: MovementBlocks,
	from: number,
	to: number,
	v: readonly number[]
): Float64Array {
	const raw = new Float64Array(to - from);
	for (let i = 0; i < raw.length; i++)
		for (let a = 0; a < 3; a++) raw[i] += v[a] * blocks.xyz[3 * (from + i) + a];
	return filtfilt('high', raw, SHAPE_HP.hz, RATE_HZ);
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
