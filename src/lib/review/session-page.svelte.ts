/**
 * The session page's state and actions: load a session's detail, export its files, save edits,
 * delete with undo. The route only lays these out.
 */
import {
	beatsCsv,
	breathsCsv,
	deleteSession,
	exportFileName,
	rrText,
	undoDelete,
	type DeletedSession
} from '$lib/db';
import type { AnalysisSettings } from '$lib/analysis';
import { refusedWriteMessage } from '$lib/db/storage';
import { download } from '$lib/format/download';
import { currentBreathing } from './current-breathing';
import { loadSessionDetail, type SessionDetail } from './session-detail';
import { saveAnalysisSettings, saveSessionEdits, type SessionEdits } from './session-edits';
import { sessionReport } from './session-report';

export class SessionPage {
	/** undefined while loading, null when there is no such session. */
	// Raw: Chart.js marks its data arrays, which a deep state proxy forbids.
	detail = $state.raw<SessionDetail | undefined | null>();
	error = $state<string | undefined>();
	deleted = $state.raw<DeletedSession | undefined>();

	constructor(private readonly id: () => string) {}

	async load(): Promise<void> {
		try {
			this.detail = (await loadSessionDetail(this.id())) ?? null;
		} catch (err) {
			this.error = `This session could not be read: ${String(err)}`;
		}
	}

	exportRr(): void {
		if (!this.detail) return;
		const blob = new Blob([rrText(this.detail.series)], { type: 'text/plain' });
		download(blob, exportFileName(this.detail.session.startedAt, 'txt'));
	}

	exportCsv(): void {
		if (!this.detail) return;
		const blob = new Blob([beatsCsv(this.detail.series)], { type: 'text/csv' });
		download(blob, exportFileName(this.detail.session.startedAt, 'csv'));
	}

	/** The breaths the strap measured (offered only when the session has them). */
	async exportBreaths(): Promise<void> {
		const session = this.detail?.session;
		const record = session && (await currentBreathing(session.id));
		if (!session || !record) return;
		const blob = new Blob([breathsCsv(record, session.startedAt)], { type: 'text/csv' });
		download(blob, exportFileName(session.startedAt, 'breaths.csv'));
	}

	exportReport(): void {
		if (!this.detail?.analysis) return;
		const blob = new Blob([sessionReport(this.detail.session, this.detail.analysis)], {
			type: 'text/plain'
		});
		download(blob, exportFileName(this.detail.session.startedAt, 'report.txt'));
	}

	/** Keeps the settings with the session and recomputes its figures in place. */
	async applySettings(settings: AnalysisSettings): Promise<void> {
		await saveAnalysisSettings(this.id(), settings);
		await this.load();
	}

	/** Saves the person's edits; on a refused write, says why (the form keeps what was typed). */
	async save(edits: SessionEdits): Promise<string | undefined> {
		try {
			await saveSessionEdits(this.id(), edits);
		} catch (err) {
			return refusedWriteMessage('Your changes', err);
		}
		await this.load();
		return undefined;
	}

	async remove(): Promise<void> {
		this.deleted = await deleteSession(this.id());
	}

	async undo(): Promise<void> {
		if (!this.deleted) return;
		await undoDelete(this.deleted);
		this.deleted = undefined;
		await this.load();
	}
}
