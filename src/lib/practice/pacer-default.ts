/**
 * The pacer's default rhythm: 4 s in, 6 s out until a resonance assessment finds the person's own
 * rate, then that rate with the same exhale share, or the rhythm last set on the guide itself. Kept in localStorage (a setting of this
 * browser, not data worth a database row); anything unreadable falls back to the default.
 */
import { DEFAULT_BREATH, patternFor, type BreathPattern } from './pacer';

const KEY = 'settle.pacer-default';
/** Constructive rest is exhale-led: the out-breath takes 60 % of each breath. */
export const EXHALE_SHARE = 0.6;

export function loadPacerDefault(): BreathPattern {
	try {
		const raw = globalThis.localStorage?.getItem(KEY);
		const p = raw ? (JSON.parse(raw) as Partial<BreathPattern>) : undefined;
		const ok = (v: unknown): v is number => typeof v === 'number' && v >= 1 && v <= 15;
		if (p && ok(p.inhaleS) && ok(p.exhaleS)) return { inhaleS: p.inhaleS, exhaleS: p.exhaleS };
	} catch {
		// Storage blocked or a hand-edited value: the default serves.
	}
	return { ...DEFAULT_BREATH };
}

/** Makes a rate (breaths a minute) the pacer's default; returns the pattern saved. */
export function savePacerRate(ratePerMin: number): BreathPattern {
	return savePacerPattern(patternFor(ratePerMin, EXHALE_SHARE));
}

/** Makes a rhythm the pacer's default (as the person set it on the guide); returns it. */
export function savePacerPattern(pattern: BreathPattern): BreathPattern {
	try {
		globalThis.localStorage?.setItem(
			KEY,
			JSON.stringify({ inhaleS: pattern.inhaleS, exhaleS: pattern.exhaleS })
		);
	} catch {
		// Not saved: the pacer keeps its default; the result still shows the rate.
	}
	return pattern;
}
