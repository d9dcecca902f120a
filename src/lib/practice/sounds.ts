/**
 * Gentle sounds made with Web Audio (no audio files): the end-of-session chime and the pacer's soft
 * breath tones. Created lazily after a user gesture, as browsers require.
 */
let ctx: AudioContext | undefined;

function audio(): AudioContext | undefined {
	if (typeof window === 'undefined' || !('AudioContext' in window)) return undefined;
	ctx ??= new AudioContext();
	if (ctx.state === 'suspended') void ctx.resume();
	return ctx;
}

/** Call from a click so later sounds are allowed to play. */
export function unlockAudio(): void {
	audio();
}

function tone(freq: number, startS: number, durS: number, peak: number): void {
	const ac = audio();
	if (!ac) return;
	const t0 = ac.currentTime + startS;
	const osc = ac.createOscillator();
	const gain = ac.createGain();
	osc.type = 'sine';
	osc.frequency.value = freq;
	gain.gain.setValueAtTime(0, t0);
	gain.gain.linearRampToValueAtTime(peak, t0 + 0.04);
	gain.gain.exponentialRampToValueAtTime(0.0001, t0 + durS);
	osc.connect(gain).connect(ac.destination);
	osc.start(t0);
	osc.stop(t0 + durS + 0.05);
}

/** A soft three-note bell, like a singing bowl struck gently. */
export function playChime(): void {
	tone(528, 0, 3.5, 0.18);
	tone(792, 0.02, 2.8, 0.06);
	tone(660, 1.2, 3.5, 0.12);
}

/** A quiet rising or falling hum at the start of each inhale or exhale. */
export function playBreathCue(phase: 'in' | 'out', durationS: number): void {
	tone(phase === 'in' ? 220 : 174, 0, Math.min(durationS, 3), 0.05);
}
