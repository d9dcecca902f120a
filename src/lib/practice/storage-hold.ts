/**
 * How many beats a recording holds in memory while the browser's storage refuses to write them,
 * and what the person is told about it. The texts live in storage-trouble-text.ts, loaded only
 * when there is trouble (the Practise page's JavaScript budget).
 */

/**
 * Beats held at most, waiting to be written. Each costs the recorder about 180 bytes (the beat,
 * its chart point and its place in the queue; README, "A full disk"), so the bound is about
 * 6.5 MB: 10 h at 60 bpm, 6 h at 100 bpm, 3 h 20 min at 180 bpm, more than any Settle session
 * (60 minutes at most, plus the 30 s settle-in).
 */
export const HOLD_LIMIT_BEATS = 36_000;

/**
 * Beats per chunk when held beats are written: a chunk is one transaction, so when only a
 * little room is freed the first chunks still fit (about 8 KB each).
 */
export const WRITE_CHUNK_BEATS = 600;

/** Why the recording's writes are failing, and how much waits in memory meanwhile. */
export interface StorageTrouble {
	/** 'full': the browser refused for lack of space; 'failed': any other refusal. */
	kind: 'full' | 'failed';
	/** The browser's own words, for 'failed'. */
	reason?: string;
	/** Beats waiting in memory to be written. */
	heldBeats: number;
	/** True once the hold is full: new beats are not recorded until there is room. */
	holdFull: boolean;
	/** Beats the hold takes at most (HOLD_LIMIT_BEATS). */
	holdLimitBeats: number;
	/** Beats not recorded because the hold was full. */
	notRecorded: number;
	/** The recording has been stopped and waits only for its beats to be written. */
	stopped: boolean;
	/** Heart rate now, for how long the hold lasts. */
	bpm?: number;
}

/** Minutes more of beats the hold takes at `bpm` (60 when the rate is unknown). */
export function holdMinutesLeft(
	heldBeats: number,
	bpm: number | undefined,
	limitBeats = HOLD_LIMIT_BEATS
): number {
	const rate = bpm && bpm >= 20 && bpm <= 250 ? bpm : 60;
	return Math.max(0, limitBeats - heldBeats) / rate;
}
