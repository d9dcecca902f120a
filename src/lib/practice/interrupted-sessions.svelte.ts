/**
 * Recordings a killed tab or a crash left unfinished, offered to finish, resume or discard, and
 * whether another tab is recording right now (then this one neither offers nor records).
 */
import {
	deleteSession,
	finishRecovered,
	otherTabRecording,
	resumeInfo,
	unfinishedSessions,
	watchOtherTabs,
	type SessionRow
} from '$lib/db';
import { formatDateTime } from '$lib/format/format';
import { computeSummary } from '$lib/review/summary';
import { practice, recorder } from './app-recorder';

export class InterruptedSessions {
	pending = $state.raw<SessionRow[]>([]);
	otherTab = $state(false);
	message = $state<string | undefined>();

	/** Starts watching; returns the function that stops it. */
	watch(): () => void {
		void this.refresh();
		return watchOtherTabs((recording) => {
			this.otherTab = recording && !this.ownsLock;
			void this.refresh();
		});
	}

	/**
	 * This tab holds the recording lock: recording, or saving a session that waits for storage to
	 * have room. The lock's announcements reach this tab too; they are not another tab's.
	 */
	private get ownsLock(): boolean {
		return recorder.phase === 'recording' || recorder.phase === 'saving';
	}

	get canResume(): boolean {
		return recorder.link === 'connected' && recorder.phase !== 'recording';
	}

	async refresh(): Promise<void> {
		this.otherTab = !this.ownsLock && (await otherTabRecording());
		this.pending = this.otherTab
			? []
			: (await unfinishedSessions()).filter((s) => s.id !== recorder.sessionId);
	}

	async finish(s: SessionRow): Promise<void> {
		await finishRecovered(s.id, computeSummary);
		this.message = `The interrupted session of ${formatDateTime(s.startedAt)} is saved with ${s.beatCount} beats.`;
		await this.refresh();
	}

	async resume(s: SessionRow): Promise<void> {
		const info = await resumeInfo(s.id);
		if (info) await practice.resumeSession(info);
		await this.refresh();
	}

	async discard(s: SessionRow): Promise<void> {
		await deleteSession(s.id);
		await this.refresh();
	}
}
