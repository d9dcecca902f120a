/** The app's one recorder and practice flow, bound to the real database, sounds and wake lock. */
import {
	acquireRecordingLock,
	addEvent,
	appendBeats,
	createSession,
	finishSession,
	guardUpgradesWhile,
	requestPersistence
} from '$lib/db';
import { activeSession } from './active-session.svelte';
import { PracticeFlow } from './practice-flow.svelte';
import { Recorder } from './recorder.svelte';
import { playChime } from './sounds';
import { keepScreenOn, type WakeLockHandle } from './wake-lock';

export const recorder = new Recorder({
	createSession,
	appendBeats,
	addEvent,
	finishSession,
	acquireLock: acquireRecordingLock,
	// Ask the browser to keep the data once there is something worth keeping.
	afterSave: requestPersistence
});

guardUpgradesWhile(() => recorder.phase === 'recording' || recorder.phase === 'saving');

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

activeSession.recorder = recorder;
activeSession.practice = practice;
