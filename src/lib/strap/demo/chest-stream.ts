/**
 * The demo strap's accelerometer, fetched when a recording first wants it: the chest model's
 * samples in H10 frames (12 samples a frame, the sensor's nanosecond timestamps), encoded
 * and parsed as a real strap's are, and put on the wall clock by the same AccClock.
 */
import { ChestModel, type ChestOptions } from './chest-model';
import { encodeAccFrame, parseAccFrame } from '../pmd/acc-frame';
import { AccClock } from '../pmd/sample-times';
import type { MovementSamples } from '../types';

const SAMPLES_PER_FRAME = 12;
/** An H10 whose clock was never set counts from 2019-01-01, in ns since 2000-01-01. */
const SENSOR_EPOCH_NS = 599_616_000n * 1_000_000_000n;

export class DemoChestStream {
	private chest: ChestModel;
	private clock: AccClock;
	/** Model time of the next sample. */
	private nextS = 0;

	constructor(
		options: ChestOptions,
		private rateHz: number
	) {
		this.chest = new ChestModel(options);
		this.clock = new AccClock(rateHz);
	}

	/** Streaming (again) from model time `atS`: what came before is not sent. */
	restart(atS: number): void {
		this.nextS = atS;
		this.clock.restart();
	}

	/**
	 * Every whole frame up to model time `elapsedS`, with lungs `fill(t)` full; `nowMs` is the wall
	 * clock at `elapsedS` (each frame arrives as its last sample is taken).
	 */
	frames(elapsedS: number, nowMs: number, fill: (tS: number) => number): MovementSamples[] {
		const out: MovementSamples[] = [];
		const step = 1 / this.rateHz;
		while (this.nextS + (SAMPLES_PER_FRAME - 1) * step <= elapsedS) {
			const xyz: number[] = [];
			for (let i = 0; i < SAMPLES_PER_FRAME; i++) {
				const t = this.nextS + i * step;
				xyz.push(...this.chest.sample(t, fill(t)));
			}
			const lastS = this.nextS + (SAMPLES_PER_FRAME - 1) * step;
			this.nextS += SAMPLES_PER_FRAME * step;
			const stamp = SENSOR_EPOCH_NS + BigInt(Math.round(lastS * 1e9));
			const frame = parseAccFrame(encodeAccFrame(stamp, xyz));
			if (frame.ok) out.push(this.clock.place(frame.value, nowMs - (elapsedS - lastS) * 1000));
		}
		return out;
	}
}
