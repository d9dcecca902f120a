/**
 * The "Your data" page's state and actions: storage use and persistence, backup and restore,
 * importing RR files, the integrity check and its repair, deleting everything.
 */
import {
	backupBlob,
	checkIntegrity,
	removeDamaged,
	type DamagedRecord,
	deleteEverything,
	formatBytes,
	importRrFile,
	isPersisted,
	requestPersistence,
	restoreBackup,
	storageUse
} from '$lib/db';
import { download } from '$lib/format/download';
import { computeSummary } from '$lib/review/summary';

export interface Message {
	ok: boolean;
	text: string;
}

export class YourData {
	usage = $state<{ usedBytes: number; quotaBytes: number } | undefined>();
	persisted = $state<boolean | undefined>();
	backupMessage = $state<string | undefined>();
	importMessage = $state<Message | undefined>();
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

	async importFile(file: File): Promise<void> {
		// A day-long recording takes a second or two to analyse.
		this.importMessage = { ok: true, text: `Reading and analysing ${file.name}…` };
		const r = await importRrFile(
			file.name,
			await file.text(),
			computeSummary,
			Date.now(),
			file.lastModified
		);
		this.importMessage = r.ok
			? {
					ok: true,
					text: `Imported ${file.name}: ${r.session.beatCount} beats, added to your sessions.`
				}
			: { ok: false, text: `${file.name} was not imported: line ${r.line}: ${r.reason}.` };
		await this.refresh();
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
