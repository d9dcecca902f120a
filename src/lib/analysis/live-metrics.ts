/**
 * Live figures during a recording, beat by beat: RMSSD over the last 30 s and 60 s and heart rate
 * over the last 10 s in amortized O(1) per beat (running sums over sliding windows), and every 5 s
 * of beat time the coherence and breathing rate of the last 64 s (a bounded amount of work).
 * The windowed values equal the batch function `rmssdWindow` on the same beats.
 */
import { coherenceOfWindow, COHERENCE_WINDOW_S } from './coherence';

interface Diff {
	timeMs: number;
	sq: number;
}

/** A sliding time window of successive differences with a running sum of squares. */
class DiffWindow {
	private items: Diff[] = [];
	private head = 0;
	private sum = 0;
	constructor(private readonly spanMs: number) {}

	push(d: Diff, nowMs: number): void {
		this.items.push(d);
		this.sum += d.sq;
		while (this.head < this.items.length && this.items[this.head].timeMs <= nowMs - this.spanMs) {
			this.sum -= this.items[this.head++].sq;
		}
		// Compact now and then so memory stays bounded by the window.
		if (this.head > 1024 && this.head * 2 > this.items.length) {
			this.items = this.items.slice(this.head);
			this.head = 0;
		}
	}

	expire(nowMs: number): void {
		while (this.head < this.items.length && this.items[this.head].timeMs <= nowMs - this.spanMs) {
			this.sum -= this.items[this.head++].sq;
		}
	}

	rmssd(minCount = 5): number | undefined {
		const n = this.items.length - this.head;
		return n >= minCount ? Math.sqrt(Math.max(0, this.sum) / n) : undefined;
	}
}

/**
 * Batch RMSSD of the successive differences whose later beat ends within (end − windowMs, end];
 * a difference is used only when neither of its beats is flagged.
 */
export function rmssdWindow(
	rrMs: ArrayLike<number>,
	timeMs: ArrayLike<number>,
	windowMs: number,
	flagged?: ArrayLike<boolean | number>
): number | undefined {
	const end = timeMs[timeMs.length - 1];
	let sum = 0;
	let n = 0;
	for (let i = 1; i < rrMs.length; i++) {
		if (timeMs[i] <= end - windowMs) continue;
		if (flagged && (flagged[i] || flagged[i - 1])) continue;
		sum += (rrMs[i] - rrMs[i - 1]) ** 2;
		n++;
	}
	return n >= 5 ? Math.sqrt(sum / n) : undefined;
}

export const SPECTRAL_STEP_MS = 5000;

export class LiveMetrics {
	private w30 = new DiffWindow(30_000);
	private w60 = new DiffWindow(60_000);
	private hrBeats: { timeMs: number; rr: number }[] = [];
	private hrHead = 0;
	private hrSum = 0;
	private prev?: { rr: number; flagged: boolean };
	/** Recent clean beats for the 5 s spectral step (a bit over 64 s of them). */
	private recent: { timeMs: number; rr: number }[] = [];
	private nextSpectralMs = SPECTRAL_STEP_MS;
	coherence?: number;
	respirationRate?: number;
	lastTimeMs = 0;

	push(rrMs: number, timeMs: number, flagged = false): void {
		this.lastTimeMs = timeMs;
		if (!flagged && this.prev && !this.prev.flagged) {
			const d = { timeMs, sq: (rrMs - this.prev.rr) ** 2 };
			this.w30.push(d, timeMs);
			this.w60.push(d, timeMs);
		} else {
			this.w30.expire(timeMs);
			this.w60.expire(timeMs);
		}
		this.prev = { rr: rrMs, flagged };
		if (!flagged) {
			this.hrBeats.push({ timeMs, rr: rrMs });
			this.hrSum += rrMs;
			this.recent.push({ timeMs, rr: rrMs });
		}
		while (
			this.hrHead < this.hrBeats.length &&
			this.hrBeats[this.hrHead].timeMs <= timeMs - 10_000
		) {
			this.hrSum -= this.hrBeats[this.hrHead++].rr;
		}
		if (this.hrHead > 1024) {
			this.hrBeats = this.hrBeats.slice(this.hrHead);
			this.hrHead = 0;
		}
		if (timeMs >= this.nextSpectralMs) {
			this.nextSpectralMs = timeMs + SPECTRAL_STEP_MS;
			this.spectralStep(timeMs);
		}
	}

	private spectralStep(nowMs: number): void {
		const from = nowMs - (COHERENCE_WINDOW_S + 4) * 1000;
		let k = 0;
		while (k < this.recent.length && this.recent[k].timeMs < from) k++;
		if (k > 0) this.recent = this.recent.slice(k);
		const c = coherenceOfWindow(this.recent.map((b) => b.rr));
		this.coherence = Number.isFinite(c.coherence) ? c.coherence : undefined;
		this.respirationRate = Number.isFinite(c.respirationRate) ? c.respirationRate : undefined;
	}

	get rmssd30(): number | undefined {
		return this.w30.rmssd();
	}
	get rmssd60(): number | undefined {
		return this.w60.rmssd();
	}
	/** Mean heart rate of the clean beats in the last 10 s (bpm). */
	get hr(): number | undefined {
		const n = this.hrBeats.length - this.hrHead;
		return n > 0 ? 60000 / (this.hrSum / n) : undefined;
	}
}
