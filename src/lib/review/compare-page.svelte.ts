/**
 * The comparison page's state: which routine and kind of comparison the person chose, the result
 * for it, and the mean calm-down curve of each side. Create during component set-up (it subscribes
 * to the saved sessions and loads curves in effects that end with the component). On first load
 * the controls are built first, the verdict a task later (`more`), the curves and pairs once idle
 * (`full`, see StagedSessions).
 */
import type { Reading } from '$lib/analysis';
import {
	compareGroups,
	compareOne,
	comparePairs,
	dayToDayNoise,
	meanCurve,
	readingOf,
	routinesWithReadings,
	sameDayPairs,
	type Comparison
} from './comparison';
import { StagedSessions } from './history-rows.svelte';

export type CompareMode = 'pairs' | 'groups' | 'one';
type Curve = { x: number; y: number }[];

export class ComparePage {
	private saved = new StagedSessions();
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
	/** The verdict may be worked out and shown (a task after the controls, on first load). */
	readonly more = $derived(this.saved.more);
	/** The curves and the pairs' table may be built (once idle after the verdict, on first load). */
	readonly full = $derived(this.saved.full);
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
	readonly pairs = $derived(sameDayPairs(this.ofRoutine));
	readonly befores = $derived(this.ofRoutine.filter((r) => r.phase === 'before'));
	readonly afters = $derived(this.ofRoutine.filter((r) => r.phase === 'after'));
	readonly result: Comparison | undefined = $derived.by(() =>
		this.more ? this.compare() : undefined
	);

	constructor() {
		$effect(() => this.loadCurves(this.full ? this.result : undefined));
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
		// Starting forty small reads is itself some milliseconds' work: not in the task that built
		// the page.
		new Promise<void>((go) => setTimeout(go, 0))
			.then(() => (live ? Promise.all([meanCurve(r.beforeIds), meanCurve(r.afterIds)]) : undefined))
			.then((curves) => {
				if (!live || !curves) return;
				const [before, after] = curves;
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
