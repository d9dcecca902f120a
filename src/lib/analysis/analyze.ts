/**
 * The full analysis of an RR series: artifacts → time → frequency → nonlinear → indices. The app
 * and the `analyze` command line both call this, so they can never disagree.
 */
import { correctArtifacts, detectArtifacts, type ArtifactReport } from './artifacts';
import { thresholdCorrection, type ThresholdLevel } from './artifacts/threshold';
import { frequencyDomain, type FrequencyDomain } from './frequency';
import type { BreathSummary } from './breath/estimate';
import { breathingRate } from './breath/rate';
import { autonomicIndices, stressIndex } from './indices';
import { nonlinearMetrics, type NonlinearMetrics } from './nonlinear';
import { DEFAULT_SETTINGS, type AnalysisSettings } from './settings';
import { timeDomain, type TimeDomain } from './time-domain';

export interface AnalyzeOptions {
	/** Correction, detrending, Welch window and interpolation rate (settings/index.ts). */
	settings?: Partial<AnalysisSettings>;
	frequencyMethod?: 'welch' | 'lomb';
	/**
	 * When each interval ended (ms), for the breath count: gaps in a recording are real time. The
	 * running sum of the intervals when absent (a file with intervals only).
	 */
	timeMs?: ArrayLike<number>;
	/** Breaths are counted from this time on (a session's settle-in is left out). */
	breathFromMs?: number;
}

export interface HrvAnalysis {
	/** The settings that produced these figures. */
	settings: AnalysisSettings;
	n: number;
	/** Beats analysed after correction. */
	nAnalysed: number;
	artifacts: ArtifactReport;
	time: TimeDomain;
	frequency: FrequencyDomain;
	nonlinear: NonlinearMetrics;
	indices: {
		stressIndex: number;
		baevskyStressIndex: number;
		pns: number;
		sns: number;
		/**
		 * Breaths a minute: counted breath by breath where the heart follows breathing, else the
		 * spectrum's breathing fundamental (breath/rate.ts); never the HF peak's harmonic.
		 */
		respirationRate: number;
		respirationSource: 'breaths' | 'spectrum' | 'none';
	};
	/**
	 * Breath by breath from the heart rate (breath/estimate.ts), read from the beats as recorded:
	 * its own cleaning drops artifacts and bridges their time, where correction's interpolation
	 * would flatten a breath's turn. Undefined for records too long to count (MAX_COUNTED_MS).
	 */
	breath?: BreathSummary;
	/** The series the metrics were computed on. */
	rrMs: Float64Array;
	corrected: Uint8Array;
}

export function analyzeRr(rrMs: ArrayLike<number>, options: AnalyzeOptions = {}): HrvAnalysis {
	const settings: AnalysisSettings = { ...DEFAULT_SETTINGS, ...options.settings };
	const fixed = correctWith(rrMs, settings.correction);
	const rr = fixed.rrMs;
	const time = timeDomain(rr);
	const frequency = frequencyDomain(rr, {
		method: options.frequencyMethod,
		lambda: settings.lambda,
		windowS: settings.windowS,
		resampleHz: settings.resampleHz
	});
	const nonlinear = nonlinearMetrics(rr);
	const si = stressIndex(rr);
	const { pns, sns } = autonomicIndices(time, nonlinear, si);
	const breathing = breathingRate(
		rrMs,
		options.timeMs ?? runningSum(rrMs),
		frequency.spectrum,
		options.breathFromMs
	);
	return {
		settings,
		n: rrMs.length,
		nAnalysed: rr.length,
		artifacts: fixed.report,
		time,
		frequency,
		nonlinear,
		indices: {
			stressIndex: si.kubios,
			baevskyStressIndex: si.baevsky,
			pns,
			sns,
			respirationRate: breathing.ratePerMin,
			respirationSource: breathing.source
		},
		breath: breathing.breath,
		rrMs: rr,
		corrected: fixed.corrected
	};
}

function correctWith(rrMs: ArrayLike<number>, correction: AnalysisSettings['correction']) {
	if (correction === 'automatic') return correctArtifacts(rrMs);
	const report = detectArtifacts(rrMs);
	if (correction !== 'none') return thresholdCorrection(rrMs, correction as ThresholdLevel, report);
	// No correction: the intervals as given; what the detector found is still reported.
	return {
		rrMs: Float64Array.from(rrMs),
		corrected: new Uint8Array(rrMs.length),
		report
	};
}

function runningSum(rrMs: ArrayLike<number>): Float64Array {
	const t = new Float64Array(rrMs.length);
	for (let i = 0, acc = 0; i < rrMs.length; i++) t[i] = acc += rrMs[i];
	return t;
}

/** The JSON shape the CLI prints (powers in ms², frequencies in Hz). */
export function analysisSummary(a: HrvAnalysis, withIndices = false) {
	const { time: t, frequency: f, nonlinear: nl } = a;
	return {
		settings: a.settings,
		n: a.n,
		artifacts: {
			ectopic: a.artifacts.ectopic,
			missed: a.artifacts.missed,
			extra: a.artifacts.extra,
			longShort: a.artifacts.longShort,
			percent: a.artifacts.percent,
			irregularPercent: a.artifacts.irregularPercent,
			...(withIndices ? { indices: a.artifacts.indices } : {})
		},
		time: {
			meanNN: t.meanNN,
			sdnn: t.sdnn,
			rmssd: t.rmssd,
			lnRmssd: t.lnRmssd,
			sdsd: t.sdsd,
			pnn50: t.pnn50,
			pnn20: t.pnn20,
			meanHR: t.meanHR,
			hti: t.hti,
			tinn: t.tinn
		},
		frequency: {
			vlf: f.vlf,
			lf: f.lf,
			hf: f.hf,
			totalPower: f.totalPower,
			lfNu: f.lfNu,
			hfNu: f.hfNu,
			lfhf: f.lfhf,
			lfPeak: f.lfPeak,
			hfPeak: f.hfPeak
		},
		nonlinear: {
			sd1: nl.sd1,
			sd2: nl.sd2,
			sampEn: nl.sampEn,
			apEn: nl.apEn,
			dfaA1: nl.dfaA1,
			dfaA2: nl.dfaA2
		},
		indices: {
			stressIndex: a.indices.stressIndex,
			pns: a.indices.pns,
			sns: a.indices.sns,
			respirationRate: a.indices.respirationRate,
			respirationSource: a.indices.respirationSource
		}
	};
}
