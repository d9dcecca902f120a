/**
 * Breath by breath from the tachogram alone: heart rate rises on the in-breath and falls on the
 * out-breath (respiratory sinus arrhythmia), so each rise of heart rate is taken as an inhale and
 * each fall as an exhale.
 * 1. Clean beats (beat-series.ts), gaps bridged; heart rate 60000/RR at 4 Hz, each interval's rate
 *    at the middle of the interval, linearly between them.
 * 2. The dominant breathing rhythm: the highest peak in 0.05-0.5 Hz (3-30 breaths/min) of the Welch
 *    spectrum (64 s Hann segments, or one over the whole stretch when shorter) of the heart rate,
 *    after smoothness-priors detrending (λ = 2500: trends slower than about 0.015 Hz).
 * 3. A zero-phase band-pass around it (second-order Butterworth sections run forwards and
 *    backwards): high-pass at half the breathing frequency (settling and slow drift go), low-pass at
 *    four times it (at most 0.7 Hz). Harmonics up to the third pass, so an uneven breath keeps its
 *    quick rise and slow fall: a narrow filter would make every breath a sinusoid, ratio 1.
 * 4. Peaks and troughs with hysteresis: a turn counts once heart rate has come back by 30 % of the
 *    signal's typical swing (its 5th-95th percentile range), so ripples do not split a breath.
 *    Turning points are refined by a parabola through the neighbouring samples.
 * 5. A breath runs from a trough to the next trough (2-20 s, no gap over 3 s inside). It is split
 *    into in and out in proportion to the times heart rate takes to rise and to fall from 20 % to
 *    80 % of the way between trough and peak: smoothing (the beats' own spacing, the filter) moves
 *    a rounded turning point towards the slower side, which made a 2:1 breath look 1.7:1 when the
 *    turning points themselves split it, but hardly moves the steep middle of a ramp.
 *
 * Reliable (the heart follows breathing clearly enough) when all hold:
 * - at least 3 breaths;
 * - regular: breath lengths' robust coefficient of variation (1.4826·MAD/median) at most 0.25;
 * - swing above noise: at least 40 % of the heart-rate power in 0.03-0.7 Hz lies within ±0.03 Hz of
 *   the breathing peak and its second harmonic (HeartMath-like coherence, scaled 0-1);
 * - a real peak: its spectral density at least 5 times the highest between 0.02 Hz and 0.6 × its
 *   frequency (slow drift has its power at the lowest frequencies and no peak);
 * - consistent: the counted breathing rate within 20 % of the spectral peak's (noise splitting
 *   breaths makes the count run ahead).
 * A steady rhythm the heart makes by itself at a breathing frequency (a strong 0.1 Hz Mayer wave
 * with irregular breathing) cannot be told from breathing this way.
 *
 * The times are the heart's: heart rate peaks near full lungs at the resonance frequency and leads
 * or lags elsewhere, and the vagal response smooths the turns, so the in/out ratio is an estimate.
 */
import { cleanBeats, longestGapWithin, median } from '../beat-series';
import { smoothnessPriorsDetrend } from '../detrend';
import { welch } from '../welch';

export interface BreathEstimate {
	startS: number;
	inhaleS: number;
	exhaleS: number;
	/** exhale / inhale */
	ratio: number;
	ratePerMin: number;
}

export interface BreathSummary {
	breaths: BreathEstimate[];
	medianRatio: number;
	ratePerMin: number;
	/** false when the heart does not follow breathing clearly enough (say how you decide: e.g. swing amplitude vs noise, regularity) */
	reliable: boolean;
}

const FS = 4;
/** Smoothness-priors λ at 4 Hz: takes out trends slower than about 0.015 Hz. */
const DETREND_LAMBDA = 2500;
const BREATH_BAND: [number, number] = [0.05, 0.5];
const MIN_BREATH_S = 2;
const MAX_BREATH_S = 20;
const MAX_GAP_IN_BREATH_MS = 3000;
const HYSTERESIS = 0.3;
const MIN_BREATHS = 3;
const MAX_CV = 0.25;
const MIN_CONCENTRATION = 0.4;
const PEAK_HALF_WIDTH_HZ = 0.03;
const MIN_PROMINENCE = 5;
const SLOW_FROM_HZ = 0.02;
const SLOW_SHARE = 0.6;
const MAX_RATE_MISMATCH = 0.2;
/** Least stretch of clean beats to try: two slow breaths. */
const MIN_SPAN_S = 20;

/** The rise and fall are timed between these shares of the way from trough to peak. */
const RAMP: [number, number] = [0.2, 0.8];

const NONE: BreathSummary = { breaths: [], medianRatio: NaN, ratePerMin: NaN, reliable: false };

/**
 * Heart rate 60000/RR at FS Hz, each interval's rate at the interval's middle (the rate it stands
 * for), linearly between them: placing it at the interval's end would delay fast beats less than
 * slow ones, and so shorten every rise of heart rate against its fall.
 */
function heartRateAtMidpoints(
	rrMs: Float64Array,
	startMs: number
): { hr: Float64Array; t0S: number } {
	const k = rrMs.length;
	const mid = new Float64Array(k);
	let acc = startMs;
	for (let i = 0; i < k; i++) {
		mid[i] = (acc + rrMs[i] / 2) / 1000;
		acc += rrMs[i];
	}
	const n = Math.floor((mid[k - 1] - mid[0]) * FS) + 1;
	const hr = new Float64Array(n);
	let j = 0;
	for (let s = 0; s < n; s++) {
		const t = mid[0] + s / FS;
		while (j < k - 2 && mid[j + 1] < t) j++;
		const f = Math.min(1, Math.max(0, (t - mid[j]) / (mid[j + 1] - mid[j])));
		hr[s] = 60000 / rrMs[j] + f * (60000 / rrMs[j + 1] - 60000 / rrMs[j]);
	}
	return { hr, t0S: mid[0] };
}

/** RBJ biquad (Butterworth, Q = 1/√2) coefficients [b0, b1, b2, a1, a2], normalised by a0. */
function biquad(kind: 'lp' | 'hp', f0: number, fs: number): number[] {
	const w = (2 * Math.PI * f0) / fs;
	const cw = Math.cos(w);
	const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
	const a0 = 1 + alpha;
	const b =
		kind === 'lp' ? [(1 - cw) / 2, 1 - cw, (1 - cw) / 2] : [(1 + cw) / 2, -(1 + cw), (1 + cw) / 2];
	return [b[0] / a0, b[1] / a0, b[2] / a0, (-2 * cw) / a0, (1 - alpha) / a0];
}

function runBiquad(x: Float64Array, c: number[]): void {
	const [b0, b1, b2, a1, a2] = c;
	let x1 = 0;
	let x2 = 0;
	let y1 = 0;
	let y2 = 0;
	for (let i = 0; i < x.length; i++) {
		const xi = x[i];
		const yi = b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
		x2 = x1;
		x1 = xi;
		y2 = y1;
		y1 = yi;
		x[i] = yi;
	}
}

/**
 * Zero-phase band-pass (forward and backward through a high-pass and a low-pass biquad), after
 * taking out the straight line through the samples and padding both ends by odd reflection.
 */
function bandPass(values: Float64Array, lo: number, hi: number): Float64Array {
	const n = values.length;
	let st = 0;
	let sy = 0;
	let stt = 0;
	let sty = 0;
	for (let i = 0; i < n; i++) {
		st += i;
		sy += values[i];
		stt += i * i;
		sty += i * values[i];
	}
	const slope = (n * sty - st * sy) / (n * stt - st * st || 1);
	const icpt = (sy - slope * st) / n;
	const pad = Math.min(n - 1, Math.round((3 * FS) / lo));
	const x = new Float64Array(n + 2 * pad);
	const v = (i: number) => values[i] - icpt - slope * i;
	for (let i = 0; i < n; i++) x[pad + i] = v(i);
	for (let i = 1; i <= pad; i++) {
		x[pad - i] = 2 * v(0) - v(i);
		x[pad + n - 1 + i] = 2 * v(n - 1) - v(n - 1 - i);
	}
	const sections = [biquad('hp', lo, FS), biquad('lp', hi, FS)];
	for (const c of sections) runBiquad(x, c);
	x.reverse();
	for (const c of sections) runBiquad(x, c);
	x.reverse();
	return x.subarray(pad, pad + n);
}

/** Sub-sample position and value of the extreme at i (parabola through i − 1, i, i + 1). */
function refine(x: Float64Array, i: number): { pos: number; value: number } {
	if (i <= 0 || i >= x.length - 1) return { pos: i, value: x[i] };
	const a = x[i - 1];
	const b = x[i];
	const c = x[i + 1];
	const den = a - 2 * b + c;
	if (den === 0) return { pos: i, value: b };
	const d = Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den));
	return { pos: i + d, value: b - 0.25 * (a - c) * d };
}

/**
 * Position (samples, interpolated) where x first crosses `level` after `from`, going up or down;
 * NaN when it does not before `to`.
 */
function crossing(x: Float64Array, from: number, to: number, level: number, up: boolean): number {
	for (let i = Math.max(0, Math.floor(from)); i < Math.min(to, x.length - 1); i++) {
		const a = x[i] - level;
		const b = x[i + 1] - level;
		if (up ? a < 0 && b >= 0 : a > 0 && b <= 0) return i + a / (a - b);
	}
	return NaN;
}

/** Time from `lo` to `hi` share of the way from `a` to `b` (the segment's edge-to-edge ramp). */
function rampTime(x: Float64Array, from: number, to: number, a: number, b: number): number {
	const up = b > a;
	const p = crossing(x, from, to, a + RAMP[0] * (b - a), up);
	const q = crossing(x, from, to, a + RAMP[1] * (b - a), up);
	return q > p ? (q - p) / FS : NaN;
}

interface Turn {
	kind: 'peak' | 'trough';
	pos: number;
}

/** Alternating peaks and troughs with hysteresis h (turns at the very ends are dropped). */
function turns(x: Float64Array, h: number): Turn[] {
	const out: Turn[] = [];
	let state: 'none' | 'rising' | 'falling' = 'none';
	let maxI = 0;
	let minI = 0;
	for (let i = 1; i < x.length; i++) {
		if (x[i] > x[maxI]) maxI = i;
		if (x[i] < x[minI]) minI = i;
		if (state !== 'falling' && x[i] < x[maxI] - h) {
			if (state === 'rising' || maxI > 0) out.push({ kind: 'peak', pos: maxI });
			state = 'falling';
			minI = i;
		} else if (state !== 'rising' && x[i] > x[minI] + h) {
			if (state === 'falling' || minI > 0) out.push({ kind: 'trough', pos: minI });
			state = 'rising';
			maxI = i;
		}
	}
	// The first turn may be the record's edge rather than a real extreme.
	return out.filter((t) => t.pos > 0 && t.pos < x.length - 1);
}

function quantile(sorted: Float64Array, q: number): number {
	const pos = q * (sorted.length - 1);
	const lo = Math.floor(pos);
	const hi = Math.min(sorted.length - 1, lo + 1);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Breaths estimated from beats (RR ms, beat times ms since the session start at the end of each
 * interval) whose interval ends in (fromMs, toMs]. Too little data gives NaN figures.
 */
export function estimateBreaths(
	rrMs: ArrayLike<number>,
	timeMs: ArrayLike<number>,
	fromMs = -Infinity,
	toMs = Infinity
): BreathSummary {
	const beats = cleanBeats(rrMs, timeMs, fromMs, toMs);
	if (beats.rrMs.length < 10 || beats.coveredMs < MIN_SPAN_S * 1000) return NONE;
	const { hr, t0S } = heartRateAtMidpoints(beats.filledRrMs, beats.startMs);
	const n = hr.length;
	const timeOf = (pos: number) => t0S + pos / FS;

	// The dominant breathing rhythm.
	const seg = Math.min(n, 64 * FS);
	const spec = welch(
		smoothnessPriorsDetrend(hr, DETREND_LAMBDA),
		FS,
		seg,
		'anchored',
		Math.max(1024, 2 * seg)
	);
	let peakK = -1;
	for (let k = 0; k < spec.freq.length; k++) {
		const f = spec.freq[k];
		if (f >= BREATH_BAND[0] && f <= BREATH_BAND[1] && (peakK < 0 || spec.psd[k] > spec.psd[peakK]))
			peakK = k;
	}
	if (peakK < 0 || !Number.isFinite(spec.psd[peakK])) return NONE;
	const fr = spec.freq[peakK];
	const lo = Math.max(0.025, fr / 2);
	const hi = Math.min(0.7, 4 * fr);
	let inPeak = 0;
	let total = 0;
	for (let k = 0; k < spec.freq.length; k++) {
		const f = spec.freq[k];
		if (f < 0.03 || f > 0.7) continue;
		total += spec.psd[k];
		if (Math.abs(f - fr) <= PEAK_HALF_WIDTH_HZ || Math.abs(f - 2 * fr) <= PEAK_HALF_WIDTH_HZ)
			inPeak += spec.psd[k];
	}
	const concentration = total > 0 ? inPeak / total : 0;
	// A peak, not the tail of slow drift: it stands above everything slower (down to 0.02 Hz).
	let slowMax = 0;
	for (let k = 0; k < spec.freq.length; k++) {
		const f = spec.freq[k];
		if (f >= SLOW_FROM_HZ && f <= SLOW_SHARE * fr) slowMax = Math.max(slowMax, spec.psd[k]);
	}
	const prominence = slowMax > 0 ? spec.psd[peakK] / slowMax : Infinity;

	const x = bandPass(hr, lo, hi);
	const sorted = Float64Array.from(x).sort();
	const swing = quantile(sorted, 0.95) - quantile(sorted, 0.05);
	if (!(swing > 0)) return NONE;
	const ts = turns(x, HYSTERESIS * swing);

	const breaths: BreathEstimate[] = [];
	for (let i = 0; i + 2 < ts.length; i++) {
		if (ts[i].kind !== 'trough') continue;
		const t0 = refine(x, ts[i].pos);
		const pk = refine(x, ts[i + 1].pos);
		const t1 = refine(x, ts[i + 2].pos);
		const a = timeOf(t0.pos);
		const b = timeOf(t1.pos);
		const cycle = b - a;
		if (cycle < MIN_BREATH_S || cycle > MAX_BREATH_S) continue;
		if (longestGapWithin(beats.gaps, a * 1000, b * 1000) > MAX_GAP_IN_BREATH_MS) continue;
		// The split between in and out from the steep parts: smoothing moves a turning point towards
		// the slower side (an uneven breath would look even), but hardly moves a ramp.
		const rise = rampTime(x, ts[i].pos, ts[i + 1].pos + 1, t0.value, pk.value);
		const fall = rampTime(x, ts[i + 1].pos, ts[i + 2].pos + 1, pk.value, t1.value);
		if (!(rise > 0 && fall > 0)) continue;
		const inhaleS = (cycle * rise) / (rise + fall);
		const exhaleS = cycle - inhaleS;
		breaths.push({ startS: a, inhaleS, exhaleS, ratio: fall / rise, ratePerMin: 60 / cycle });
	}
	if (breaths.length === 0) return NONE;
	const cycles = breaths.map((b) => b.inhaleS + b.exhaleS);
	const medCycle = median(cycles);
	const cv = (1.4826 * median(cycles.map((c) => Math.abs(c - medCycle)))) / medCycle;
	const ratePerMin = 60 / medCycle;
	return {
		breaths,
		medianRatio: median(breaths.map((b) => b.ratio)),
		ratePerMin,
		reliable:
			breaths.length >= MIN_BREATHS &&
			cv <= MAX_CV &&
			concentration >= MIN_CONCENTRATION &&
			prominence >= MIN_PROMINENCE &&
			Math.abs(ratePerMin / (60 * fr) - 1) <= MAX_RATE_MISMATCH
	};
}
