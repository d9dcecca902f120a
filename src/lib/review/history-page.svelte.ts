/**
 * The history page's state: the saved sessions, the person's filter and period, and the figures
 * drawn from them. Create during component set-up (the subscription ends with the component).
 * The heart trends wait for `more`, what sits below them (felt trends, agreement, the routine's
 * weeks) for `full`, so the first load is built in several short tasks (see StagedSessions).
 */
import {
	NO_FILTER,
	applyFilter,
	filterChoices,
	practiceCalendar,
	trend,
	TREND_KEYS,
	FELT_TREND_KEYS,
	type HistoryFilter
} from './history';
import { feltVersusHeart, newestRoutine, routineProgress } from './felt';
import { StagedSessions } from './history-rows.svelte';
import { keepHistoryPicture } from './history-picture';
import { formatDateTime } from '$lib/format/format';

const DAY = 86_400_000;

export const PERIODS = [
	{ days: 90, label: '3 months' },
	{ days: 182, label: '6 months' },
	{ days: 365, label: '1 year' },
	{ days: 0, label: 'All time' }
] as const;

const DEFAULT_PERIOD = 182;

export class HistoryPage {
	private saved = new StagedSessions();
	readonly rows = $derived(this.saved.rows);
	readonly error = $derived(this.saved.error);
	/** The heart trends are built (a task after the calendar and filters, on first load). */
	readonly more = $derived(this.saved.more);
	/** The parts below the heart trends are built (once idle after them, on first load). */
	readonly full = $derived(this.saved.full);
	filter = $state<HistoryFilter>({ ...NO_FILTER });
	periodDays = $state(DEFAULT_PERIOD);
	readonly now = Date.now();

	readonly choices = $derived(this.rows ? filterChoices(this.rows) : { routines: [], tags: [] });
	readonly shown = $derived(this.rows ? applyFilter(this.rows, this.filter) : []);
	readonly calendar = $derived(practiceCalendar(this.rows ?? [], this.now));
	readonly since = $derived(this.periodDays ? this.now - this.periodDays * DAY : 0);
	readonly trends = $derived(
		this.more ? TREND_KEYS.map((k) => trend(this.shown, k, this.since)) : []
	);
	readonly feltTrends = $derived(
		this.full
			? FELT_TREND_KEYS.map((k) => trend(this.shown, k, this.since)).filter(
					(t) => t.points.length > 0
				)
			: []
	);
	/**
	 * Breaths a minute, session by session (shown once there is one): measured by the strap where
	 * it did, else estimated from the heart.
	 */
	readonly breathing = $derived.by(() => {
		const t = this.full ? trend(this.shown, 'breathRate', this.since) : undefined;
		return t && t.points.length > 0 ? t : undefined;
	});
	/** Out-breath over in-breath, from the sessions the strap measured only (none: undefined). */
	readonly breathRatio = $derived.by(() => {
		const t = this.breathing ? trend(this.shown, 'breathRatio', this.since) : undefined;
		return t && t.points.length > 0 ? t : undefined;
	});
	readonly agreement = $derived(this.full ? feltVersusHeart(this.shown) : undefined);
	readonly progress = $derived(
		this.full && this.rows
			? routineProgress(this.rows, this.filter.routine || newestRoutine(this.rows) || '', this.now)
			: undefined
	);

	/**
	 * Keeps a picture of the page for the next new tab (history-picture.ts), as the person leaves
	 * it: only of the view a new tab opens on (every session, the default period), else the next
	 * tab would swap one view for another.
	 */
	keepPicture(): void {
		const defaultView =
			this.periodDays === DEFAULT_PERIOD &&
			(Object.keys(NO_FILTER) as (keyof HistoryFilter)[]).every(
				(k) => this.filter[k] === NO_FILTER[k]
			);
		if (!defaultView || !this.full) return;
		keepHistoryPicture(`As you left it, ${formatDateTime(Date.now())} · updating…`);
	}
}
