/**
 * Beat times from RR intervals. RR values carry no timestamps (HRS spec; docs/hrv-algorithms.md
 * §1.4): times come from the running RR sum, anchored to packet arrival, and a gap is recorded
 * where the wall clock runs ahead of the RR sum (beats were lost) or the link dropped.
 */
import type { HeartRateMeasurement } from './hrm-packet';

export const BEAT_FLAG = { IMPLAUSIBLE: 1, SUSPECT_FIRST: 2, NO_CONTACT: 4, AFTER_GAP: 8 } as const;

/** timeMs: ms since the timeline's start, at the END of the interval. */
export interface Beat {
	timeMs: number;
	rrMs: number;
	flags: number;
}

export interface Gap {
	startMs: number;
	endMs: number;
	reason: 'link-lost' | 'missing-beats';
}

export const MIN_RR_MS = 250;
export const MAX_RR_MS = 2500;
/** How far arrival times may run ahead of the RR sum before beats count as lost (BLE jitter, buffering). */
export const DRIFT_TOLERANCE_MS = 2500;

export class BeatTimeline {
	private lastTimeMs: number | undefined;
	private seenAnyRr = false;
	private linkLostAtMs: number | undefined;
	private restored = false;
	private gapList: Gap[] = [];
	private count = 0;

	constructor(private readonly startEpochMs: number) {}

	get gaps(): readonly Gap[] {
		return this.gapList;
	}

	get beatCount(): number {
		return this.count;
	}

	add(m: HeartRateMeasurement, atEpochMs: number): Beat[] {
		if (m.rrMs.length === 0) return [];
		const arrivalMs = atEpochMs - this.startEpochMs;
		const packetSum = m.rrMs.reduce((a, b) => a + b, 0);
		let afterGap = false;
		let t: number;
		if (this.lastTimeMs === undefined) {
			// First beats: the packet's last beat ended when it arrived.
			t = Math.max(0, arrivalMs - packetSum);
		} else {
			t = this.lastTimeMs;
			const lag = arrivalMs - (t + packetSum);
			const linkGap = this.restored && this.linkLostAtMs !== undefined;
			if (linkGap || lag > DRIFT_TOLERANCE_MS) {
				const resumeAt = Math.max(t, arrivalMs - packetSum);
				this.gapList.push({
					startMs: t,
					endMs: resumeAt,
					reason: linkGap ? 'link-lost' : 'missing-beats'
				});
				t = resumeAt;
				afterGap = true;
			}
		}
		this.linkLostAtMs = undefined;
		this.restored = false;

		const contactFlag = m.contact === 'no-contact' ? BEAT_FLAG.NO_CONTACT : 0;
		const beats: Beat[] = m.rrMs.map((rrMs, i) => {
			let flags = contactFlag;
			if (rrMs < MIN_RR_MS || rrMs > MAX_RR_MS) flags |= BEAT_FLAG.IMPLAUSIBLE;
			// Some straps (Elite HRV CorSense) open with a code, not a beat.
			if (!this.seenAnyRr && i === 0 && rrMs < MIN_RR_MS) flags |= BEAT_FLAG.SUSPECT_FIRST;
			if (afterGap && i === 0) flags |= BEAT_FLAG.AFTER_GAP;
			t += rrMs;
			return { timeMs: t, rrMs, flags };
		});
		this.seenAnyRr = true;
		this.lastTimeMs = t;
		this.count += beats.length;
		return beats;
	}

	/** Continues a saved session whose last beat ended at lastTimeMs: the next beats follow a gap. */
	resumeAfter(lastTimeMs: number): void {
		this.lastTimeMs = lastTimeMs;
		this.seenAnyRr = true;
		this.linkLostAtMs = lastTimeMs;
		this.restored = true;
	}

	linkLost(atEpochMs: number): void {
		this.linkLostAtMs ??= atEpochMs - this.startEpochMs;
		this.restored = false;
	}

	linkRestored(_atEpochMs: number): void {
		if (this.linkLostAtMs !== undefined) this.restored = true;
	}
}
