/**
 * The "Your data" page's state and actions: storage use and persistence, backup and restore,
 * importing RR files (one, or a whole history at once, with progress and a summary), the integrity
 * check and its repair, deleting everything.
 */
import {
	backupBlob,
	checkIntegrity,
	removeDamaged,
	type DamagedRecord,
	deleteEverything,
	formatBytes,
	importRrFiles,
	isPersisted,
	requestPersistence,
	restoreBackup,
	storageUse,
	type ImportProgress,
	type ImportReport,
	type ImportResult
} from '$lib/db';
import { download } from '$lib/format/download';
import { formatDateTime } from '$lib/format/format';
import { computeSummary } from '$lib/review/summary';

export interface Message {
	ok: boolean;
	text: string;
}

/** One file of an import, as the person reads it. */
export interface ImportLine {
	name: string;
	status: 'imported' | 'duplicate' | 'refused';
	/** "Imported morning.txt: 300 beats, added to your sessions." and the like. */
	text: string;
	/** What an imported file held: format, unit, date, values left out and beats flagged. */
	detail?: string;
	sessionId?: string;
}

export interface ImportSummary {
	/** Files chosen or dropped (hidden system files such as .DS_Store excepted). */
	total: number;
	imported: number;
	duplicates: number;
	refused: number;
	/** Files not read because the import stopped. */
	notRead: number;
	/** Hidden system files left aside. */
	ignored: number;
	stopped?: 'cancelled' | 'storage full';
	lines: ImportLine[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const DATE_FROM: Record<ImportReport['dateFrom'], string> = {
	file: 'date from the file',
	'file name': 'date from the file name',
	'file modified': 'dated by when the file was written',
	'import time': 'the file has no date: dated now'
};

/** What a file held, in one line: format, unit, date and where it came from, what was left out. */
export function describeImport(r: ImportReport): string {
	const parts = [
		r.format,
		`RR in ${r.unit === 's' ? 'seconds' : 'ms'}${r.column ? ` (column "${r.column}")` : ''}`,
		`recorded ${formatDateTime(r.startedAt)} (${DATE_FROM[r.dateFrom]})`
	];
	if (r.optical) parts.push('optical pulse intervals (PPI), not ECG');
	for (const n of r.leftOut) parts.push(`${plural(n.count, 'value')} left out: ${n.reason}`);
	for (const n of r.flagged)
		parts.push(`${plural(n.count, 'beat')} kept but left out of the analysis: ${n.reason}`);
	if (r.encoding && r.encoding !== 'utf-8') parts.push(`read as ${r.encoding.toUpperCase()}`);
	return parts.join(' · ');
}

function lineOf(name: string, r: ImportResult): ImportLine {
	if (r.ok)
		return {
			name,
			status: 'imported',
			text: `Imported ${name}: ${r.session.beatCount} beats, added to your sessions.`,
			detail: describeImport(r.report),
			sessionId: r.session.id
		};
	if (r.status === 'duplicate')
		return {
			name,
			status: 'duplicate',
			text: `Skipped ${name}: already imported (the session of ${formatDateTime(r.duplicateOf.startedAt)}).`,
			sessionId: r.duplicateOf.id
		};
	return {
		name,
		status: 'refused',
		text:
			r.line > 0
				? `${name} was not imported: line ${r.line}: ${r.reason}.`
				: `${name} was not imported: ${r.reason}.`
	};
}

/** Files a file manager adds to folders (.DS_Store, desktop.ini, Thumbs.db): never recordings. */
const isSystemFile = (name: string) =>
	name.startsWith('.') || /^(desktop\.ini|thumbs\.db)$/i.test(name);

export class YourData {
	usage = $state<{ usedBytes: number; quotaBytes: number } | undefined>();
	persisted = $state<boolean | undefined>();
	backupMessage = $state<string | undefined>();
	/** The import under way: files done of total, and the one being read. */
	importProgress = $state<ImportProgress | undefined>();
	importSummary = $state.raw<ImportSummary | undefined>();
	private importAbort: AbortController | undefined;
	restoreMessage = $state<Message | undefined>();
	deleteMessage = $state<string | undefined>();
	damaged = $state.raw<DamagedRecord[] | undefined>();
	repairMessage = $state<string | undefined>();

	async refresh(): Promise<void> {
		this.usage = await storageUse();
		this.persisted = await isPersisted();
		this.damaged = await checkIntegrity();
	}

	async repair(): Promise<void> {
		const damaged = this.damaged;
		if (!damaged) return;
		await removeDamaged(damaged);
		this.repairMessage = `Removed ${damaged.length} damaged record${damaged.length === 1 ? '' : 's'}.`;
		await this.refresh();
	}

	async keep(): Promise<void> {
		this.persisted = (await requestPersistence()) === 'granted';
	}

	async makeBackup(): Promise<void> {
		this.backupMessage = 'Preparing the backup…';
		const blob = await backupBlob();
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off file name, not state
		download(blob, `settle-backup-${new Date().toISOString().slice(0, 10)}.json`);
		this.backupMessage = `Backup of ${formatBytes(blob.size)} saved to your downloads.`;
	}

	/**
	 * Imports files chosen or dropped, one after another: progress while it runs, then what became
	 * of each file. A second batch while one runs is ignored (the page disables its inputs).
	 */
	async importFiles(files: readonly File[]): Promise<void> {
		if (this.importProgress) return;
		const chosen = files.filter((f) => !isSystemFile(f.name));
		const abort = new AbortController();
		this.importAbort = abort;
		this.importSummary = undefined;
		this.importProgress = { done: 0, total: chosen.length, current: chosen[0]?.name };
		try {
			const batch = await importRrFiles(
				chosen.map((f) => ({
					name: f.name,
					lastModified: f.lastModified,
					bytes: async () => new Uint8Array(await f.arrayBuffer())
				})),
				computeSummary,
				{ signal: abort.signal, onProgress: (p) => (this.importProgress = p) }
			);
			const lines = batch.results.map((r) => lineOf(r.name, r.result));
			const count = (s: ImportLine['status']) => lines.filter((l) => l.status === s).length;
			this.importSummary = {
				total: chosen.length,
				imported: count('imported'),
				duplicates: count('duplicate'),
				refused: count('refused'),
				notRead: chosen.length - lines.length,
				ignored: files.length - chosen.length,
				stopped: batch.stopped,
				lines
			};
		} catch (err) {
			// The database itself failed (not one file): say so rather than leave the page waiting.
			const text = `The import stopped: ${err instanceof Error ? err.message : String(err)}.`;
			this.importSummary = {
				total: chosen.length,
				imported: 0,
				duplicates: 0,
				refused: 0,
				notRead: chosen.length,
				ignored: files.length - chosen.length,
				lines: [{ name: '', status: 'refused', text }]
			};
		} finally {
			this.importProgress = undefined;
			this.importAbort = undefined;
		}
		await this.refresh();
	}

	/** Stops an import after the file being read (what was imported stays). */
	cancelImport(): void {
		this.importAbort?.abort();
	}

	async restore(file: File): Promise<void> {
		this.restoreMessage = { ok: true, text: `Restoring ${file.name}…` };
		const r = await restoreBackup(file);
		this.restoreMessage = r.ok
			? { ok: true, text: `Backup restored: ${r.sessions} sessions in total.` }
			: { ok: false, text: r.reason };
		await this.refresh();
	}

	async deleteAll(): Promise<void> {
		await deleteEverything();
		this.deleteMessage = 'Every session was deleted.';
		await this.refresh();
	}
}
