/** The app's one recorder and practice flow, bound to the real database, sounds and wake lock. */
import {
	acquireRecordingLock,
	appendBeats,
	createSession,
	finishRecording,
	guardUpgradesWhile,
	requestPersistence
} from '$lib/db';
import { activeSession } from './active-session.svelte';
import { PracticeFlow } from './practice-flow.svelte';
import { Recorder } from './recorder.svelte';
import { loadPacerDefault } from './pacer-default';
import { loadPacerChoices } from './pacer-choices';
import { playChime } from './sounds';
import { keepScreenOn, type WakeLockHandle } from './wake-lock';

export const recorder = new Recorder({
	createSession,
	appendBeats,
	finishRecording,
	// Loaded when a recording stops, so no page pays for it before.
	retimeBeats: (...args) => import('$lib/db/retime').then((m) => m.retimeBeats(...args)),
	saveBreathing: (...args) => import('$lib/db/breathing').then((m) => m.saveBreathing(...args)),
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

// The pacer starts from the person's own rate once an assessment has found it, or the rhythm they
// last set, and shows, sounds, leads or follows as they last chose.
practice.pattern = loadPacerDefault();
Object.assign(practice, loadPacerChoices());

activeSession.recorder = recorder;
activeSession.practice = practice;
