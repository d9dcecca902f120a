/**
 * The Practise page's view of a running experiment: what today is, what the person says they did,
 * a note; and the tags the practice flow gives today's sessions.
 */
import { experimentOn, logExperimentDay } from '$lib/db/experiments';
import { getDb } from '$lib/db/db';
import type { Arm } from '$lib/experiment/assignment';
import { localDayKey } from '$lib/experiment/days';
import { todayIn, type TodayInExperiment } from './today';
import { remindIfLate } from './reminder';
import { EXPERIMENT_TAG } from './tags';

export class ExperimentToday {
	today = $state<TodayInExperiment | undefined>();
	error = $state<string | undefined>();

	constructor(private now: () => number = () => Date.now()) {}

	async load(): Promise<TodayInExperiment | undefined> {
		try {
			const day = localDayKey(this.now());
			const e = await experimentOn(day);
			this.today = e ? todayIn(e, day) : undefined;
			if (this.today) void this.remind(this.today);
		} catch (err) {
			this.error = `Today's experiment could not be read: ${String(err)}`;
		}
		return this.today;
	}

	private async remind(t: TodayInExperiment) {
		const from = Date.parse(`${t.day}T00:00:00`);
		const readings = await (
			await getDb()
		).sessions
			.where('startedAt')
			.between(from, from + 86_400_000)
			.filter((s) => s.status === 'finished' && s.tags.includes(EXPERIMENT_TAG))
			.count();
		await remindIfLate(
			t.day,
			readings > 0,
			`Day ${t.dayNumber} of ${t.days}. ${t.instruction} No reading yet today.`
		).catch(() => undefined);
	}

	async mark(did: Arm | null): Promise<void> {
		const t = this.today;
		if (!t) return;
		try {
			await logExperimentDay(t.experimentId, t.day, { did });
			this.today = { ...t, did: did ?? undefined };
		} catch (err) {
			this.error = `That could not be saved: ${String(err)}`;
		}
	}

	async saveNote(note: string): Promise<void> {
		const t = this.today;
		if (!t) return;
		try {
			await logExperimentDay(t.experimentId, t.day, { note });
			this.today = { ...t, note: note.trim() || undefined };
		} catch (err) {
			this.error = `The note could not be saved: ${String(err)}`;
		}
	}
}
