/**
 * The "Sync between your devices" part of the Your data page: setting up or joining a sync group,
 * showing the pairing code, turning sync off and on, forgetting this device, the group's devices
 * (removing a lost one renews the group), pairing again after another device renewed it. The
 * engine loads only when the person acts or sync is already on, so this page's first paint does
 * not pay for it.
 */
import { base, resolve } from '$app/paths';
import type { DeviceView } from '$lib/sync/devices';
import { readPairingLink } from '$lib/sync/pairing-code';
import { sameOriginSync } from '$lib/sync/same-origin';
import { loadSyncEngine, syncMember, syncStatus, syncWanted } from '$lib/sync/status.svelte';

export interface PairingView {
	code: string;
	passphrase: boolean;
	link: string;
	/** The QR code of the link, as SVG markup made here (no outside service). */
	qrSvg: string;
	/** The one-time invitation for the server, and until when it is good (0: no limit). */
	invite?: string;
	inviteExpiresAt?: number;
	/** Why no invitation could be made (the server unreachable, say). */
	inviteProblem?: string;
	/** Shown after this device renewed the group: the others must enter this code. */
	renewed: boolean;
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
	/** The group's devices as the server lists them (undefined until fetched). */
	devices = $state<DeviceView[] | undefined>();
	devicesProblem = $state<string | undefined>();
	/** Whether the server's first access token still adds devices. */
	admissionOpen = $state(false);
	/** The device the person is about to remove (its confirmation is open). */
	removing = $state<DeviceView | undefined>();
	/** Whether this group asks for a passphrase (a renewed one then needs one too). */
	groupPassphrase = $state(false);
	/** A device was removed from here, but renewing the group did not finish. */
	renewPending = $state(false);
	/** The name the person gives this device (encrypted: only the group's devices read it). */
	deviceName = $state('');
	/** The name being typed while renaming this device (undefined: not renaming). */
	renaming = $state<string | undefined>();

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
				void sameOriginSync(`${location.origin}${base}/`).then((url) => {
					if (url && !this.serverUrl) this.serverUrl = url;
				});
			return;
		}
		const engine = await loadSyncEngine();
		const m = await engine.membership();
		this.member = Boolean(m);
		if (!m) return;
		this.serverUrl = m.serverUrl;
		this.groupPassphrase = m.passphrase;
		this.renewPending = m.renewPending;
		this.deviceName = m.deviceName ?? '';
		if (m.enabled && syncWanted()) {
			await engine.startSync();
			await this.loadDevices();
		}
	}

	/** Fetches the group's devices from the server (quietly says why not, when it cannot). */
	async loadDevices(): Promise<void> {
		try {
			const listed = await (await loadSyncEngine()).groupDevices();
			this.devices = listed?.devices;
			this.admissionOpen = listed?.admissionOpen ?? false;
			this.devicesProblem = undefined;
		} catch (e) {
			this.devicesProblem = `The list of devices could not be fetched: ${e instanceof Error ? e.message : String(e)}`;
		}
	}

	startRename(): void {
		this.renaming = this.deviceName;
	}

	cancelRename(): void {
		this.renaming = undefined;
	}

	/** Names this device in the list (sealed with the group's key before it leaves). */
	saveName(): Promise<void> {
		const name = this.renaming ?? '';
		return this.act('Saving the name…', async () => {
			await (await loadSyncEngine()).nameThisDevice(name);
			this.deviceName = name.trim();
			this.renaming = undefined;
			await this.loadDevices();
		});
	}

	askRemove(device: DeviceView): void {
		this.removing = device;
		this.passphrase = '';
		this.message = undefined;
	}

	cancelRemove(): void {
		this.removing = undefined;
		this.passphrase = '';
	}

	/** Removes the device being confirmed, renews the group, and shows the new pairing code. */
	remove(): Promise<void> {
		const device = this.removing;
		if (!device) return Promise.resolve();
		return this.act(`Removing ${device.name ?? device.label} and renewing the group…`, async () => {
			const engine = await loadSyncEngine();
			await engine.removeDevice(device.id, this.passphrase || undefined);
			return this.renewed(`${device.name ?? device.label} is removed.`);
		});
	}

	/** Finishes a renewal that a failed network interrupted. */
	finishRenewal(): Promise<void> {
		return this.act('Renewing the group…', async () => {
			await (await loadSyncEngine()).renewGroup(this.passphrase || undefined);
			return this.renewed('The group is renewed.');
		});
	}

	private async renewed(first: string): Promise<string> {
		this.removing = undefined;
		this.passphrase = '';
		this.renewPending = false;
		await this.showPairing(true);
		await this.loadDevices();
		return `${first} Its access token is refused from now on, and nothing written from now on opens with its copy of the old secret. Your other devices must now be paired again: on each, open Your data and enter the new pairing code below (they keep their access).`;
	}

	/** Pairs this device again with the code of the group another device renewed. */
	rejoin(): Promise<void> {
		return this.act('Pairing again…', async () => {
			if (!this.code.trim()) throw new Error('Enter the new pairing code your other device shows.');
			await (await loadSyncEngine()).rejoinGroup(this.code, this.passphrase || undefined);
			this.code = '';
			this.passphrase = '';
			await this.loadDevices();
			return 'Paired again with the renewed group. Your sessions sync as before.';
		});
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
		if (!this.token.trim())
			throw new Error(
				'Enter the access token your sync server printed, or the invitation your other device shows.'
			);
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
				this.withPassphrase ? this.passphrase : undefined,
				this.deviceName
			);
			this.passphrase = '';
			this.member = true;
			await this.showPairing();
			await this.loadDevices();
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
				this.passphrase || undefined,
				this.deviceName
			);
			this.passphrase = '';
			this.code = '';
			this.member = true;
			this.fromLink = false;
			if (typeof history !== 'undefined' && location.hash)
				history.replaceState(history.state, '', location.pathname + location.search);
			void this.loadDevices();
			return 'Joined. Your history arrives in the background; you can keep using Settle.';
		});
	}

	async showPairing(renewed = false): Promise<void> {
		const engine = await loadSyncEngine();
		// The app's own address, with the path it is served under (a GitHub project page's /settle).
		const d = await engine.pairingDetails(location.origin + resolve('/'));
		if (!d) return;
		this.pairing = {
			code: d.code,
			passphrase: d.passphrase,
			link: d.link,
			qrSvg: await qrSvg(d.link),
			invite: d.invite?.invite,
			inviteExpiresAt: d.invite?.expiresAt,
			inviteProblem: d.inviteProblem,
			renewed
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
			await this.loadDevices();
		});
	}

	syncNow(): Promise<void> {
		return this.act('Syncing…', async () => {
			await (await loadSyncEngine()).syncNow();
			await this.loadDevices();
		});
	}

	forget(): Promise<void> {
		return this.act('Forgetting this device…', async () => {
			await (await loadSyncEngine()).forgetDevice();
			this.member = false;
			this.pairing = undefined;
			this.devices = undefined;
			return 'This device has left the sync group. Its sessions stay here; the other devices keep theirs.';
		});
	}
}
