/**
 * The live artifact screen: which beats the live figures set aside. A premature beat shows only
 * with its compensatory pause and the beats after it, so each beat is judged SCREEN_DELAY beats
 * late, with the test the saved analysis uses inside breathing swings (a beat time displaced from
 * the smooth rhythm of its neighbours, analysis/artifacts/beat-times.ts), on the last WINDOW beats.
 * The median screen it replaces (20 % off the last nine clean beats) set aside 25 % of the beats of
 * clean slow breathing with 10-40 bpm swings, up to 45 % in one recording, and locked itself out
 * on every in-breath; extrapolating the last beats instead still set aside up to half.
 */
import { displacedBeats, offNeighbours } from '$lib/analysis/artifacts/beat-times';
import { BEAT_FLAG, type Beat } from '$lib/strap/beat-timeline';

/** Beats a judgement waits for: the interpolation uses three neighbours on each side. */
export const SCREEN_DELAY = 3;
/** Beats the test sees: enough for its local limit (31) and the neighbours around it. */
const WINDOW = 40;
/** An interval this far off its neighbours is set aside whatever the rhythm (missed, extra). */
const FAR_OFF = 0.45;

export interface Judged {
	beat: Beat;
	suspect: boolean;
}

export class BeatScreen {
	/** Heartbeats since the last gap, oldest first; the last SCREEN_DELAY are not judged yet. */
	private window: Beat[] = [];
	private pending = 0;

	/** Takes a beat; returns the beats judged now (SCREEN_DELAY behind), in order. */
	push(beat: Beat): Judged[] {
		const out: Judged[] = [];
		// Across a gap the beat times are not one rhythm: judge what waits with what is there.
		if (beat.flags & BEAT_FLAG.AFTER_GAP) out.push(...this.flush());
		// What the strap itself marks is no heartbeat to predict from.
		if (beat.flags & ~BEAT_FLAG.AFTER_GAP) {
			out.push(...this.flush(), { beat, suspect: true });
			return out;
		}
		this.window.push(beat);
		this.pending++;
		if (this.pending > SCREEN_DELAY) out.push(...this.judge(this.pending - SCREEN_DELAY));
		if (this.window.length > WINDOW) this.window.splice(0, this.window.length - WINDOW);
		return out;
	}

	/** Judges every beat still waiting, with the neighbours there are, and starts afresh. */
	flush(): Judged[] {
		const out = this.judge(this.pending);
		this.window = [];
		return out;
	}

	private judge(count: number): Judged[] {
		if (count <= 0) return [];
		const rr = this.window.map((b) => b.rrMs);
		const { displaced } = displacedBeats(rr);
		const first = this.window.length - this.pending;
		const out: Judged[] = [];
		for (let i = first; i < first + count; i++) {
			// Interval i runs from beat time i to beat time i + 1.
			const off = offNeighbours(rr, i) > FAR_OFF;
			out.push({ beat: this.window[i], suspect: off || !!displaced[i] || !!displaced[i + 1] });
		}
		this.pending -= count;
		return out;
	}
}
