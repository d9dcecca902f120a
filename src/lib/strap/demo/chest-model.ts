/**
 * A chest strap's accelerometer on a person lying on their back, sample by sample (mG): gravity
 * seen through the chest's tilt, which changes by a degree or two with each breath (the lung fill
 * given by the caller), a slow settling drift, the heartbeat's small jolt, sensor noise, and
 * movements: a shift of position (a burst, then a new resting tilt) or getting up (a burst, then
 * upright, where breathing barely tilts the strap). Which sensor axis the breath moves is not
 * known on a real strap, so here it is a seeded mix of two. Used by the demo strap and, as the
 * known truth, by the breathing analysis's tests.
 */
import { gaussian, mulberry32 } from './random';

export interface ChestMovement {
	atS: number;
	durationS: number;
	kind: 'shift' | 'get-up';
}

export interface ChestOptions {
	seed?: number;
	/** Chest tilt between empty and full lungs, degrees. */
	depthDeg?: number;
	noiseMg?: number;
	/** Slow tilt of a person settling: this many degrees, exponentially over `settleTauS`. */
	settleDeg?: number;
	settleTauS?: number;
	heartJoltMg?: number;
	heartBpm?: number;
	movements?: ChestMovement[];
}

const DEG = Math.PI / 180;

export class ChestModel {
	private rand: () => number;
	private o: Required<ChestOptions>;
	private basePitch: number;
	private baseRoll: number;
	/** The breath tilts about this direction (radians) in the pitch/roll plane. */
	private breathAxis: number;
	private shifts: { atS: number; dPitch: number; dRoll: number }[];

	constructor(options: ChestOptions = {}) {
		this.rand = mulberry32(options.seed ?? 11);
		this.o = {
			seed: options.seed ?? 11,
			depthDeg: options.depthDeg ?? 1.5,
			noiseMg: options.noiseMg ?? 3,
			settleDeg: options.settleDeg ?? 3,
			settleTauS: options.settleTauS ?? 120,
			heartJoltMg: options.heartJoltMg ?? 6,
			heartBpm: options.heartBpm ?? 66,
			movements: options.movements ?? []
		};
		this.basePitch = (-10 + 20 * this.rand()) * DEG;
		this.baseRoll = (-10 + 20 * this.rand()) * DEG;
		this.breathAxis = this.rand() * Math.PI;
		this.shifts = this.o.movements.map((m) => ({
			atS: m.atS + m.durationS,
			dPitch: m.kind === 'get-up' ? -80 * DEG : (4 + 6 * this.rand()) * DEG,
			dRoll: m.kind === 'get-up' ? 0 : (-8 + 16 * this.rand()) * DEG
		}));
	}

	/** The movement under way at `tS`, if any. */
	movementAt(tS: number): ChestMovement | undefined {
		return this.o.movements.find((m) => tS >= m.atS && tS < m.atS + m.durationS);
	}

	/** One sample [x, y, z] in mG at `tS` with lungs `fill` full (0-1). */
	sample(tS: number, fill: number): [number, number, number] {
		const o = this.o;
		let pitch = this.basePitch + o.settleDeg * DEG * (1 - Math.exp(-tS / o.settleTauS));
		let roll = this.baseRoll;
		let depth = o.depthDeg * DEG;
		for (const s of this.shifts) {
			if (tS < s.atS) continue;
			pitch += s.dPitch;
			roll += s.dRoll;
			if (s.dPitch < -1) depth *= 0.2; // upright: breathing hardly tilts the chest
		}
		const moving = this.movementAt(tS);
		if (moving) {
			// Halfway through, as the body turns: the tilt swings over the burst.
			const k = (tS - moving.atS) / moving.durationS;
			const shift = this.shifts[this.o.movements.indexOf(moving)];
			pitch += shift.dPitch * k;
			roll += shift.dRoll * k;
		}
		pitch += depth * Math.cos(this.breathAxis) * fill;
		roll += depth * Math.sin(this.breathAxis) * fill;
		const g = [Math.sin(pitch), Math.cos(pitch) * Math.sin(roll), Math.cos(pitch) * Math.cos(roll)];
		const beatT = (tS * o.heartBpm) / 60;
		const d = (beatT - Math.floor(beatT)) * (60 / o.heartBpm);
		const jolt = o.heartJoltMg * (d / 0.04) * Math.exp(1 - (d / 0.04) ** 2);
		const burst = moving ? 250 : 0;
		return [
			1000 * g[0] + burst * gaussian(this.rand) + o.noiseMg * gaussian(this.rand),
			1000 * g[1] + jolt * 0.5 + burst * gaussian(this.rand) + o.noiseMg * gaussian(this.rand),
			1000 * g[2] + jolt + burst * gaussian(this.rand) + o.noiseMg * gaussian(this.rand)
		];
	}
}
