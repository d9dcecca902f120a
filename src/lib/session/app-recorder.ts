/** The app's one recorder and practice flow, bound to the real database, sounds and wake lock. */
import { addEvent, appendBeats, createSession, finishSession } from '$lib/db';
import { PracticeFlow } from './practice-flow.svelte';
import { Recorder } from './recorder.svelte';
import { playChime } from './sounds';
import { keepScreenOn, type WakeLockHandle } from './wake-lock';

export const recorder = new Recorder({ createSession, appendBeats, addEvent, finishSession });

let wakeLock: WakeLockHandle | undefined;

export const practice = new PracticeFlow(recorder, {
	onSessionStart() {
		wakeLock = keepScreenOn();
	},
	onRestEnd() {
		wakeLock?.release();
		wakeLock = undefined;
		playChime();
	}
});
