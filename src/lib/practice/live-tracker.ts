/**
 * Live figures for the dashboard, fed beat by beat during a recording: the analysis engine's
 * LiveMetrics (RMSSD, heart rate, coherence, breathing) on the beats the artifact screen kept
 * (beat-screen.ts, three beats behind) and, every 5 s, how far heart rate has settled so far
 * (first two minutes against the latest two).
 */
import { calmDown, estimateBreaths, LiveMetrics, SPECTRAL_STEP_MS } from '$lib/analysis';
import type { Beat } from '$lib/strap/beat-timeline';
import { BEAT_FLAG } from '$lib/strap/beat-timeline';
import { BeatScreen } from './beat-screen';

export interface ChartPoint {
	x: number;
	y: number;
}

export interface LiveFigures {
	rmssd30?: number;
	rmssd60?: number;
	hr?: number;
	coherence?: number;
	respirationRate?: number;
	/** Heart rate now (latest window) minus at the start (first window), bpm: negative as it settles. */
	hrChange?: number;
	/**
	 * The breathing read from the heart over the last minute: out-breath over in-breath, breaths a
	 * minute, and whether the heart follows breathing clearly enough to read it.
	 */
	breath?: { ratio: number; ratePerMin: number; reliable: boolean };
	/** Share of beats set aside (implausible, no contact, ectopic-looking), %. */
	flaggedPercent: number;
}

export function emptyLiveFigures(): LiveFigures {
	return { flaggedPercent: 0 };
}

/** The live breath estimate reads the last minute: about six slow breaths. */
const BREATH_WINDOW_MS = 60_000;

export class LiveTracker {
	private metrics = new LiveMetrics();
	private screen = new BeatScreen();
	private flagged = 0;
	private total = 0;
	private nextStepMs = SPECTRAL_STEP_MS;
	private hrChange?: number;
	private breath?: LiveFigures['breath'];
	private cleanRr: number[] = [];
	private cleanT: number[] = [];
	private lastRmssdPoint?: ChartPoint;

	/** Takes a beat; the figures follow SCREEN_DELAY beats behind, once the screen has judged it. */
	push(beat: Beat): void {
		for (const { beat: judged, suspect } of this.screen.push(beat)) this.take(judged, suspect);
	}

	private take(beat: Beat, suspect: boolean): void {
		this.total++;
		if (suspect) this.flagged++;
		else {
			this.cleanRr.push(beat.rrMs);
			this.cleanT.push(beat.timeMs);
		}
		// A beat after a gap starts a new difference chain.
		this.metrics.push(beat.rrMs, beat.timeMs, suspect || (beat.flags & BEAT_FLAG.AFTER_GAP) !== 0);
		if (beat.timeMs >= this.nextStepMs) {
			this.nextStepMs = beat.timeMs + SPECTRAL_STEP_MS;
			const c = this.cleanRr.length > 30 ? calmDown(this.cleanRr, this.cleanT) : undefined;
			// Before a full minute there are too few breaths to judge: "reading", not "unreadable".
			const b =
				beat.timeMs >= BREATH_WINDOW_MS
					? estimateBreaths(this.cleanRr, this.cleanT, beat.timeMs - BREATH_WINDOW_MS)
					: undefined;
			this.breath =
				b && Number.isFinite(b.ratePerMin)
					? { ratio: b.medianRatio, ratePerMin: b.ratePerMin, reliable: b.reliable }
					: undefined;
			const drop = c?.settling.hrDropBpm;
			this.hrChange = drop !== undefined && Number.isFinite(drop) ? -drop : undefined;
			const r = this.metrics.rmssd60;
			this.lastRmssdPoint = r !== undefined ? { x: beat.timeMs / 1000, y: r } : undefined;
		}
	}

	/** The figures now, and a new RMSSD chart point when a 5 s step has just passed. */
	figures(): { live: LiveFigures; rmssdPoint?: ChartPoint } {
		const m = this.metrics;
		const point = this.lastRmssdPoint;
		this.lastRmssdPoint = undefined;
		return {
			live: {
				rmssd30: m.rmssd30,
				rmssd60: m.rmssd60,
				hr: m.hr,
				coherence: m.coherence,
				// One breathing rate: counted breath by breath when the heart follows breathing.
				respirationRate: this.breath?.reliable ? this.breath.ratePerMin : m.respirationRate,
				hrChange: this.hrChange,
				breath: this.breath,
				flaggedPercent: this.total ? (100 * this.flagged) / this.total : 0
			},
			rmssdPoint: point
		};
	}
}
