/**
 * The accelerometer in 200 ms blocks (5 Hz): each block's mean x, y, z (what breathing moves, the
 * heartbeat's jolt and the noise averaged down) and its activity, the RMS of the samples about that
 * mean (what a movement shakes). 5 Hz keeps the fourth harmonic of a 20 /min breath; it is also
 * what a session stores, so the analysis can be redone from it: 4 numbers × 5 a second.
 */

export const BLOCK_MS = 200;

export interface MovementBlocks {
	/** Wall-clock start of block 0, ms. */
	startMs: number;
	/** Mean x y z per block, mG, interleaved; NaN where no sample fell (a lost link). */
	xyz: Float32Array;
	/** RMS of samples about the block's mean, mG; NaN where no sample fell. */
	activity: Float32Array;
}

export function blockCount(b: MovementBlocks): number {
	return b.activity.length;
}

/** Gathers timed samples into blocks on a grid that starts at `startMs`. */
export class BlockAccumulator {
	private xyz: number[] = [];
	private activity: number[] = [];
	private current = -1;
	private sum = [0, 0, 0];
	private sumSq = 0;
	private n = 0;

	constructor(readonly startMs: number) {}

	push(timeMs: ArrayLike<number>, xyz: ArrayLike<number>): void {
		for (let i = 0; i < timeMs.length; i++) {
			const k = Math.floor((timeMs[i] - this.startMs) / BLOCK_MS);
			if (k < this.current || k < 0) continue; // late or before the start: already closed
			if (k > this.current) {
				this.close();
				while (this.xyz.length / 3 < k) this.pushEmpty();
				this.current = k;
			}
			const x = xyz[3 * i],
				y = xyz[3 * i + 1],
				z = xyz[3 * i + 2];
			this.sum[0] += x;
			this.sum[1] += y;
			this.sum[2] += z;
			this.sumSq += x * x + y * y + z * z;
			this.n++;
		}
	}

	private pushEmpty(): void {
		this.xyz.push(NaN, NaN, NaN);
		this.activity.push(NaN);
	}

	private close(): void {
		if (this.current < 0 || this.n === 0) return;
		const m = this.sum.map((s) => s / this.n);
		this.xyz.push(m[0], m[1], m[2]);
		const variance = this.sumSq / this.n - (m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
		this.activity.push(Math.sqrt(Math.max(0, variance)));
		this.sum = [0, 0, 0];
		this.sumSq = 0;
		this.n = 0;
	}

	/** Closed blocks so far (the one filling now is left out). */
	get closedCount(): number {
		return this.activity.length;
	}

	/** Every block, the one still filling closed too (at the end of a session). */
	finish(): MovementBlocks {
		this.close();
		this.current = this.activity.length;
		return this.snapshot();
	}

	snapshot(fromBlock = 0): MovementBlocks {
		return {
			startMs: this.startMs + fromBlock * BLOCK_MS,
			xyz: Float32Array.from(this.xyz.slice(3 * fromBlock)),
			activity: Float32Array.from(this.activity.slice(fromBlock))
		};
	}
}
