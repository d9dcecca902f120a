/**
 * A physiological model of a person settling during constructive rest, beat by beat:
 * - relaxation trend: heart rate settles exponentially (calm: about 75 → 62 bpm over ten minutes)
 *   while vagal tone, and with it the respiratory sinus arrhythmia (RSA), grows;
 * - RSA follows the breathing pattern: heart rate rises on the in-breath, falls on the out-breath;
 * - a 0.1 Hz baroreflex rhythm, a slow drift (Ornstein-Uhlenbeck) and beat noise;
 * - occasional ectopic beats (a premature beat, then a compensatory pause);
 * - one contact loss, during which the strap sends no beats (as real straps do).
 */
import { breathAt, DEFAULT_BREATH, type BreathPattern } from '$lib/practice/pacer';
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
}

export class HeartModel {
	private rand: () => number;
	private p: ScenarioParams;
	private t = 0;
	private drift = 0;
	private pendingCompensation = 0;
	private breathing: BreathPattern = { ...DEFAULT_BREATH };
	/** Breathing phase is integrated so a change of rate does not jump the phase. */
	private breathClockS = 0;
	private contactLoss: { atS: number; durationS: number } | null;

	constructor(options: ModelOptions = {}) {
		this.rand = mulberry32(options.seed ?? 1);
		this.p = SCENARIOS[options.scenario ?? 'calm'];
		this.contactLoss =
			options.contactLoss === undefined ? { atS: 255, durationS: 8 } : options.contactLoss;
	}

	get timeS(): number {
		return this.t;
	}

	setBreathing(pattern: BreathPattern): void {
		this.breathing = { ...pattern };
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
		const fill = breathAt(this.breathClockS, this.breathing).fill;
		const rsa = (p.rsaStartMs + (p.rsaEndMs - p.rsaStartMs) * s) * (1 - 2 * fill);
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
		this.breathClockS += rr / 1000;
		const cl = this.contactLoss;
		const contact = !cl || this.t < cl.atS || this.t > cl.atS + cl.durationS;
		return { timeS: this.t, rrMs: rr, ectopic, contact };
	}
}
