/**
 * Resonance-frequency assessment (Lehrer, Vaschillo & Vaschillo 2000; Shaffer & Meehan 2020): paced
 * breathing at 6.5, 6, 5.5, 5 and 4.5 breaths/min, about two minutes each, in one recording. Each
 * step is judged on its own beats, from 15 s after the step starts (the change of rate settles) to
 * the step's end, on Shaffer & Meehan's four criteria:
 * - LF peak power: the Welch spectrum of the step's beats (the engine's rrSpectrum: 4 Hz spline,
 *   smoothness priors λ = 500; a step is shorter than the 300 s window, so it is one Hann window
 *   over the step, on the engine's 1/600 Hz grid); the power (ms²) within ±0.015 Hz of the highest
 *   bin in 0.04-0.15 Hz. Higher is better.
 * - Peak-to-trough heart rate: for every whole pacer breath in the window (the pacer's cycles from
 *   the step's start), the peak to trough of the heart rate's rhythm at the pacing rate, a sinusoid
 *   fitted by least squares to the breath's beats; the mean over breaths, with its standard error
 *   from their spread. (Max − min over the beats grows with the number of beats a breath and their
 *   noise, so it favoured the slower rates.) Higher is better.
 * - Phase: a sinusoid at the pacing frequency (on a straight line, for the settling trend) fitted by
 *   least squares to beat-by-beat heart rate, each beat at the middle of its interval; its peak is
 *   compared with the peak of the fundamental of the pacer's lung fill (breath-cycle.ts), so a
 *   heart rate that follows the fill's shape reads 0°. That peak is at full lungs for an even
 *   breath and a little later for a long exhale (4.5 s into a 4 s in, 6 s out breath). Positive:
 *   heart rate peaks first (leads). 0° is the resonance ideal. Closest to 0° is better. The phase
 *   rests on beat times and step times sharing one clock: an offset of 1 s between them moves it by
 *   36° at 6/min (the same for every step, so it shifts which step reads closest to 0°).
 *   When the strap measured the breath, a `phaseAgainst` reference takes the phase against the
 *   breath as measured instead (breath-measured/resonance-breath.ts); each step says which it used.
 * - Coherence: coherence.ts's HeartMath-style coherence (64 s windows every 5 s), averaged over the
 *   windows that fit in the step's window (nine in a two-minute step). Higher is better. A window
 *   shorter than 64 s (one-minute steps) has none: then coherence is left out of the ranking for
 *   every step, and the combined score is the mean of the other three ranks.
 * A step has enough data when, after its first 15 s, at least 40 s are left, clean beats cover at
 * least 80 % of that, no gap is longer than 10 s, and at least two whole pacer breaths have a
 * rhythm. Ranks are among the steps with enough data; equal values share the mean of their ranks.
 *
 * The decision, like a measurement (issue 33): the rates are ordered by the mean of their LF-power
 * and swing ranks, ties broken by LF peak power. The first is named only when it stands more than
 * CLAIM_MARGIN standard errors of the difference above every other rate, averaging the swing's
 * margin and the LF power's (each step's standard errors come from its own breath-to-breath spread:
 * of the swing, and of the rhythm's power for LF). Otherwise the assessment is "too close to call"
 * between the first and every rate within that margin, and the pacer keeps its rate. On simulated
 * people (tests/bench/resonance-people.ts: 9 bpm swing, 1 bpm beat noise, drift) a person with no
 * resonance is told a rate in 0 of 120 assessments at 1-3 minute steps; a resonance standing 30 %
 * above its neighbours is found 100 % of the time at 2-minute steps, 53 % at 1-minute steps.
 *
 * Why only the swing and LF power decide: Shaffer & Meehan (2020) list peak-to-trough heart rate,
 * LF power, LF peak amplitude, phase synchrony and the smoothness of the curve; the first three
 * measure one thing, the size of the breathing rhythm, which is what resonance is (Lehrer,
 * Vaschillo & Vaschillo 2000). Lehrer, Vaschillo & Vidali (2020) found heart rate and breathing
 * often not in phase at resonance (about 109° in their adults), so phase is shown but must not
 * outvote the swing; coherence is the same rhythm's share of the spectrum, shown, not counted.
 *
 * Beats: see beat-series.ts (implausible and ectopic beats dropped, gaps bridged for the spectrum).
 * Note the order effect of any such protocol: a person still settling has growing RSA, which favours
 * the later (slower) steps; start the assessment after a settle-in.
 */
import { cleanBeats, longestGapWithin, median, type CleanBeats } from './beat-series';
import { fillFundamentalPeakS } from './breath/cycle';
import { coherenceSeries } from './coherence';
import { bandPeak, bandPower, BANDS, rrSpectrum } from './frequency';
import { fitSine, wrapDeg } from './sine-fit';
import { mean, sd } from './stats';

export const RESONANCE_RATES = [6.5, 6.0, 5.5, 5.0, 4.5] as const;

/** The start of each step left out: the change of breathing rate settles. */
export const RESONANCE_SKIP_S = 15;
/** LF peak power: ±this around the highest LF bin (HeartMath's peak width). */
const PEAK_HALF_WIDTH_HZ = 0.015;
/** Enough data: the analysed window is at least this long (two breaths at 4.5/min, with room), ... */
const MIN_WINDOW_S = 40;
/** ... the kept beats cover at least this share of it, ... */
const MIN_COVERAGE = 0.8;
/** ... no gap is longer than this, ... */
const MAX_GAP_MS = 10_000;
/** ... and at least this many whole breaths have a peak-to-trough figure. */
const MIN_BREATHS = 2;
/** A breath is measured only when no gap inside it is longer than this. */
const MAX_GAP_IN_BREATH_MS = 3000;
/**
 * A rate is named only when it stands this many standard errors of the difference above every other
 * (marginOver). Chosen on simulated people (tests/bench/resonance-people.ts): with no resonance a
 * rate is then claimed in under 5 % of assessments.
 */
export const CLAIM_MARGIN = 2.5;

export interface ResonanceStep {
	rateBpm: number;
	inhaleS: number;
	exhaleS: number;
	/** step window in session beat time, ms since session start; the pacer's breath cycle starts at startMs */
	startMs: number;
	endMs: number;
}

export interface StepFigures {
	rateBpm: number;
	beats: number;
	lfPowerMs2: number;
	lfPeakHz: number;
	/** Mean over breaths of the peak to trough (bpm) of each breath's heart-rate rhythm. */
	peakTroughBpm: number;
	/** phase of heart rate relative to the pacer's breathing at the pacing frequency, degrees in (−180,180]; 0 = heart rate peaks with full lungs */
	phaseDeg: number;
	/**
	 * Which breath the phase is measured against: the pacer's intended one, or the breath the strap
	 * measured (when a `phaseAgainst` reference was given and could be used for the step).
	 */
	phaseFrom: 'pacer' | 'measured';
	coherence: number;
	/** heart rate (bpm) in 1 s steps, x = s from the step start, for a chart */
	hr: { x: number; y: number }[];
	enoughData: boolean;
	/** Standard error of peakTroughBpm (bpm), from the breath-to-breath spread. */
	peakTroughSeBpm: number;
	/** Standard error of lfPowerMs2 (ms²), from the breath-to-breath spread of the rhythm's power. */
	lfPowerSeMs2: number;
	/** Whole pacer breaths with a peak-to-trough figure. */
	breaths: number;
	/** Why the step is left out of the ranking (when enoughData is false). */
	reason?: string;
}

export interface StepRanks {
	rateBpm: number;
	lf: number;
	peakTrough: number;
	phase: number;
	coherence: number;
	combined: number;
	/** Mean of the LF-power and swing ranks (the combined score; lower is better). */
	meanRank: number;
}

export interface ResonanceResult {
	steps: StepFigures[];
	/** per step: rank 1 = best on each criterion and combined (NaN for steps left out) */
	ranks: StepRanks[];
	bestRateBpm?: number;
	runnerUpRateBpm?: number;
	/** true when the best and at least one other rate are within noise of each other */
	tooCloseToCall: boolean;
	/** The rates that tie (the best among them), fastest first; set only when too close to call. */
	tieRatesBpm?: number[];
	/** How far the best stands above the closest rate, in standard errors of the difference. */
	marginOverRunnerUp?: number;
	/** plain-language "why it won" (which criteria it led on, by how much), or why no answer */
	explanation: string;
}

function fmtRate(r: number): string {
	return `${r.toFixed(1)}/min`;
}

/** Heart rate every second of the step, linearly between beat middles; none across gaps. */
function hrChart(beats: CleanBeats, startMs: number, endMs: number): { x: number; y: number }[] {
	const out: { x: number; y: number }[] = [];
	const { midMs, hrBpm } = beats;
	let j = 0;
	for (let s = 0; startMs + s * 1000 <= endMs; s++) {
		const t = startMs + s * 1000;
		while (j < midMs.length - 1 && midMs[j + 1] < t) j++;
		if (j >= midMs.length - 1 || midMs[j] > t) continue;
		const a = midMs[j];
		const b = midMs[j + 1];
		if (b - a > MAX_GAP_IN_BREATH_MS) continue;
		const y = hrBpm[j] + ((hrBpm[j + 1] - hrBpm[j]) * (t - a)) / (b - a);
		out.push({ x: s, y });
	}
	return out;
}

interface BreathRhythm {
	/** Peak to trough (bpm) of the heart rate's rhythm at the pacing rate within the breath. */
	swingBpm: number;
	/** Power (ms²) of the RR rhythm at the pacing rate within the breath: amplitude² / 2. */
	rrPowerMs2: number;
}

/**
 * Per whole pacer breath in [fromMs, toMs]: the heart's rhythm at the pacing rate, a sinusoid (on a
 * line) fitted by least squares to the breath's beats. Max − min over beats grows with the number of
 * beats and their noise, so it read larger at the slower rates for the same swing; the fitted
 * rhythm does not.
 */
function breathRhythms(
	beats: CleanBeats,
	step: ResonanceStep,
	fromMs: number,
	toMs: number
): BreathRhythm[] {
	const cycleMs = (step.inhaleS + step.exhaleS) * 1000;
	const out: BreathRhythm[] = [];
	const { midMs, hrBpm, rrMs } = beats;
	const minBeats = Math.max(5, Math.floor((0.6 * cycleMs) / median(beats.rrMs)));
	let j = 0;
	for (let k = Math.ceil((fromMs - step.startMs) / cycleMs - 1e-9); ; k++) {
		const a = step.startMs + k * cycleMs;
		const b = a + cycleMs;
		if (b > toMs + 1e-6) break;
		if (longestGapWithin(beats.gaps, a, b) > MAX_GAP_IN_BREATH_MS) continue;
		while (j < midMs.length && midMs[j] < a) j++;
		const t: number[] = [];
		const hr: number[] = [];
		const rr: number[] = [];
		for (let i = j; i < midMs.length && midMs[i] < b; i++) {
			t.push((midMs[i] - a) / 1000);
			hr.push(hrBpm[i]);
			rr.push(rrMs[i]);
		}
		if (t.length < minBeats) continue;
		const fHr = fitSine(t, hr, 1000 / cycleMs);
		const fRr = fitSine(t, rr, 1000 / cycleMs);
		if (Number.isFinite(fHr.amplitude) && Number.isFinite(fRr.amplitude))
			out.push({ swingBpm: 2 * fHr.amplitude, rrPowerMs2: fRr.amplitude ** 2 / 2 });
	}
	return out;
}

/**
 * Another breath to measure a step's phase against (the breath the strap measured): degrees as
 * phaseDeg (positive: heart rate peaks first), or undefined when it has none for the step.
 */
export type PhaseReference = (step: ResonanceStep, beats: CleanBeats) => number | undefined;

function stepFigures(
	rrMs: ArrayLike<number>,
	timeMs: ArrayLike<number>,
	step: ResonanceStep,
	phaseAgainst?: PhaseReference
): StepFigures {
	const fromMs = step.startMs + RESONANCE_SKIP_S * 1000;
	const toMs = step.endMs;
	// A few seconds before the step too, so the chart starts at x = 0.
	const chartBeats = cleanBeats(rrMs, timeMs, step.startMs - 3000, step.endMs);
	const beats = cleanBeats(rrMs, timeMs, fromMs, toMs);
	const windowS = (toMs - fromMs) / 1000;
	const cycleS = step.inhaleS + step.exhaleS;
	const base: StepFigures = {
		rateBpm: step.rateBpm,
		beats: beats.rrMs.length,
		lfPowerMs2: NaN,
		lfPeakHz: NaN,
		peakTroughBpm: NaN,
		phaseDeg: NaN,
		phaseFrom: 'pacer',
		coherence: NaN,
		hr: hrChart(chartBeats, step.startMs, step.endMs),
		enoughData: false,
		peakTroughSeBpm: NaN,
		lfPowerSeMs2: NaN,
		breaths: 0
	};
	if (!(cycleS > 0) || !(windowS > 0)) return { ...base, reason: 'no step window' };
	// Gaps at the window's edges count too: the beats must cover the window itself.
	const edgeGaps = [...beats.gaps];
	if (beats.rrMs.length > 0) {
		edgeGaps.push({ startMs: fromMs, endMs: beats.startMs });
		edgeGaps.push({ startMs: beats.endMs[beats.endMs.length - 1], endMs: toMs });
	}
	const longestGap = longestGapWithin(edgeGaps, fromMs, toMs);
	const coverage = beats.coveredMs / (windowS * 1000);
	if (windowS < MIN_WINDOW_S) {
		return { ...base, reason: `the step was ${Math.round(windowS)} s long after its first 15 s` };
	}
	if (beats.rrMs.length < 10 || coverage < MIN_COVERAGE) {
		return {
			...base,
			reason: `clean beats covered ${Math.round(100 * Math.max(0, coverage))} % of it`
		};
	}
	if (longestGap > MAX_GAP_MS) {
		return { ...base, reason: `a ${Math.round(longestGap / 1000)} s gap in its beats` };
	}

	const { spectrum } = rrSpectrum(beats.filledRrMs);
	const lfPeakHz = bandPeak(spectrum, BANDS.lf[0], BANDS.lf[1]);
	const lfPowerMs2 = bandPower(
		spectrum,
		lfPeakHz - PEAK_HALF_WIDTH_HZ - 1e-9,
		lfPeakHz + PEAK_HALF_WIDTH_HZ + 1e-9
	);

	const rhythms = breathRhythms(beats, step, fromMs, toMs);
	const swings = rhythms.map((r) => r.swingBpm);
	const powers = rhythms.map((r) => r.rrPowerMs2);
	const peakTroughBpm = mean(swings);
	const peakTroughSeBpm = sd(swings) / Math.sqrt(swings.length);
	// The spectrum's LF peak power, with the uncertainty its breaths show: the breath-to-breath
	// spread of the rhythm's power, as a share of its mean.
	const lfPowerSeMs2 =
		(lfPowerMs2 * (sd(powers) / Math.sqrt(powers.length))) / Math.max(mean(powers), 1e-9);

	const tS = Array.from(beats.midMs, (m) => (m - step.startMs) / 1000);
	const fit = fitSine(tS, beats.hrBpm, 1 / cycleS);
	const fillPeakS = fillFundamentalPeakS(step);
	const measuredPhase = phaseAgainst?.(step, beats);
	const phaseFrom = Number.isFinite(measuredPhase) ? 'measured' : 'pacer';
	const phaseDeg =
		phaseFrom === 'measured'
			? (measuredPhase as number)
			: wrapDeg(((fillPeakS - fit.peakS) / cycleS) * 360);

	const coh = coherenceSeries(beats.filledRrMs);
	const coherence = coh.length ? coh.reduce((s, p) => s + p.y, 0) / coh.length : NaN;

	const figures: StepFigures = {
		...base,
		lfPowerMs2,
		lfPeakHz,
		peakTroughBpm,
		phaseDeg,
		phaseFrom,
		coherence,
		peakTroughSeBpm,
		lfPowerSeMs2,
		breaths: swings.length
	};
	if (swings.length < MIN_BREATHS) {
		return { ...figures, reason: `only ${swings.length} whole breaths without a gap` };
	}
	const finite = [lfPowerMs2, peakTroughBpm, phaseDeg].every(Number.isFinite);
	if (!finite) return { ...figures, reason: 'its figures could not be computed' };
	return { ...figures, enoughData: true };
}

/**
 * Ranks (1 = best) of `values` where `better(a, b) < 0` when a is better; NaN values rank last;
 * equal values share the mean of their ranks.
 */
function rankBy(values: number[], better: (a: number, b: number) => number): number[] {
	const order = values.map((v, i) => i);
	const key = (v: number) => (Number.isNaN(v) ? 1 : 0);
	const cmp = (a: number, b: number) =>
		key(values[a]) - key(values[b]) || (key(values[a]) ? 0 : better(values[a], values[b]));
	order.sort(cmp);
	const ranks = new Array<number>(values.length);
	for (let i = 0; i < order.length;) {
		let j = i;
		while (j + 1 < order.length && cmp(order[i], order[j + 1]) === 0) j++;
		for (let k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2 + 1;
		i = j + 1;
	}
	return ranks;
}

function pct(a: number, b: number): string {
	return `${Math.round(100 * (a / b - 1))} %`;
}

interface Criterion {
	key: 'lf' | 'peakTrough' | 'phase' | 'coherence';
	label: string;
	value: (s: StepFigures) => number;
	/** "X (lead over Y)" for the winner against the next best. */
	lead: (best: StepFigures, next: StepFigures) => string;
}

const CRITERIA: Criterion[] = [
	{
		key: 'lf',
		label: 'LF peak power',
		value: (s) => s.lfPowerMs2,
		lead: (b, n) =>
			`LF peak power (${Math.round(b.lfPowerMs2)} ms², ${pct(b.lfPowerMs2, n.lfPowerMs2)} above ${fmtRate(n.rateBpm)})`
	},
	{
		key: 'peakTrough',
		label: 'heart-rate swing',
		value: (s) => s.peakTroughBpm,
		lead: (b, n) =>
			`heart-rate swing (${b.peakTroughBpm.toFixed(1)} bpm peak to trough against ${n.peakTroughBpm.toFixed(1)} at ${fmtRate(n.rateBpm)})`
	},
	{
		key: 'phase',
		label: 'phase',
		value: (s) => s.phaseDeg,
		lead: (b, n) =>
			`phase closest to 0° (${Math.round(b.phaseDeg)}° against ${Math.round(n.phaseDeg)}° at ${fmtRate(n.rateBpm)})`
	},
	{
		key: 'coherence',
		label: 'coherence',
		value: (s) => s.coherence,
		lead: (b, n) =>
			`coherence (${b.coherence.toFixed(2)} against ${n.coherence.toFixed(2)} at ${fmtRate(n.rateBpm)})`
	}
];

const BETTER: Record<Criterion['key'], (a: number, b: number) => number> = {
	lf: (a, b) => b - a,
	peakTrough: (a, b) => b - a,
	phase: (a, b) => Math.abs(a) - Math.abs(b),
	coherence: (a, b) => b - a
};

/**
 * Assesses the steps of a resonance-frequency recording (beat times: ms since session start).
 * `phaseAgainst`: a measured breath to take each step's phase against instead of the pacer's.
 */
export function assessResonance(
	rrMs: ArrayLike<number>,
	timeMs: ArrayLike<number>,
	steps: readonly ResonanceStep[],
	phaseAgainst?: PhaseReference
): ResonanceResult {
	const figures = steps.map((s) => stepFigures(rrMs, timeMs, s, phaseAgainst));
	const eligible = figures.map((f, i) => (f.enoughData ? i : -1)).filter((i) => i >= 0);
	const nanRanks = (f: StepFigures): StepRanks => ({
		rateBpm: f.rateBpm,
		lf: NaN,
		peakTrough: NaN,
		phase: NaN,
		coherence: NaN,
		combined: NaN,
		meanRank: NaN
	});
	const ranks = figures.map(nanRanks);
	const left = figures
		.filter((f) => !f.enoughData)
		.map((f) => `${fmtRate(f.rateBpm)} was left out (${f.reason ?? 'not enough data'})`);
	const leftText = left.length ? ` ${left.join('; ')}.` : '';
	if (eligible.length < 2) {
		return {
			steps: figures,
			ranks,
			tooCloseToCall: false,
			explanation:
				steps.length === 0
					? 'No resonance frequency: the recording has no breathing steps.'
					: `No resonance frequency: ${eligible.length} of ${steps.length} steps had enough clean beats, and it takes two to compare.${leftText}`
		};
	}
	const el = eligible.map((i) => figures[i]);
	// Coherence takes a 64 s window: with shorter steps it is left out for every step.
	const withCoherence = el.every((f) => Number.isFinite(f.coherence));
	const shown = CRITERIA.filter((c) => withCoherence || c.key !== 'coherence');
	const perCriterion = CRITERIA.map((c) =>
		shown.includes(c) ? rankBy(el.map(c.value), BETTER[c.key]) : el.map(() => NaN)
	);
	// The order and the decision rest on the two measures of the swing's size; phase and
	// coherence are shown beside them, not counted (see the header).
	const meanRank = el.map((_, j) => (perCriterion[0][j] + perCriterion[1][j]) / 2);
	const combinedOrder = el
		.map((_, j) => j)
		.sort(
			(a, b) =>
				meanRank[a] - meanRank[b] ||
				el[b].lfPowerMs2 - el[a].lfPowerMs2 ||
				el[b].peakTroughBpm - el[a].peakTroughBpm
		);
	combinedOrder.forEach((j, pos) => {
		const i = eligible[j];
		ranks[i] = {
			rateBpm: figures[i].rateBpm,
			lf: perCriterion[0][j],
			peakTrough: perCriterion[1][j],
			phase: perCriterion[2][j],
			coherence: perCriterion[3][j],
			combined: pos + 1,
			meanRank: meanRank[j]
		};
	});
	const bi = combinedOrder[0];
	const best = el[bi];
	// How far the best stands above each other rate, in units of the uncertainty of the difference.
	const margins = el.map((f, j) => (j === bi ? Infinity : marginOver(best, f)));
	const closest = el.map((_, j) => j).sort((a, b) => margins[a] - margins[b])[0];
	const runner = el[closest];
	const ties = el
		.map((f, j) => ({ f, j }))
		.filter(({ j }) => j !== bi && !(margins[j] > CLAIM_MARGIN))
		.map(({ f }) => f.rateBpm);
	const tooCloseToCall = ties.length > 0;
	const tieRates = [best.rateBpm, ...ties].sort((a, b) => b - a);

	const others = new Map<number, string[]>();
	const led: string[] = [];
	CRITERIA.forEach((c, ci) => {
		if (!shown.includes(c)) return;
		const r = perCriterion[ci];
		const order = el.map((_, j) => j).sort((a, b) => r[a] - r[b]);
		if (r[bi] === 1 && order.length > 1) led.push(c.lead(best, el[order[1]]));
		else {
			const top = el[order[0]].rateBpm;
			others.set(top, [...(others.get(top) ?? []), c.label]);
		}
	});
	const ledText = led.length ? `it led on ${joinAnd(led)}` : 'it led on no single figure';
	const othersText = others.size
		? `; ${joinAnd([...others].map(([rate, labels]) => `${fmtRate(rate)} had the best ${joinAnd(labels)}`))}`
		: '';
	const noCoherence = withCoherence
		? ''
		: ' Coherence was left out: it needs 64 s of paced breathing after the first 15 s of a step.';
	const sure = `its heart-rate swing and LF power stand ${margins[closest].toFixed(2)} times the uncertainty of the difference above the closest rate, ${fmtRate(runner.rateBpm)} (more than ${CLAIM_MARGIN} is needed)`;
	const explanation = tooCloseToCall
		? `Too close to call between ${joinOr(tieRates.map(fmtRate))}: the differences in heart-rate swing and LF power between them are within what the breath-to-breath spread of this assessment can tell apart (${fmtRate(best.rateBpm)} came first, ${Math.max(0, margins[closest]).toFixed(2)} times that uncertainty above ${fmtRate(runner.rateBpm)}, where more than ${CLAIM_MARGIN} is needed). Repeat the assessment, or choose longer steps, to tell them apart.${noCoherence}${leftText}`
		: `${fmtRate(best.rateBpm)} came out best: ${sure}. ${capitalise(ledText)}${othersText}.${noCoherence}${leftText}`;
	return {
		steps: figures,
		ranks,
		bestRateBpm: best.rateBpm,
		runnerUpRateBpm: runner.rateBpm,
		tooCloseToCall,
		tieRatesBpm: tooCloseToCall ? tieRates : undefined,
		marginOverRunnerUp: margins[closest],
		explanation
	};
}

/**
 * How far `best` stands above `other`: for the swing and for the LF peak power, the difference over
 * the standard error of the difference (from each step's breath-to-breath spread), averaged. Both
 * measure one thing, the size of the breathing rhythm, so they are averaged rather than counted
 * as two tests.
 */
function marginOver(best: StepFigures, other: StepFigures): number {
	const z = (a: number, b: number, sa: number, sb: number) => {
		const se = Math.hypot(sa, sb);
		return se > 0 ? (a - b) / se : a > b ? Infinity : 0;
	};
	const zs = [
		z(best.peakTroughBpm, other.peakTroughBpm, best.peakTroughSeBpm, other.peakTroughSeBpm),
		z(best.lfPowerMs2, other.lfPowerMs2, best.lfPowerSeMs2, other.lfPowerSeMs2)
	].filter((v) => !Number.isNaN(v));
	return zs.length ? zs.reduce((s, v) => s + v, 0) / zs.length : 0;
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "a, b or c". */
export function joinOr(items: string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function joinAnd(items: string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
