/**
 * A physiological model of a person settling during constructive rest, beat by beat:
 * - relaxation trend: heart rate settles exponentially (calm: about 75 → 62 bpm over ten minutes)
 *   while vagal tone, and with it the respiratory sinus arrhythmia (RSA), grows;
 * - RSA follows the breathing pattern: heart rate rises on the in-breath, falls on the out-breath;
 *   its size and timing depend on how far the breathing rate is from the person's resonance
 *   frequency (see `resonanceResponse`);
 * - a 0.1 Hz baroreflex rhythm, a slow drift (Ornstein-Uhlenbeck) and beat noise;
 * - occasional ectopic beats (a premature beat, then a compensatory pause);
 * - one contact loss, during which the strap sends no beats (as real straps do).
 */
import {
	breathAt,
	breathsPerMinute,
	DEFAULT_BREATH,
	type BreathPattern
} from '$lib/practice/pacer';
import { gaussian, mulberry32 } from './random';

export type DemoScenario = 'calm' | 'restless' | 'ectopic-heavy';

interface ScenarioParams {
	startBpm: number;
	endBpm: number;
	tauS: number;
	rsaStartMs: number;
	rsaEndMs: number;
	noiseMs: number;
	ectopicRate: number;
}

const SCENARIOS: Record<DemoScenario, ScenarioParams> = {
	calm: {
		startBpm: 75,
		endBpm: 62,
		tauS: 170,
		rsaStartMs: 22,
		rsaEndMs: 85,
		noiseMs: 7,
		ectopicRate: 0.003
	},
	restless: {
		startBpm: 84,
		endBpm: 77,
		tauS: 300,
		rsaStartMs: 8,
		rsaEndMs: 16,
		noiseMs: 22,
		ectopicRate: 0.004
	},
	'ectopic-heavy': {
		startBpm: 76,
		endBpm: 64,
		tauS: 180,
		rsaStartMs: 10,
		rsaEndMs: 35,
		noiseMs: 7,
		ectopicRate: 0.05
	}
};

export interface ModelBeat {
	/** End of the interval, s since the model started. */
	timeS: number;
	rrMs: number;
	ectopic: boolean;
	/** False while the strap has lost skin contact: such beats are not sent. */
	contact: boolean;
}

export interface ModelOptions {
	seed?: number;
	scenario?: DemoScenario;
	/** When the contact loss happens and how long it lasts (s); null for none. */
	contactLoss?: { atS: number; durationS: number } | null;
	/**
	 * The breathing rate (breaths/min) at which RSA is largest and in phase (default 6); null for a
	 * person with no resonance: the same RSA, in phase, at every rate (NO_RESONANCE).
	 */
	resonanceBpm?: number | null;
}

/**
 * Default resonance: 6 breaths/min, the default pacer's rate, so a model at its defaults breathes
 * exactly as it did before resonance was modelled (gain 1, phase 0 at the default pattern). Adults'
 * resonance frequencies lie around 4.5-7 breaths/min, most often 5.5-6 (Vaschillo et al. 2006).
 */
export const DEFAULT_RESONANCE_BPM = 6;
/**
 * Quality factor of the resonance: half-power bandwidth = resonance / Q (5.5/min → ±0.28 breath/min).
 * Sharp enough that adjacent assessment rates (0.5/min apart) differ clearly, as in people whose
 * resonance is well defined (Vaschillo et al. 2006 report LF peaks often doubling at resonance): the
 * swing half a breath a minute away is about 0.68 of the peak's, so the peak stands about 45 % above
 * its neighbours and the assessment names it every time at 2-minute steps (Q = 6 gave 25 %, which
 * two-minute steps cannot tell from noise 3 times in 10).
 */
const RESONANCE_Q = 10;
/** RSA that does not go through the baroreflex loop (central respiratory gating): a floor. */
const RSA_FLOOR = 0.4;
const MAX_PHASE_DEG = 60;

/**
 * How RSA responds to breathing at `rateBpm` for a person whose resonance is at `resonanceBpm`: the
 * baroreflex loop as a second-order band-pass H = 1 / (1 + jQ(r/r₀ − r₀/r)) (after the
 * closed-loop resonance of Vaschillo et al. 2002), Q = 10, on top of a rate-independent share of 0.4:
 * - gain = 1 − 0.6·(1 − |H|): 1 at resonance, about 0.68 half a breath/min away and 0.54 one
 *   breath/min away, never below 0.4 (the scenario's RSA amplitude is the amplitude at resonance);
 * - phaseDeg = arg H = −atan(Q(r/r₀ − r₀/r)), capped at ±60°: 0° at resonance, heart rate leading
 *   the breath below resonance (positive), lagging above it (negative); the cap from half a
 *   breath/min away.
 */
export function resonanceResponse(
	rateBpm: number,
	resonanceBpm: number | null
): { gain: number; phaseDeg: number } {
	if (resonanceBpm === null) return NO_RESONANCE;
	const qx = RESONANCE_Q * (rateBpm / resonanceBpm - resonanceBpm / rateBpm);
	const magnitude = 1 / Math.sqrt(1 + qx * qx);
	const phaseDeg = (-Math.atan(qx) * 180) / Math.PI;
	return {
		gain: 1 - (1 - RSA_FLOOR) * (1 - magnitude),
		phaseDeg: Math.max(-MAX_PHASE_DEG, Math.min(MAX_PHASE_DEG, phaseDeg))
	};
}

/**
 * Some people show no resonance: their RSA is the same at every slow breathing rate. Four fifths of
 * the resonant person's largest swing, a little more than half a breath a minute off its peak.
 */
export const NO_RESONANCE = Object.freeze({ gain: 0.8, phaseDeg: 0 });

export class HeartModel {
	private rand: () => number;
	private p: ScenarioParams;
	private t = 0;
	private drift = 0;
	private pendingCompensation = 0;
	private breathing: BreathPattern = { ...DEFAULT_BREATH };
	private response = { gain: 1, phaseDeg: 0 };
	/** Model time (s) at which the current breath cycle began: the cycle is t − breathOriginS. */
	private breathOriginS = 0;
	private contactLoss: { atS: number; durationS: number } | null;
	/** The breathing rate (breaths/min) at which this heart's RSA is largest and in phase. */
	readonly resonanceBpm: number | null;

	constructor(options: ModelOptions = {}) {
		this.rand = mulberry32(options.seed ?? 1);
		this.p = SCENARIOS[options.scenario ?? 'calm'];
		this.contactLoss =
			options.contactLoss === undefined ? { atS: 255, durationS: 8 } : options.contactLoss;
		this.resonanceBpm =
			options.resonanceBpm === undefined ? DEFAULT_RESONANCE_BPM : options.resonanceBpm;
		this.response = resonanceResponse(breathsPerMinute(this.breathing), this.resonanceBpm);
	}

	get timeS(): number {
		return this.t;
	}

	/**
	 * Breathe with `pattern` from now on. With `restartCycle` the breath cycle starts afresh (lungs
	 * empty, inhale beginning) at model time `atS` (default: now, the end of the last beat), as a
	 * pacer does when a new step starts; otherwise the cycle keeps its clock.
	 */
	setBreathing(pattern: BreathPattern, restartCycle = false, atS = this.t): void {
		this.breathing = { ...pattern };
		this.response = resonanceResponse(breathsPerMinute(pattern), this.resonanceBpm);
		if (restartCycle) this.breathOriginS = atS;
	}

	/** Lung fill (0 empty, 1 full) at model time `tS`: what the demo chest's tilt follows. */
	breathFill(tS: number): number {
		return breathAt(tS - this.breathOriginS, this.breathing).fill;
	}

	/** Relaxation progress 0 → 1. */
	private settle(): number {
		return 1 - Math.exp(-this.t / this.p.tauS);
	}

	nextBeat(): ModelBeat {
		const p = this.p;
		const s = this.settle();
		const bpm = p.startBpm + (p.endBpm - p.startBpm) * s;
		const baseRr = 60000 / bpm;
		// Heart rate leading the breath by φ: the RSA follows the fill φ/360 of a cycle ahead.
		const { gain, phaseDeg } = this.response;
		const leadS = (phaseDeg / 360) * (this.breathing.inhaleS + this.breathing.exhaleS);
		const fill = breathAt(this.t - this.breathOriginS + leadS, this.breathing).fill;
		const rsa = (p.rsaStartMs + (p.rsaEndMs - p.rsaStartMs) * s) * gain * (1 - 2 * fill);
		const baro = 8 * Math.sin(2 * Math.PI * 0.1 * this.t);
		// Ornstein-Uhlenbeck drift: mean-reverting over about a minute.
		this.drift += -this.drift * (baseRr / 60000) + 2.2 * gaussian(this.rand);
		let rr = baseRr + rsa + baro + this.drift + p.noiseMs * gaussian(this.rand);
		let ectopic = false;
		if (this.pendingCompensation > 0) {
			rr += this.pendingCompensation;
			this.pendingCompensation = 0;
			ectopic = true;
		} else if (this.rand() < p.ectopicRate) {
			const shortBy = rr * (0.3 + 0.1 * this.rand());
			rr -= shortBy;
			this.pendingCompensation = shortBy * 0.9;
			ectopic = true;
		}
		rr = Math.min(2000, Math.max(300, rr));
		this.t += rr / 1000;
		const cl = this.contactLoss;
		const contact = !cl || this.t < cl.atS || this.t > cl.atS + cl.durationS;
		return { timeS: this.t, rrMs: rr, ectopic, contact };
	}
}
