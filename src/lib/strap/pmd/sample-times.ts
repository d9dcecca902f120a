/**
 * Each ACC sample's time, from the frames' timestamps and the rate (PmdTimeStampUtils.kt): a frame
 * carries only its last sample's sensor time. With a previous frame, the samples share the time
 * since it evenly; the first frame (or one after a gap) steps back from its last sample at the
 * nominal rate. How many samples a notification holds is not documented: nothing here assumes it.
 *
 * Sensor time is then put on the wall clock (ms, Date.now()'s): a frame arrives some latency after
 * its last sample, so the offset with the least latency seen so far is used (a quicker frame moves
 * it earlier, by at most the latency it had; samples already placed are not moved back).
 */
import type { AccFrame } from './acc-frame';

export interface AccSamples {
	/** Wall-clock times, ms. */
	timeMs: Float64Array;
	/** mG, x y z interleaved. */
	xyz: Int32Array;
}

/** A frame's spacing this far from the nominal one is a gap (a lost link), not a slower clock. */
const GAP_TOLERANCE = 0.25;

export class AccClock {
	private previousNs?: bigint;
	/** wall ms − sensor ms with the least latency so far. */
	private offsetMs?: number;
	private lastPlacedMs = -Infinity;

	constructor(private rateHz: number) {}

	/** A new link: the next frame's spacing is not measured from the last one before it. */
	restart(rateHz = this.rateHz): void {
		this.rateHz = rateHz;
		this.previousNs = undefined;
	}

	/** The frame's samples' sensor times, ns relative to its last sample (≤ 0). */
	sensorTimes(frame: AccFrame): number[] {
		const n = frame.count;
		const nominalNs = 1e9 / this.rateHz;
		let deltaNs = nominalNs;
		if (this.previousNs !== undefined && frame.timestampNs > this.previousNs) {
			const measured = Number(frame.timestampNs - this.previousNs) / n;
			if (Math.abs(measured / nominalNs - 1) <= GAP_TOLERANCE) deltaNs = measured;
		}
		this.previousNs = frame.timestampNs;
		return Array.from({ length: n }, (_, i) => (i - (n - 1)) * deltaNs);
	}

	/** The frame's samples on the wall clock, given when it arrived. */
	place(frame: AccFrame, arrivedMs: number): AccSamples {
		const rel = this.sensorTimes(frame);
		const lastSensorMs = Number(frame.timestampNs / 1000n) / 1000;
		const offset = arrivedMs - lastSensorMs;
		if (this.offsetMs === undefined || offset < this.offsetMs) this.offsetMs = offset;
		const timeMs = new Float64Array(frame.count);
		for (let i = 0; i < frame.count; i++) {
			// Never earlier than what is already placed: a quicker frame moves the clock, not the past.
			const t = Math.max(lastSensorMs + this.offsetMs + rel[i] / 1e6, this.lastPlacedMs + 0.001);
			timeMs[i] = t;
			this.lastPlacedMs = t;
		}
		return { timeMs, xyz: frame.xyz };
	}
}
