/**
 * Live figures for the dashboard, fed beat by beat during a recording.
 */
import { BEAT_FLAG, type Beat } from '$lib/strap/beat-timeline';

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
	relaxation?: number;
	/** Share of beats flagged (implausible, no contact, ectopic), %. */
	flaggedPercent: number;
}

export function emptyLiveFigures(): LiveFigures {
	return { flaggedPercent: 0 };
}

export const SPECTRAL_STEP_MS = 5000;

export class LiveTracker {
	private flagged = 0;
	private total = 0;
	private nextSpectralMs = SPECTRAL_STEP_MS;
	private slow: Pick<LiveFigures, 'coherence' | 'respirationRate' | 'relaxation'> = {};

	push(beat: Beat): void {
		this.total++;
		if (beat.flags & ~BEAT_FLAG.AFTER_GAP) this.flagged++;
	}

	figures(beats: readonly Beat[]): { live: LiveFigures; rmssdPoint?: ChartPoint } {
		const last = beats[beats.length - 1];
		const live: LiveFigures = {
			...this.slow,
			rmssd30: rmssdOver(beats, 30000),
			rmssd60: rmssdOver(beats, 60000),
			hr: hrOver(beats, 10000),
			flaggedPercent: this.total ? (100 * this.flagged) / this.total : 0
		};
		let rmssdPoint: ChartPoint | undefined;
		if (last && last.timeMs >= this.nextSpectralMs) {
			this.nextSpectralMs = last.timeMs + SPECTRAL_STEP_MS;
			if (live.rmssd60 !== undefined) rmssdPoint = { x: last.timeMs / 1000, y: live.rmssd60 };
		}
		return { live, rmssdPoint };
	}
}

function rmssdOver(beats: readonly Beat[], windowMs: number): number | undefined {
	const end = beats.length - 1;
	if (end < 1) return undefined;
	const from = beats[end].timeMs - windowMs;
	let sum = 0;
	let n = 0;
	for (let i = end; i > 0 && beats[i - 1].timeMs >= from; i--) {
		if (beats[i].flags || beats[i - 1].flags & ~BEAT_FLAG.AFTER_GAP) continue;
		const d = beats[i].rrMs - beats[i - 1].rrMs;
		sum += d * d;
		n++;
	}
	return n >= 5 ? Math.sqrt(sum / n) : undefined;
}

function hrOver(beats: readonly Beat[], windowMs: number): number | undefined {
	const end = beats.length - 1;
	if (end < 0) return undefined;
	const from = beats[end].timeMs - windowMs;
	let sum = 0;
	let n = 0;
	for (let i = end; i >= 0 && beats[i].timeMs >= from; i--) {
		if (beats[i].flags) continue;
		sum += beats[i].rrMs;
		n++;
	}
	return n ? 60000 / (sum / n) : undefined;
}
