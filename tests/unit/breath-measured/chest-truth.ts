/**
 * Generated chest accelerometer recordings of known truth: a breath schedule (each breath's
 * in-breath and out-breath length, jittered), the demo's chest model for gravity, tilt, drift,
 * heartbeat, noise and movements, sampled at 25 Hz as an H10 sends.
 */
import { ChestModel, type ChestOptions } from '$lib/strap/demo/chest-model';
import { mulberry32 } from '$lib/strap/demo/random';
import { BlockAccumulator, type MovementBlocks } from '$lib/breath-measured/blocks';

export interface TrueBreath {
	inStartS: number;
	outStartS: number;
	endS: number;
}

export interface Truth {
	breaths: TrueBreath[];
	blocks: MovementBlocks;
	startMs: number;
}

export interface Recording extends ChestOptions {
	durationS: number;
	ratePerMin: number;
	/** Out-breath over in-breath. */
	ratio: number;
	/** Each breath's length varies by up to this share. */
	jitter?: number;
	rateHz?: number;
	startMs?: number;
	/**
	 * How the chest empties: 'eased' (slow, fast, slow, as it fills) or 'recoil' (a passive
	 * out-breath: fast at first, then tailing off exponentially into the next in-breath).
	 */
	outShape?: 'eased' | 'recoil';
	/** The share of each out-breath spent still at its end, before the next in-breath. */
	pauseShare?: number;
}

/** Lung fill through one breath: eased rise over the in-breath, eased fall over the out-breath. */
const ease = (x: number) => 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, Math.max(0, x)));

export function record(r: Recording): Truth {
	const rand = mulberry32((r.seed ?? 11) + 1000);
	const breaths: TrueBreath[] = [];
	let t = -rand() * 5;
	while (t < r.durationS + 20) {
		const len = (60 / r.ratePerMin) * (1 + (r.jitter ?? 0.08) * (2 * rand() - 1));
		const inS = len / (1 + r.ratio);
		breaths.push({ inStartS: t, outStartS: t + inS, endS: t + len });
		t += len;
	}
	const empty = (x: number) =>
		r.outShape === 'recoil' ? (1 - Math.exp(-4 * Math.min(1, x))) / (1 - Math.exp(-4)) : ease(x);
	let j = 0;
	const fill = (s: number) => {
		while (j + 1 < breaths.length && breaths[j].endS <= s) j++;
		const b = breaths[j];
		return s < b.outStartS
			? ease((s - b.inStartS) / (b.outStartS - b.inStartS))
			: 1 - empty((s - b.outStartS) / ((b.endS - b.outStartS) * (1 - (r.pauseShare ?? 0))));
	};
	const chest = new ChestModel(r);
	const rate = r.rateHz ?? 25;
	const startMs = r.startMs ?? 1_700_000_000_000;
	const acc = new BlockAccumulator(startMs);
	const n = Math.floor(r.durationS * rate);
	const times = new Float64Array(n);
	const xyz = new Int32Array(3 * n);
	for (let i = 0; i < n; i++) {
		const s = i / rate;
		times[i] = startMs + s * 1000;
		const v = chest.sample(s, fill(s));
		for (let a = 0; a < 3; a++) xyz[3 * i + a] = Math.round(v[a]);
	}
	acc.push(times, xyz);
	return {
		breaths: breaths.filter((b) => b.inStartS >= 0 && b.endS <= r.durationS),
		blocks: acc.finish(),
		startMs
	};
}
