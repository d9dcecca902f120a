/**
 * Everything the session page draws, computed from the saved beats by the same engine as the
 * summary: heart rate with gaps, the tachogram with corrected beats marked, rolling RMSSD, Poincaré,
 * the spectrum with its bands, the RR histogram, every metric with a one-line explanation, and a
 * per-minute table as the text alternative of the curves.
 */
import { calmDown, settingsFrom, type HrvAnalysis } from '$lib/analysis';
import { getBeats, getEvents, getSession, type SessionRow } from '$lib/db';
import { currentBreathing } from './current-breathing';
import { measuredBreathingDetail, type MeasuredBreathingDetail } from './measured-breathing';
import type { BeatSeries } from '$lib/db/beats';
import { analyzeSession, calmDownCurve, usableBeats } from './summary';

export interface Point {
	x: number;
	y: number;
}

export interface MetricRow {
	group: string;
	label: string;
	value: string;
	explanation: string;
}

export interface MinuteRow {
	minute: number;
	hr: number;
	rmssd?: number;
	beats: number;
}

export interface SessionDetail {
	session: SessionRow;
	series: BeatSeries;
	analysis?: HrvAnalysis;
	hr: Point[];
	fit: Point[];
	gaps: { from: number; to: number }[];
	/** Where the person moved (minutes), from the strap's movement marks. */
	moved: { from: number; to: number }[];
	tachogram: Point[];
	corrected: Point[];
	rollingRmssd: Point[];
	poincare: Point[];
	spectrum: Point[];
	histogram: Point[];
	/** Shortest and longest saved interval (ms); undefined when there are none. */
	rrRange?: { min: number; max: number };
	metrics: MetricRow[];
	minutes: MinuteRow[];
	/** Breathing measured by the strap's accelerometer, when it had one. */
	breathing?: MeasuredBreathingDetail;
}

/** The engine needs about a minute of beats before frequency and nonlinear figures mean anything. */
export const MIN_BEATS_FOR_ANALYSIS = 60;
const HISTOGRAM_BIN_MS = 20;

export async function loadSessionDetail(id: string): Promise<SessionDetail | undefined> {
	const session = await getSession(id);
	if (!session) return undefined;
	const [series, events, breathing] = await Promise.all([
		getBeats(id),
		getEvents(id),
		currentBreathing(id)
	]);
	const curve = calmDownCurve(series, events, breathing?.movements);
	const { rrMs, timeMs } = usableBeats(series);
	const analysis =
		rrMs.length >= MIN_BEATS_FOR_ANALYSIS
			? analyzeSession(rrMs, timeMs, settingsFrom(session.analysisSettings))
			: undefined;
	const marked = new Set(analysis?.artifacts.indices ?? []);
	const tachogram: Point[] = [];
	const corrected: Point[] = [];
	rrMs.forEach((rr, i) => {
		const p = { x: timeMs[i] / 60000, y: rr };
		tachogram.push(p);
		if (marked.has(i)) corrected.push(p);
	});
	const clean = analysis?.rrMs ?? Float64Array.from(rrMs);
	// Corrected values where the correction kept the beat count (as the summary does), so one
	// ectopic beat does not spike a minute of RMSSD.
	const forRolling = analysis && analysis.rrMs.length === rrMs.length ? analysis.rrMs : rrMs;
	const rolling = rrMs.length > 10 ? calmDown(forRolling, timeMs).lnRmssdSeries : [];
	return {
		session,
		series,
		analysis,
		hr: curve.hr,
		fit: curve.fit,
		gaps: curve.gaps,
		moved: curve.moved,
		tachogram,
		corrected,
		rollingRmssd: rolling.map((p) => ({ x: p.x / 60, y: Math.exp(p.y) })),
		poincare: poincarePoints(clean),
		spectrum: analysis ? spectrumPoints(analysis) : [],
		histogram: histogram(clean),
		rrRange: range(clean),
		metrics: analysis ? metricRows(analysis) : [],
		minutes: perMinute(rrMs, timeMs),
		breathing: breathing ? measuredBreathingDetail(breathing, analysis?.breath) : undefined
	};
}

/** Dots beyond this many add nothing visible but cost seconds to draw (a day holds 100,000). */
const MAX_POINCARE_DOTS = 8000;

function poincarePoints(rr: ArrayLike<number>): Point[] {
	const n = Math.max(0, rr.length - 1);
	const step = Math.max(1, Math.ceil(n / MAX_POINCARE_DOTS));
	const out: Point[] = [];
	for (let i = 0; i < n; i += step) out.push({ x: rr[i], y: rr[i + 1] });
	return out;
}

function spectrumPoints(a: HrvAnalysis): Point[] {
	const { freq, psd } = a.frequency.spectrum;
	const out: Point[] = [];
	for (let i = 0; i < freq.length && freq[i] <= 0.5; i++) out.push({ x: freq[i], y: psd[i] });
	return out;
}

function range(rr: ArrayLike<number>): { min: number; max: number } | undefined {
	if (rr.length === 0) return undefined;
	let lo = Infinity;
	let hi = -Infinity;
	for (let i = 0; i < rr.length; i++) {
		lo = Math.min(lo, rr[i]);
		hi = Math.max(hi, rr[i]);
	}
	return { min: lo, max: hi };
}

function histogram(rr: ArrayLike<number>): Point[] {
	if (rr.length === 0) return [];
	const counts = new Map<number, number>();
	for (let i = 0; i < rr.length; i++) {
		const k = Math.floor(rr[i] / HISTOGRAM_BIN_MS);
		counts.set(k, (counts.get(k) ?? 0) + 1);
	}
	const keys = [...counts.keys()];
	const lo = Math.min(...keys);
	const hi = Math.max(...keys);
	const out: Point[] = [];
	for (let k = lo - 1; k <= hi + 1; k++)
		out.push({ x: (k + 0.5) * HISTOGRAM_BIN_MS, y: counts.get(k) ?? 0 });
	return out;
}

function perMinute(rr: readonly number[], t: readonly number[]): MinuteRow[] {
	const rows: MinuteRow[] = [];
	let i = 0;
	while (i < rr.length) {
		const minute = Math.floor(t[i] / 60000);
		let sum = 0;
		let sq = 0;
		let diffs = 0;
		const start = i;
		for (; i < rr.length && Math.floor(t[i] / 60000) === minute; i++) {
			sum += rr[i];
			if (i > start) {
				sq += (rr[i] - rr[i - 1]) ** 2;
				diffs++;
			}
		}
		const n = i - start;
		rows.push({
			minute: minute + 1,
			hr: 60000 / (sum / n),
			rmssd: diffs >= 5 ? Math.sqrt(sq / diffs) : undefined,
			beats: n
		});
	}
	return rows;
}

const f = (v: number, digits: number, unit = '') =>
	Number.isFinite(v) ? `${v.toFixed(digits)}${unit ? ` ${unit}` : ''}` : '–';

const RATE_FROM: Record<HrvAnalysis['indices']['respirationSource'], string> = {
	breaths: 'Counted breath by breath from the heart rate’s rise and fall.',
	spectrum:
		'The heart did not follow breathing clearly enough to count each breath: the HF peak, as Kubios reports it, or the LF peak when slow breathing made the HF peak its harmonic.',
	none: 'Too little to read a breathing rhythm from.'
};

function breathingRows(a: HrvAnalysis): [string, string, string, string][] {
	const { breath } = a;
	return [
		[
			'Breathing',
			'Breaths a minute',
			f(a.indices.respirationRate, 1, '/min'),
			RATE_FROM[a.indices.respirationSource]
		],
		...(breath
			? ([
					[
						'Breathing',
						'Out-breath / in-breath',
						f(breath.medianRatio, 2, '×'),
						breath.reliable
							? 'Median of each breath, read from the heart rate’s rise and fall; constructive rest aims for about 1.5×.'
							: 'Not readable here: the heart rate did not follow breathing clearly enough.'
					]
				] as [string, string, string, string][])
			: [])
	];
}

function metricRows(a: HrvAnalysis): MetricRow[] {
	const t = a.time;
	const q = a.frequency;
	const nl = a.nonlinear;
	const ix = a.indices;
	const rows: [string, string, string, string][] = [
		['Signal', 'Beats analysed', String(a.nAnalysed), 'RR intervals after correction.'],
		[
			'Signal',
			'Corrected beats',
			f(a.artifacts.percent, 1, '%'),
			'Ectopic, missed or extra beats found and replaced; above 5 % the figures are less reliable.'
		],
		['Time', 'Mean RR', f(t.meanNN, 0, 'ms'), 'Average time between beats.'],
		['Time', 'Mean heart rate', f(t.meanHR, 1, 'bpm'), 'Beats per minute, averaged.'],
		['Time', 'Min – max heart rate', `${f(t.minHR, 0)} – ${f(t.maxHR, 0, 'bpm')}`, 'The range.'],
		[
			'Time',
			'SDNN',
			f(t.sdnn, 1, 'ms'),
			'Overall variability: the standard deviation of all intervals.'
		],
		[
			'Time',
			'RMSSD',
			f(t.rmssd, 1, 'ms'),
			'Beat-to-beat variability, driven by the vagus nerve: higher when you are at rest.'
		],
		['Time', 'lnRMSSD', f(t.lnRmssd, 2), 'Natural log of RMSSD, the usual scale for daily trends.'],
		['Time', 'pNN50', f(t.pnn50, 1, '%'), 'Share of successive intervals differing by over 50 ms.'],
		['Time', 'HRV triangular index', f(t.hti, 1), 'Beats divided by the histogram’s peak height.'],
		['Time', 'TINN', f(t.tinn, 0, 'ms'), 'Width of the triangle fitted to the RR histogram.'],
		[
			'Frequency',
			'VLF power',
			f(q.vlf, 0, 'ms²'),
			'Below 0.04 Hz: slow regulation; needs long recordings.'
		],
		[
			'Frequency',
			'LF power',
			f(q.lf, 0, 'ms²'),
			'0.04–0.15 Hz: blood-pressure regulation, and slow breathing (6/min).'
		],
		[
			'Frequency',
			'HF power',
			f(q.hf, 0, 'ms²'),
			'0.15–0.4 Hz: the breathing rhythm in the heart rate (vagal).'
		],
		[
			'Frequency',
			'LF / HF',
			f(q.lfhf, 2),
			'Balance of the two bands; slow breathing raises it without meaning stress.'
		],
		[
			'Frequency',
			'HF peak',
			f(q.hfPeak, 3, 'Hz'),
			'Highest point of the 0.15–0.4 Hz band; below 9 breaths a minute it is a harmonic of the breath, not its rate.'
		],
		...breathingRows(a),
		[
			'Nonlinear',
			'SD1',
			f(nl.sd1, 1, 'ms'),
			'Poincaré width: short-term variability (tracks RMSSD).'
		],
		['Nonlinear', 'SD2', f(nl.sd2, 1, 'ms'), 'Poincaré length: longer-term variability.'],
		[
			'Nonlinear',
			'Sample entropy',
			f(nl.sampEn, 2),
			'How unpredictable the rhythm is; lower means more regular.'
		],
		['Nonlinear', 'Approximate entropy', f(nl.apEn, 2), 'An older measure of the same.'],
		[
			'Nonlinear',
			'DFA α1',
			f(nl.dfaA1, 2),
			'Short-term fractal correlation (4–16 beats); about 1 at rest, lower in deep relaxation.'
		],
		['Nonlinear', 'DFA α2', f(nl.dfaA2, 2), 'Longer-term correlation (16–64 beats).'],
		[
			'Indices',
			'Stress index',
			f(ix.stressIndex, 1),
			'Square root of Baevsky’s index: high when the rhythm is rigid.'
		],
		[
			'Indices',
			'PNS index',
			f(ix.pns, 2),
			'Parasympathetic (rest) activity against population norms; 0 is average.'
		],
		[
			'Indices',
			'SNS index',
			f(ix.sns, 2),
			'Sympathetic (arousal) activity against population norms; 0 is average.'
		]
	];
	return rows.map(([group, label, value, explanation]) => ({ group, label, value, explanation }));
}
