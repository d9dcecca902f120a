/**
 * The comparison page's state: which routine and kind of comparison the person chose, the result
 * for it, and the mean calm-down curve of each side. Create during component set-up (it subscribes
 * to the saved sessions and loads curves in effects that end with the component).
 */
import { autoPairs, type Reading } from '$lib/analysis';
import {
	compareGroups,
	compareOne,
	comparePairs,
	dayToDayNoise,
	meanCurve,
	readingOf,
	routinesWithReadings,
	type Comparison
} from './comparison';
import { SavedSessions } from './saved-sessions.svelte';

export type CompareMode = 'pairs' | 'groups' | 'one';
type Curve = { x: number; y: number }[];

export class ComparePage {
	private saved = new SavedSessions();
	routine = $state('');
	mode = $state<CompareMode>('pairs');
	/** One pair: "latest", an automatic pair's index, or "hand" for two chosen by hand. */
	oneChoice = $state('latest');
	handBefore = $state('');
	handAfter = $state('');
	// Raw: Chart.js marks its data arrays, which a deep state proxy forbids.
	curves = $state.raw<{ before: Curve; after: Curve }>({ before: [], after: [] });
	curveVersion = $state(0);
	curveError = $state<string | undefined>();

	readonly rows = $derived(this.saved.rows);
	readonly loadError = $derived(this.saved.error);
	// Resonance assessments are paced on purpose: never a before or after reading.
	readonly readings: Reading[] = $derived(
		(this.rows ?? []).filter((s) => !s.assessment).map(readingOf)
	);
	readonly noise = $derived(dayToDayNoise(this.readings));
	readonly routines = $derived(routinesWithReadings(this.readings));
	readonly chosenRoutine = $derived(this.routine || this.routines[0] || '');
	private readonly ofRoutine = $derived(
		this.readings.filter((r) => r.routine === this.chosenRoutine)
	);
	readonly pairs = $derived(autoPairs(this.ofRoutine));
	readonly befores = $derived(this.ofRoutine.filter((r) => r.phase === 'before'));
	readonly afters = $derived(this.ofRoutine.filter((r) => r.phase === 'after'));
	readonly result: Comparison | undefined = $derived.by(() => this.compare());

	constructor() {
		$effect(() => this.loadCurves(this.result));
	}

	private compare(): Comparison | undefined {
		const { pairs, befores, afters, noise } = this;
		if (this.mode === 'pairs') return pairs.length ? comparePairs(pairs, noise) : undefined;
		if (this.mode === 'groups')
			return befores.length && afters.length ? compareGroups(befores, afters, noise) : undefined;
		if (this.oneChoice === 'hand') {
			const b = this.readings.find((r) => r.id === this.handBefore);
			const a = this.readings.find((r) => r.id === this.handAfter);
			return b && a && b.id !== a.id ? compareOne({ before: b, after: a }, noise) : undefined;
		}
		const pair = this.oneChoice === 'latest' ? pairs.at(-1) : pairs[Number(this.oneChoice)];
		return pair ? compareOne(pair, noise) : undefined;
	}

	/** Loads both sides' curves; a newer result supersedes one still loading. */
	private loadCurves(r: Comparison | undefined): (() => void) | undefined {
		if (!r) return;
		let live = true;
		Promise.all([meanCurve(r.beforeIds), meanCurve(r.afterIds)])
			.then(([before, after]) => {
				if (!live) return;
				this.curves = { before, after };
				this.curveError = undefined;
				this.curveVersion++;
			})
			.catch((err) => {
				if (live) this.curveError = `The curves could not be read: ${String(err)}`;
			});
		return () => {
			live = false;
		};
	}
}
