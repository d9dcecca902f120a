/**
 * The "Your data" page's state and actions: storage use and persistence, backup and restore,
 * importing RR files (one, or a whole history at once, with progress and a summary), the integrity
 * check (after the page has painted, with progress when it has work) and its repair, deleting
 * everything.
 */
import {
	backupBlob,
	damagedCount,
	forgetIntegrityChecks,
	removeDamaged,
	type DamagedRecord,
	type IntegrityProgress,
	type IntegrityStats,
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
import { formatCount, formatDateTime } from '$lib/format/format';
import { ImportSummaries } from './import-summaries';
import { checkIntegrityOffThread } from '$lib/db/integrity-off-thread';

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

/** Resolves once the page has painted (a frame, then a task); at once where nothing is drawn. */
function afterPaint(): Promise<void> {
	return new Promise((resolve) => {
		// Hidden tabs get no frames: there is nothing to paint first.
		if (typeof requestAnimationFrame !== 'function' || document.hidden) setTimeout(resolve, 0);
		else requestAnimationFrame(() => setTimeout(resolve, 0));
	});
}

/** The check's duration and figures in the browser's performance timeline (DevTools, benchmarks). */
function measureCheck(start: number, stats: IntegrityStats): void {
	try {
		performance.measure('Settle: integrity check', { start, detail: stats });
	} catch {
		// No user timing here: nothing to show it to.
	}
}

/** Bytes of a file read at a time: reading 50 MB at once blocks the page for a tenth of a second. */
const READ_PIECE = 4 << 20;

/** A file's bytes, read a few MB at a time; a larger file stops between pieces when cancelled. */
async function fileBytes(file: File, signal?: AbortSignal): Promise<Uint8Array> {
	if (file.size <= READ_PIECE) return new Uint8Array(await file.arrayBuffer());
	const bytes = new Uint8Array(file.size);
	for (let at = 0; at < file.size; at += READ_PIECE) {
		const piece = new Uint8Array(await file.slice(at, at + READ_PIECE).arrayBuffer());
		signal?.throwIfAborted();
		bytes.set(piece, at);
	}
	return bytes;
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
	/** Stored records the damaged ones stand for (beats left behind count each chunk). */
	damagedTotal = $derived(this.damaged ? damagedCount(this.damaged) : 0);
	repairMessage = $state<string | undefined>();
	/** The integrity check reading beats: sessions done of total. Unset when it has nothing to read. */
	checkProgress = $state<IntegrityProgress | undefined>();
	/** What the last check read, when it read anything, or why it stopped. */
	checkMessage = $state<string | undefined>();
	private checking: AbortController | undefined;

	/**
	 * Storage figures, and the integrity check once the page has painted: the page's controls never
	 * wait for either.
	 */
	async refresh(): Promise<void> {
		await Promise.all([this.readStorage(), this.check()]);
	}

	private async readStorage(): Promise<void> {
		const [usage, persisted] = await Promise.all([storageUse(), isPersisted()]);
		this.usage = usage;
		this.persisted = persisted;
	}

	/**
	 * Names damaged records: every session row, and the beats of sessions new or changed since the
	 * last check in this browser (with progress). A check started while one runs replaces it; what
	 * the first had read is kept.
	 */
	async check(): Promise<void> {
		this.checking?.abort();
		const abort = new AbortController();
		this.checking = abort;
		await afterPaint();
		if (abort.signal.aborted) return;
		const start = performance.now();
		try {
			const report = await checkIntegrityOffThread({
				signal: abort.signal,
				onProgress: (p) => {
					if (p.total > 0 && this.checking === abort) this.checkProgress = p;
				}
			});
			this.damaged = report.damaged;
			const n = report.stats.sessionsChecked;
			this.checkMessage =
				n > 0
					? `Checked your recordings: ${formatCount(n)} session${n === 1 ? '' : 's'}.`
					: undefined;
			measureCheck(start, report.stats);
		} catch (err) {
			if (abort.signal.aborted) return;
			this.checkMessage = `Your recordings could not be checked: ${err instanceof Error ? err.message : String(err)}.`;
		} finally {
			if (this.checking === abort) {
				this.checking = undefined;
				this.checkProgress = undefined;
			}
		}
	}

	/** Stops the check (the page is closing); what it read so far is kept. */
	stop(): void {
		this.checking?.abort();
		this.checking = undefined;
		this.checkProgress = undefined;
	}

	async repair(): Promise<void> {
		const damaged = this.damaged;
		if (!damaged) return;
		await removeDamaged(damaged);
		const n = damagedCount(damaged);
		this.repairMessage = `Removed ${n} damaged record${n === 1 ? '' : 's'}.`;
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
		// Each recording is analysed in a worker (loading while the first file is read), ended with
		// the import.
		const summaries = new ImportSummaries();
		if (chosen.length > 0) summaries.warm();
		try {
			const batch = await importRrFiles(
				chosen.map((f) => ({
					name: f.name,
					lastModified: f.lastModified,
					size: f.size,
					bytes: (signal) => fileBytes(f, signal)
				})),
				summaries.summarize,
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
			summaries.close();
			this.importProgress = undefined;
			this.importAbort = undefined;
		}
		await this.refresh();
	}

	/**
	 * Stops an import: the file being read stops at its next pause (every 30 ms of reading, and
	 * while it is analysed) and is not imported, unless it is small enough to be read whole at
	 * once; the files before it stay imported.
	 */
	cancelImport(): void {
		this.importAbort?.abort();
	}

	async restore(file: File): Promise<void> {
		this.restoreMessage = { ok: true, text: `Restoring ${file.name}…` };
		const r = await restoreBackup(file);
		// A restore writes the backup's rows with the backup's updatedAt, so what was checked before
		// says nothing of the beats now stored. Forgotten after a refused file too: cheaper than
		// being wrong about what a failed restore may have written.
		forgetIntegrityChecks();
		if (r.ok) this.damaged = undefined;
		this.restoreMessage = r.ok
			? { ok: true, text: `Backup restored: ${r.sessions} sessions in total.` }
			: { ok: false, text: r.reason };
		await this.refresh();
	}

	async deleteAll(): Promise<void> {
		await deleteEverything();
		forgetIntegrityChecks();
		this.damaged = undefined;
		this.deleteMessage = 'Every session and experiment was deleted.';
		await this.refresh();
	}
}
