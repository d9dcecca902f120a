/**
 * Beat times from RR intervals. RR values carry no timestamps (HRS spec; docs/hrv-algorithms.md
 * §1.4): times come from the running RR sum, anchored to packet arrival, and a gap is recorded
 * where the wall clock runs ahead of the RR sum (beats were lost) or the link dropped.
 *
 * Live, a stretch of beats (from the first packet, or the first after a gap, to the next gap) is
 * anchored as if that packet's last beat had ended the moment it arrived, so its times come out
 * late by that packet's latency: the wait for the strap's next send (it sends about once a second
 * the beats that ended since its last send: 0 to ~1 s) plus the transport (one BLE connection
 * interval, tens of ms, more on a poor link or a busy page). The timeline measures that as it
 * goes: every packet's last beat ended before it arrived, so arrival − placed end of its last beat
 * (its lag) is that packet's latency minus the anchoring error, and the smallest lag of a stretch
 * is −(anchoring error) + the smallest latency among its packets. The timeline keeps that per
 * stretch (`stretches`); beat-correction.ts turns it into the shift that puts each stretch's beats
 * right, which the recorder applies to the stored beats when the session is saved (live times stay
 * as placed, so they never jump).
 * Corrected times are late by the smallest latency of the stretch (not early: no packet arrives
 * before its beats end): the transport delay plus the shortest wait for a send, about 1/N s over
 * N packets. Measured (200 sessions simulated as in tests/unit/strap/beat-timeline.test.ts, 15
 * minutes, the strap's 1 s tick, 10-50 ms transport, the first packet up to 1 s later still):
 * 18 ms late on average, 95 % of sessions under 27 ms, at most 34 ms (5 minutes: 24 ms, at most
 * 45 ms); placed live, 1.2 s on average, 0.1-2.1 s. With every packet a further 0-1 s late (a poor
 * link, a busy page): 70 ms on average, 95 % under 105 ms, at most 160 ms (live: 0.9-2.7 s). What
 * the packets cannot show stays: a delay inside the strap before it reports a beat (the same for
 * every packet), and the strap's clock running apart from the phone's (crystals: about 20 ppm,
 * 70 ms an hour), which one shift per stretch does not follow.
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

/** A stretch of beats timed from one anchor: the first packet, or the first after a gap. */
export interface Stretch {
	/** Index of its first beat among the beats this timeline has given, in order. */
	firstBeat: number;
	/** Placed start of its first interval: the anchor (the end of the gap before it). */
	fromMs: number;
	/** Placed end of the beat before the gap that opened it (undefined for the first stretch). */
	afterMs?: number;
	/** The smallest arrival − placed end of the packet's last beat over its packets. */
	minLagMs: number;
	/** Packets with RR values in it: the more, the smaller the latency left over. */
	packets: number;
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
	private stretchList: Stretch[] = [];
	private resumedAt: number | undefined;

	constructor(private readonly startEpochMs: number) {}

	get gaps(): readonly Gap[] {
		return this.gapList;
	}

	get beatCount(): number {
		return this.count;
	}

	get stretches(): readonly Stretch[] {
		return this.stretchList;
	}

	/** Resumed after saved beats ending here: its first stretch follows them (they stay put). */
	get resumedAfterMs(): number | undefined {
		return this.resumedAt;
	}

	add(m: HeartRateMeasurement, atEpochMs: number): Beat[] {
		if (m.rrMs.length === 0) return [];
		const arrivalMs = atEpochMs - this.startEpochMs;
		const packetSum = m.rrMs.reduce((a, b) => a + b, 0);
		let afterGap = false;
		const beforeMs = this.lastTimeMs;
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
		const anchorMs = t;

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
		const lagMs = arrivalMs - t;
		const current = this.stretchList[this.stretchList.length - 1];
		if (beforeMs === undefined || afterGap || !current) {
			this.stretchList.push({
				firstBeat: this.count,
				fromMs: anchorMs,
				afterMs: beforeMs,
				minLagMs: lagMs,
				packets: 1
			});
		} else {
			current.minLagMs = Math.min(current.minLagMs, lagMs);
			current.packets++;
		}
		this.count += beats.length;
		return beats;
	}

	/** Continues a saved session whose last beat ended at lastTimeMs: the next beats follow a gap. */
	resumeAfter(lastTimeMs: number): void {
		this.lastTimeMs = lastTimeMs;
		this.resumedAt = lastTimeMs;
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
