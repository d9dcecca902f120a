/**
 * Plain-language reasons for Web Bluetooth failures. Chromium reports them as DOMExceptions whose
 * name says little on its own (a cancelled chooser and a switched-off adapter are both NotFoundError).
 */
export type BluetoothSupport =
	{ ok: true } | { ok: false; reason: 'unsupported' | 'insecure' | 'blocked'; message: string };

export function bluetoothSupport(): BluetoothSupport {
	if (typeof window !== 'undefined' && !window.isSecureContext) {
		return {
			ok: false,
			reason: 'insecure',
			message:
				'Bluetooth needs a secure page (https or localhost). Open Settle from its secure address.'
		};
	}
	if (typeof navigator === 'undefined' || !('bluetooth' in navigator) || !navigator.bluetooth) {
		return {
			ok: false,
			reason: 'unsupported',
			message:
				'This browser cannot talk to Bluetooth straps. Chrome or Edge on a computer or Android phone can; here you can use the demo strap or import a recording.'
		};
	}
	return { ok: true };
}

export function describeBluetoothError(err: unknown): string {
	const name = err instanceof Error ? err.name : '';
	const message = err instanceof Error ? err.message : String(err);
	if (name === 'NotFoundError' && /cancel/i.test(message)) {
		return 'No strap was chosen. Press “Connect strap” again and pick your strap from the list.';
	}
	if (name === 'NotFoundError' && /adapter/i.test(message)) {
		return 'Bluetooth is switched off or missing on this device. Turn it on and try again.';
	}
	if (name === 'NotFoundError' && /No Services matching/i.test(message)) {
		return 'This device does not offer the standard heart-rate service.';
	}
	if (name === 'SecurityError' || name === 'NotAllowedError') {
		return 'The browser did not allow Bluetooth here (a permission or policy blocks it). Check the site settings.';
	}
	if (name === 'NetworkError') {
		return 'The strap did not answer. Wet the electrodes, check it is on your chest, and try again.';
	}
	return `The strap could not be connected: ${message}`;
}
