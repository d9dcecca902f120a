/**
 * The experiment page's state: the plan being made (with the power it promises from the person's
 * own history), the experiments kept, and the answer of the one shown. Create during component
 * set-up: it subscribes to the saved sessions and the experiments table in effects that end with
 * the component.
 */
import { getDb, getDexie } from '$lib/db/db';
import type { ExperimentRow } from '$lib/db/schema';
import {
	createExperiment,
	deleteExperiment,
	lastDay,
	experimentsIn,
	logExperimentDay,
	stopExperiment
} from '$lib/db/experiments';
import {
	addDays,
	cryptoSeed,
	DEFAULT_WEEKS,
	designProblem,
	localDayKey,
	noiseFromHistory,
	planPower,
	powerSentence,
	shortAnswer,
	type Arm,
	type BlockKind,
	type Question
} from '$lib/experiment';
import { download } from '$lib/format/download';
import { StagedSessions } from '$lib/review/history-rows.svelte';
import { experimentResult } from './answer';
import { experimentCsv, experimentFileName, experimentPlan } from './csv';
import { dailyHistory } from './readings';

export class ExperimentPage {
	private saved = new StagedSessions();
	experiments = $state.raw<ExperimentRow[] | undefined>();
	shownId = $state<string | undefined>();
	error = $state<string | undefined>();
	busy = $state(false);
	/** The plan form is open (always, when nothing runs). */
	planning = $state(false);

	readonly today = localDayKey(Date.now());
	routine = $state('Stability routine');
	question = $state<Question>('settledLnRmssd');
	weeks = $state(DEFAULT_WEEKS);
	block = $state<BlockKind>('days');
	startDay = $state('');

	readonly rows = $derived(this.saved.rows);
	readonly loadError = $derived(this.saved.error);
	readonly running = $derived(
		this.experiments?.find((e) => !e.stoppedAt && lastDay(e) >= this.today)
	);
	readonly shown = $derived(
		this.experiments?.find((e) => e.id === this.shownId) ?? this.running ?? this.experiments?.[0]
	);
	readonly result = $derived(
		this.shown && this.rows ? experimentResult(this.shown, this.rows, this.today) : undefined
	);
	/** Each experiment's answer in a line, for the list. */
	readonly answers = $derived(
		Object.fromEntries(
			(this.rows ? (this.experiments ?? []) : []).map((e) => [
				e.id,
				shortAnswer(e.question, experimentResult(e, this.rows!, this.today).answer)
			])
		) as Record<string, string>
	);
	readonly problem = $derived(designProblem({ weeks: this.weeks, block: this.block }));
	readonly noise = $derived(
		noiseFromHistory(dailyHistory(this.rows ?? [], this.question, this.startDay), this.question)
	);
	/** Simulated: a few hundred planned experiments with the person's spread (tens of ms). */
	readonly power = $derived.by(() => {
		if (this.problem || !this.rows) return undefined;
		const design = { weeks: this.weeks, block: this.block };
		const p = planPower(design, this.noise, { sims: 300 });
		return {
			...p,
			sentence: powerSentence(
				this.question,
				this.weeks,
				p.detectable,
				p.power.power,
				this.noise.fromHistory,
				p.canReach
			)
		};
	});

	constructor() {
		this.startDay = this.today;
		$effect(() => {
			let closed = false;
			let sub: { unsubscribe(): void } | undefined;
			const failed = (err: unknown) =>
				(this.error = `Experiments could not be read: ${String(err)}`);
			// Dexie arrives after the first paint (db/db.ts); the query starts once it is there.
			Promise.all([getDb(), getDexie()]).then(([db, Dexie]) => {
				if (closed) return;
				sub = Dexie.liveQuery(() => experimentsIn(db)).subscribe({
					next: (rows) => (this.experiments = rows),
					error: failed
				});
			}, failed);
			return () => {
				closed = true;
				sub?.unsubscribe();
			};
		});
	}

	get endDay(): string {
		return addDays(this.startDay, this.weeks * 7 - 1);
	}

	private async act(what: () => Promise<unknown>, failure: string) {
		this.busy = true;
		this.error = undefined;
		try {
			await what();
		} catch (err) {
			this.error = `${failure}: ${err instanceof Error ? err.message : String(err)}`;
		} finally {
			this.busy = false;
		}
	}

	/** Draws the assignment once, from the device's cryptographic source, and keeps it. */
	async start(): Promise<void> {
		if (this.problem) {
			this.error = this.problem;
			return;
		}
		if (this.startDay < this.today) {
			this.error = 'An experiment starts today or later: past days cannot be assigned at random.';
			return;
		}
		await this.act(async () => {
			const e = await createExperiment(
				{
					routine: this.routine,
					question: this.question,
					weeks: this.weeks,
					block: this.block,
					startDay: this.startDay
				},
				cryptoSeed()
			);
			this.shownId = e.id;
			this.planning = false;
		}, 'The experiment could not be started');
	}

	logDay(day: string, patch: { did?: Arm | null; note?: string }) {
		const e = this.shown;
		if (e) void this.act(() => logExperimentDay(e.id, day, patch), 'That could not be saved');
	}

	stop() {
		const e = this.shown;
		if (e) void this.act(() => stopExperiment(e.id), 'The experiment could not be stopped');
	}

	remove() {
		const e = this.shown;
		if (!e) return;
		void this.act(async () => {
			await deleteExperiment(e.id);
			this.shownId = undefined;
		}, 'The experiment could not be deleted');
	}

	exportCsv() {
		const e = this.shown;
		const r = this.result;
		if (!e || !r) return;
		download(
			new Blob([experimentCsv(e, r.days)], { type: 'text/csv' }),
			experimentFileName(e, 'csv')
		);
	}

	exportPlan() {
		const e = this.shown;
		const r = this.result;
		if (!e || !r) return;
		const plan = JSON.stringify(experimentPlan(e, r.answer, r.verdict), null, 2);
		download(new Blob([plan], { type: 'application/json' }), experimentFileName(e, 'plan.json'));
	}
}
