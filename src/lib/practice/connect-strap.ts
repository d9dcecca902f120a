/** Connecting the app's recorder to a strap: the real one over Bluetooth, or the demo strap. */
import { BluetoothStrap } from '$lib/strap/web-bluetooth';
import { bluetoothSupport, describeBluetoothError } from '$lib/strap/bluetooth-errors';
import { DemoStrap, type DemoStrapOptions } from '$lib/strap/demo';
import { recorder } from './app-recorder';

export type StrapKind = 'bluetooth' | 'demo';

export { bluetoothSupport };

/**
 * Connects; resolves to a message for the person when it failed, else undefined. `demo`: which
 * heart the demo strap carries (the resonance page offers one with no resonance).
 */
export async function connectStrap(
	kind: StrapKind,
	demo: DemoStrapOptions = {}
): Promise<string | undefined> {
	try {
		await recorder.connect(kind === 'bluetooth' ? new BluetoothStrap() : new DemoStrap(demo));
		return undefined;
	} catch (err) {
		return describeBluetoothError(err);
	}
}
