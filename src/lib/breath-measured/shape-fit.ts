/**
 * The breaths' turning points placed by fitting the breath's shape to the barely filtered signal,
 * not read off a smoothed one. Smoothing spreads a short, sharp in-breath into the long out-breath
 * beside it, so a peak read off a smoothed signal comes late and the in-breath reads long (at
 * 20 /min with the out-breath 2.5 times the in-breath the ratio read 0.38 low). A fit of the
 * breath's own shape has no such pull: noise and the heartbeat's jolt, being zero-mean, average out.
 *
 * The shape: between turning points the chest moves monotonically. The in-breath fills along a
 * half cosine, (1 − cos πx)/2 of the way at x of the in-breath gone: slow, fast, slow. The
 * out-breath empties the same way, with or without a pause before the next in-breath, or, when
 * a person lets the breath go, as a passive recoil, fast at first and tailing off; the shape that
 * fits a stretch best is taken (OUT_SHAPES). A pause belongs to the out-breath. Each block is the
 * mean of its samples, so the model's mean over the block is compared, in closed form. Each
 * turning point is moved in turn, its level solved with it by least squares and its
 * neighbours held, until the turns stop moving.
 */

export interface Turn {
	kind: 'peak' | 'trough';
	/** Fractional block index (block k's samples span k − ½ to k + ½). */
	index: number;
	value: number;
}

/**
 * How an out-breath empties: 'eased' as the in-breath fills, then still for the last `pause` of
 * it; or 'recoil', a passive out-breath, (1 − e^(−κx))/(1 − e^(−κ)): a larger κ, a faster recoil
 * and a longer near-rest before the next in-breath.
 */
export type OutShape = { kind: 'eased'; pause: number } | { kind: 'recoil'; kappa: number };

/** A breathing's shape as a fit found it: how it empties, and which way up the in-breath shows. */
export interface BreathShape {
	out: OutShape;
	/** +1 when the in-breath rises on the (sign-fixed) principal axis, −1 when it falls. */
	inRises: 1 | -1;
}

const eased = (pause: number): OutShape => ({ kind: 'eased', pause });
const recoil = (kappa: number): OutShape => ({ kind: 'recoil', kappa });
/** Pauses of up to half the out-breath; recoils from slow to fast, in steps of 1.5×. */
const OUT_SHAPES: readonly OutShape[] = [
	...[0, 0.1, 0.2, 0.3, 0.4, 0.5].map(eased),
	...[2, 3, 4.5, 6.75, 10].map(recoil)
];
/** Which way up the breath is, is told by these alone (an even, a paused and a recoiling one). */
const PROBES = [OUT_SHAPES[0], OUT_SHAPES[3], OUT_SHAPES[8]];
/** The shape is chosen on up to this many turns from the middle of a stretch. */
const CHOOSE_ON_TURNS = 24;
/** The other way up is taken only when its residual is this share smaller. */
const TURN_ROUND_MARGIN = 0.05;

const MAX_ROUNDS = 10;
const TABLE_STEPS = 1024;
/** Rounds stop once no turn moved more than this (blocks). */
const SETTLED = 0.05;
/** The search's first step in the first round and in later ones (blocks). */
const WIDE = 1;
const LOCAL = 0.25;
/**
 * A turn never moves further from where it was found than this share of the breath around it
 * (at least MIN_MOVE blocks): a pause puts the smoothed signal's turn in its middle, up to a
 * quarter of a breath from where the next in-breath starts.
 */
const MAX_MOVE_SHARE = 0.25;
const MIN_MOVE = 5;

/** ∫₀ˣ of the half cosine's progress (0 before it starts, 1 after it ends). */
const easedIntegral = (x: number) =>
	x <= 0 ? 0 : x >= 1 ? x - 0.5 : x / 2 - Math.sin(Math.PI * x) / (2 * Math.PI);

/**
 * ∫₀ˣ of a half-breath's progress, so a block's mean is exact however the block falls across a
 * turn: from its closed form, tabulated (the fit asks for it millions of times in an hour).
 */
function progressIntegral(shape: OutShape): (x: number) => number {
	let exact: (x: number) => number;
	if (shape.kind === 'eased') {
		const moving = 1 - shape.pause;
		exact = (x) => moving * easedIntegral(x / moving);
	} else {
		const k = shape.kappa;
		const norm = 1 - Math.exp(-k);
		exact = (x) => (x - (1 - Math.exp(-k * x)) / k) / norm;
	}
	const table = new Float64Array(TABLE_STEPS + 1);
	for (let i = 0; i <= TABLE_STEPS; i++) table[i] = exact(i / TABLE_STEPS);
	const atEnd = table[TABLE_STEPS];
	return (x) => {
		if (x <= 0) return 0;
		if (x >= 1) return atEnd + x - 1;
		const f = x * TABLE_STEPS;
		const i = Math.floor(f);
		return table[i] + (f - i) * (table[i + 1] - table[i]);
	};
}

const integrals = new Map<string, (x: number) => number>();
const integralOf = (shape: OutShape) => {
	const key = shape.kind === 'eased' ? `eased ${shape.pause}` : `recoil ${shape.kappa}`;
	let f = integrals.get(key);
	if (!f) integrals.set(key, (f = progressIntegral(shape)));
	return f;
};
const IN_SHAPE: OutShape = { kind: 'eased', pause: 0 };

export interface ShapeFit {
	turns: Turn[];
	/** True when the fit found the breath the other way up: what was taken as in was out. */
	turnedRound?: boolean;
	/** The out-breath's shape taken (an entry of OUT_SHAPES). */
	outShape: OutShape;
	/** Sum of squared residuals between the first and last turn. */
	residual: number;
}

/**
 * What an earlier fit of the same breathing found, so it need not be found again: its out-breath,
 * and, when the strap has not moved since (the same axis), which way up the in-breath shows.
 */
export type KnownShape = Pick<BreathShape, 'out'> & Partial<Pick<BreathShape, 'inRises'>>;

/**
 * Chooses the out-breath's shape, and which way up the breath is, by what fits the middle of the
 * stretch best (the probes both ways up, then every shape the better way), then fits every turn
 * with them. The way up given (the shorter half as the in-breath) is kept unless the other fits
 * clearly better: a breath whose halves differ only in length fits equally well both ways.
 * With `known`, its shape is taken, and only the way up is chosen, unless that is known too (the
 * signal is then given that way up).
 */
export function fitBreathShape(
	signal: Float64Array,
	initial: readonly Turn[],
	minHalfBlocks: number,
	known?: KnownShape
): ShapeFit {
	if (known?.inRises) return fitWithShape(signal, initial, minHalfBlocks, known.out);
	const from = Math.max(0, Math.floor((initial.length - CHOOSE_ON_TURNS) / 2));
	const middle = initial.slice(from, from + CHOOSE_ON_TURNS);
	const flipped = signal.map((x) => -x);
	const ways = [false, true].map((turnedRound) => ({
		y: turnedRound ? flipped : signal,
		middle: turnedRound ? turnRound(middle) : middle,
		turnedRound,
		tried: new Map<OutShape, number>()
	}));
	const residualOf = (way: (typeof ways)[number], shape: OutShape) => {
		let r = way.tried.get(shape);
		if (r === undefined) {
			r = fitWithShape(way.y, way.middle, minHalfBlocks, shape).residual;
			way.tried.set(shape, r);
		}
		return r;
	};
	const probes = known ? [known.out] : PROBES;
	const least = (way: (typeof ways)[number]) =>
		Math.min(...probes.map((shape) => residualOf(way, shape)));
	const way = least(ways[1]) < (1 - TURN_ROUND_MARGIN) * least(ways[0]) ? ways[1] : ways[0];
	let chosen = known?.out ?? OUT_SHAPES[0];
	if (!known)
		for (const shape of OUT_SHAPES)
			if (residualOf(way, shape) < residualOf(way, chosen)) chosen = shape;
	const fit = fitWithShape(
		way.y,
		way.turnedRound ? turnRound(initial) : initial,
		minHalfBlocks,
		chosen
	);
	return way.turnedRound ? { ...fit, turnedRound: true } : fit;
}

/**
 * A stretch's first and last turn have a half-breath on one side only. On the other, the breath is
 * taken to go on as it did: a turn of the other kind, as far off and as high as the nearest one.
 */
const before = (t: readonly Turn[]): Turn => ({
	...t[1],
	index: t[0].index - (t[2].index - t[1].index)
});
const after = (t: readonly Turn[]): Turn => ({
	...t[t.length - 2],
	index: t[t.length - 1].index + (t[t.length - 2].index - t[t.length - 3].index)
});

const turnRound = (turns: readonly Turn[]): Turn[] =>
	turns.map((t) => ({
		kind: t.kind === 'peak' ? 'trough' : 'peak',
		index: t.index,
		value: -t.value
	}));

function fitWithShape(
	signal: Float64Array,
	initial: readonly Turn[],
	minHalfBlocks: number,
	outShape: OutShape
): ShapeFit {
	let turns = initial.map((t) => ({ ...t }));
	const shapes = { in: integralOf(IN_SHAPE), out: integralOf(outShape) };
	if (turns.length >= 3)
		for (let round = 0; round < MAX_ROUNDS; round++) {
			let moved = 0;
			const ext = [before(turns), ...turns, after(turns)];
			for (let k = 1; k + 1 < ext.length; k++) {
				const was = ext[k].index;
				moveTurn(signal, ext, k, initial[k - 1].index, minHalfBlocks, round === 0, shapes);
				moved = Math.max(moved, Math.abs(ext[k].index - was));
			}
			turns = ext.slice(1, -1);
			if (moved < SETTLED) break;
		}
	return { turns, outShape, residual: residual(signal, turns, shapes) };
}

type Shapes = { in: (x: number) => number; out: (x: number) => number };

/**
 * The half-breath's mean progress over [x1, x2] (inside it or past its end), from turn a to the
 * turn at bIndex: the model there is a's level × (1 − mean) + b's level × mean.
 */
function meanProgress(x1: number, x2: number, a: Turn, bIndex: number, shapes: Shapes): number {
	const integral = a.kind === 'trough' ? shapes.in : shapes.out;
	const len = Math.max(bIndex - a.index, 1e-6);
	const u1 = (x1 - a.index) / len;
	const u2 = (x2 - a.index) / len;
	return u2 > u1 ? (integral(u2) - integral(u1)) / (u2 - u1) : 0;
}

/**
 * The best time for turn k with its neighbours held. For each candidate time the model over the
 * two half-breaths either side is linear in the turn's level, which therefore comes in closed form.
 */
function moveTurn(
	y: Float64Array,
	turns: Turn[],
	k: number,
	found: number,
	minHalf: number,
	wide: boolean,
	shapes: Shapes
): void {
	const prev = turns[k - 1];
	const next = turns[k + 1];
	const kind = turns[k].kind;
	const lo = Math.max(0, Math.ceil(prev.index + 0.5));
	const hi = Math.min(y.length - 1, Math.floor(next.index - 0.5));
	const reach = Math.max(MIN_MOVE, MAX_MOVE_SHARE * (next.index - prev.index));
	const minT = Math.max(prev.index + minHalf, found - reach);
	const maxT = Math.min(next.index - minHalf, found + reach);
	if (maxT <= minT || hi - lo < 3) return;
	// The level that goes with the last time tried (closed form, see above).
	let fitted = turns[k].value;
	const inFirst = kind === 'peak';
	const leftShape = inFirst ? shapes.in : shapes.out;
	const rightShape = inFirst ? shapes.out : shapes.in;
	const errAt = (t0: number): number => {
		if (t0 < minT || t0 > maxT) return Infinity;
		const leftLen = Math.max(t0 - prev.index, 1e-6);
		const rightLen = Math.max(next.index - t0, 1e-6);
		let sww = 0,
			swr = 0,
			srr = 0;
		// Each progress integral at a block's edge is also the next block's: kept, not asked again.
		let leftAt = NaN;
		let rightAt = NaN;
		for (let j = lo; j <= hi; j++) {
			const x1 = j - 0.5;
			const x2 = j + 0.5;
			// The block's mean model, a + w·level: the part before t0 on the half-breath from the
			// previous turn, the part after on the half-breath to the next.
			let a = 0,
				w = 0;
			if (x2 <= t0) {
				if (Number.isNaN(leftAt)) leftAt = leftShape((x1 - prev.index) / leftLen);
				const end = leftShape((x2 - prev.index) / leftLen);
				const mean = (end - leftAt) * leftLen;
				leftAt = end;
				a = (1 - mean) * prev.value;
				w = mean;
			} else if (x1 >= t0) {
				if (Number.isNaN(rightAt)) rightAt = rightShape((x1 - t0) / rightLen);
				const end = rightShape((x2 - t0) / rightLen);
				const mean = (end - rightAt) * rightLen;
				rightAt = end;
				a = mean * next.value;
				w = 1 - mean;
			} else {
				// The block holds the turn: each share with its own half-breath's mean.
				const inLeft = meanProgress(x1, t0, prev, t0, shapes);
				a += (t0 - x1) * (1 - inLeft) * prev.value;
				w += (t0 - x1) * inLeft;
				const inRight = meanProgress(t0, x2, { kind, index: t0, value: 0 }, next.index, shapes);
				a += (x2 - t0) * inRight * next.value;
				w += (x2 - t0) * (1 - inRight);
				rightAt = rightShape((x2 - t0) / rightLen);
			}
			const r = y[j] - a;
			sww += w * w;
			swr += w * r;
			srr += r * r;
		}
		if (sww === 0) return Infinity;
		fitted = swr / sww;
		return srr - fitted * swr;
	};
	let bestT = Math.min(maxT, Math.max(minT, turns[k].index));
	let bestErr = errAt(bestT);
	let bestValue = fitted;
	const tryAt = (t0: number): number => {
		const err = errAt(t0);
		if (err < bestErr) [bestT, bestErr, bestValue] = [t0, err, fitted];
		return err;
	};
	// Downhill with a halving step (long strides at first: a pause can hide a turn a second
	// away), then one parabola through the last three points.
	for (let step = wide ? WIDE : LOCAL; ;) {
		const from = bestErr;
		const t = bestT;
		const left = tryAt(t - step);
		const right = tryAt(t + step);
		if (bestErr < from) continue;
		if (step > LOCAL) {
			step /= 2;
			continue;
		}
		const curvature = left - 2 * from + right;
		if (Number.isFinite(curvature) && curvature > 0)
			tryAt(t + (step * (left - right)) / (2 * curvature));
		break;
	}
	if (Number.isFinite(bestErr)) turns[k] = { kind, index: bestT, value: bestValue };
}

function residual(y: Float64Array, turns: readonly Turn[], shapes: Shapes): number {
	let sum = 0;
	for (let k = 0; k + 1 < turns.length; k++) {
		const [a, b] = [turns[k], turns[k + 1]];
		for (let j = Math.max(0, Math.ceil(a.index)); j < Math.min(y.length, b.index); j++) {
			const mean = meanProgress(j - 0.5, j + 0.5, a, b.index, shapes);
			sum += (y[j] - (1 - mean) * a.value - mean * b.value) ** 2;
		}
	}
	return sum;
}
