/**
 * The "Sync between your devices" part of the Your data page: setting up or joining a sync group,
 * showing the pairing code, turning sync off and on, forgetting this device. The engine loads
 * only when the person acts or sync is already on, so this page's first paint does not pay for it.
 */
import { resolve } from '$app/paths';
import { readPairingLink } from '$lib/sync/pairing-code';
import { sameOriginSync } from '$lib/sync/same-origin';
import { loadSyncEngine, syncMember, syncStatus, syncWanted } from '$lib/sync/status.svelte';

export interface PairingView {
	code: string;
	passphrase: boolean;
	link: string;
	/** The QR code of the link, as SVG markup made here (no outside service). */
	qrSvg: string;
}

async function qrSvg(text: string): Promise<string> {
	const { default: qrcode } = await import('qrcode-generator');
	const qr = qrcode(0, 'M');
	qr.addData(text);
	qr.make();
	return qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
}

export class SyncPanel {
	readonly status = syncStatus;
	/** Whether this device belongs to a group; undefined until known. */
	member = $state<boolean | undefined>();
	serverUrl = $state('');
	token = $state('');
	code = $state('');
	passphrase = $state('');
	/** Setting up: whether the new group also asks for a passphrase. */
	withPassphrase = $state(false);
	busy = $state<string | undefined>();
	message = $state<{ ok: boolean; text: string } | undefined>();
	pairing = $state<PairingView | undefined>();
	/** Filled from a pairing link (the QR code) so joining is one press. */
	fromLink = $state(false);

	/** Reads what it can without loading the engine; loads it when this device is a member. */
	async load(hash = typeof location !== 'undefined' ? location.hash : ''): Promise<void> {
		const link = readPairingLink(hash);
		if (link) {
			this.serverUrl = link.serverUrl;
			this.token = link.token;
			this.code = link.code;
			this.fromLink = true;
		}
		this.member = syncMember();
		if (!this.member) {
			// Served by Settle's own server: its sync address is this origin's (unless typed already).
			if (!this.serverUrl && typeof location !== 'undefined')
				void sameOriginSync(location.origin).then((url) => {
					if (url && !this.serverUrl) this.serverUrl = url;
				});
			return;
		}
		const engine = await loadSyncEngine();
		const m = await engine.membership();
		this.member = Boolean(m);
		if (m) this.serverUrl = m.serverUrl;
		if (m?.enabled && syncWanted()) void engine.startSync();
	}

	private async act(label: string, work: () => Promise<string | void>): Promise<void> {
		this.busy = label;
		this.message = undefined;
		try {
			const text = await work();
			if (text) this.message = { ok: true, text };
		} catch (e) {
			this.message = { ok: false, text: e instanceof Error ? e.message : String(e) };
		} finally {
			this.busy = undefined;
		}
	}

	private needServer(): void {
		if (!this.serverUrl.trim()) throw new Error('Enter the address of your sync server.');
		if (!this.token.trim()) throw new Error('Enter the access token your sync server printed.');
	}

	create(): Promise<void> {
		return this.act('Setting up sync…', async () => {
			this.needServer();
			if (this.withPassphrase && this.passphrase.length < 8)
				throw new Error('Choose a passphrase of at least 8 characters, or untick the box.');
			const engine = await loadSyncEngine();
			await engine.createGroup(
				this.serverUrl,
				this.token.trim(),
				this.withPassphrase ? this.passphrase : undefined
			);
			this.passphrase = '';
			this.member = true;
			await this.showPairing();
			return 'Sync is on. Add your other device with the pairing code below.';
		});
	}

	join(): Promise<void> {
		return this.act('Joining…', async () => {
			this.needServer();
			if (!this.code.trim()) throw new Error('Enter the pairing code your other device shows.');
			const engine = await loadSyncEngine();
			await engine.joinGroup(
				this.serverUrl,
				this.token.trim(),
				this.code,
				this.passphrase || undefined
			);
			this.passphrase = '';
			this.code = '';
			this.member = true;
			this.fromLink = false;
			if (typeof history !== 'undefined' && location.hash)
				history.replaceState(history.state, '', location.pathname + location.search);
			return 'Joined. Your history arrives in the background; you can keep using Settle.';
		});
	}

	async showPairing(): Promise<void> {
		const engine = await loadSyncEngine();
		// The app's own address, with the path it is served under (a GitHub project page's /settle).
		const d = await engine.pairingDetails(location.origin + resolve('/'));
		if (!d) return;
		this.pairing = {
			code: d.code,
			passphrase: d.passphrase,
			link: d.link,
			qrSvg: await qrSvg(d.link)
		};
	}

	hidePairing(): void {
		this.pairing = undefined;
	}

	turnOff(): Promise<void> {
		return this.act('Turning sync off…', async () => {
			await (await loadSyncEngine()).stopSync();
			this.pairing = undefined;
			return 'Sync is off. Everything recorded stays on this device.';
		});
	}

	turnOn(): Promise<void> {
		return this.act('Turning sync on…', async () => {
			await (await loadSyncEngine()).resumeSync();
		});
	}

	syncNow(): Promise<void> {
		return this.act('Syncing…', async () => {
			await (await loadSyncEngine()).syncNow();
		});
	}

	forget(): Promise<void> {
		return this.act('Forgetting this device…', async () => {
			await (await loadSyncEngine()).forgetDevice();
			this.member = false;
			this.pairing = undefined;
			return 'This device has left the sync group. Its sessions stay here; the other devices keep theirs.';
		});
	}
}
