/**
 * How the person set the breathing guide last time: shown or hidden, tones on or off, leading or
 * following, and its rhythm. A newcomer who chose "Follows me, then eases me" with soft tones found
 * the guide back at its defaults after every reload; it is now kept as they left it, in
 * localStorage (settings of this browser, as pacer-default.ts keeps the rhythm).
 */
import type { BreathPattern } from './pacer';
import type { PacerMode } from './follow-pacer';
import { savePacerPattern } from './pacer-default';

const KEY = 'settle.pacer-choices';
const MODES: readonly PacerMode[] = ['lead', 'follow', 'ease'];

export interface PacerChoices {
	pacerVisible: boolean;
	tones: boolean;
	pacerMode: PacerMode;
}

/** What was kept; any field missing or unreadable is left out (the flow's default serves). */
export function loadPacerChoices(): Partial<PacerChoices> {
	try {
		const raw = globalThis.localStorage?.getItem(KEY);
		const kept = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
		if (!kept || typeof kept !== 'object') return {};
		const choices: Partial<PacerChoices> = {};
		if (typeof kept.pacerVisible === 'boolean') choices.pacerVisible = kept.pacerVisible;
		if (typeof kept.tones === 'boolean') choices.tones = kept.tones;
		if (MODES.includes(kept.pacerMode as PacerMode))
			choices.pacerMode = kept.pacerMode as PacerMode;
		return choices;
	} catch {
		// Storage blocked or a hand-edited value: the defaults serve.
		return {};
	}
}

/** Keeps the guide's settings, its rhythm included, for the next visit. */
export function savePacerChoices(guide: PacerChoices & { pattern: BreathPattern }): void {
	const { pacerVisible, tones, pacerMode } = guide;
	try {
		globalThis.localStorage?.setItem(KEY, JSON.stringify({ pacerVisible, tones, pacerMode }));
	} catch {
		// Not kept (storage blocked or full): this visit keeps them all the same.
	}
	savePacerPattern(guide.pattern);
}
