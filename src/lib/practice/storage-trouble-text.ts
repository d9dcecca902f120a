/**
 * What the person reads when the browser's storage refuses a recording's writes: what happened,
 * that nothing is lost while the tab stays open (and for how long), and what to do. Loaded only
 * when there is trouble.
 */
import { holdMinutesLeft, type StorageTrouble } from './storage-hold';

export interface TroubleText {
	headline: string;
	body: string;
	/** What to do, most effective first. */
	steps: string[];
}

/** "4 h 05 min", "35 min", "under a minute". */
export function minutesInWords(minutes: number): string {
	const m = Math.floor(minutes);
	if (m < 1) return 'under a minute';
	if (m < 60) return `${m} min`;
	return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

const beatsInWords = (n: number) => `${n.toLocaleString('en')} beat${n === 1 ? '' : 's'}`;

/**
 * Why freeing space helps in that order: the browser gives a site a share of the device's free
 * space, so room on the device counts at once; space freed by deleting sessions counts only once
 * the browser tidies its files, which may take a while.
 */
export const FREE_SPACE_STEPS = [
	'Free space on this device: delete files, photos, downloads or apps you no longer need. The browser gives Settle room again at once.',
	'Download a backup (Your data), then delete sessions you no longer need (Sessions). Their space comes back once the browser tidies its files.',
	"In the browser's settings (Site settings, storage), clear the data of other sites you no longer use — not Settle's, which holds your sessions."
];

export function troubleText(t: StorageTrouble): TroubleText {
	const what =
		t.kind === 'full'
			? "This browser's storage for Settle is full"
			: `Settle cannot save right now (the browser says: ${t.reason ?? 'unknown error'})`;
	const keep = 'Keep this tab open: closing it would lose them.';
	const steps = t.kind === 'full' ? FREE_SPACE_STEPS : [];
	if (t.stopped) {
		return {
			headline: `${what}: your session is not saved yet.`,
			body: `Its last ${beatsInWords(t.heldBeats)} wait in this tab's memory and are saved by themselves as soon as there is room; the session then finishes saving. ${keep}`,
			steps
		};
	}
	if (t.holdFull) {
		return {
			headline: `${what}, and the memory set aside for waiting beats is full.`,
			body: `The ${beatsInWords(t.heldBeats)} waiting (the most Settle holds: ${beatsInWords(t.holdLimitBeats)}) are kept and saved as soon as there is room; newer beats are not recorded until then (${beatsInWords(t.notRecorded)} so far). ${keep}`,
			steps
		};
	}
	const rate = t.bpm ? ` at your heart rate now (${Math.round(t.bpm)} bpm)` : '';
	return {
		headline: `${what}: new beats cannot be saved.`,
		body: `Recording goes on. The beats not yet saved (${beatsInWords(t.heldBeats)} so far) wait in this tab's memory, which has room for ${minutesInWords(holdMinutesLeft(t.heldBeats, t.bpm, t.holdLimitBeats))} more${rate}, and are saved by themselves as soon as there is room. ${keep}`,
		steps
	};
}
