/** Connecting the app's recorder to a strap: the real one over Bluetooth, or the demo strap. */
import { BluetoothStrap } from '$lib/strap/web-bluetooth';
import { bluetoothSupport, describeBluetoothError } from '$lib/strap/bluetooth-errors';
import { DemoStrap } from '$lib/strap/demo';
import { recorder } from './app-recorder';

export type StrapKind = 'bluetooth' | 'demo';

export { bluetoothSupport };

/** Connects; resolves to a message for the person when it failed, else undefined. */
export async function connectStrap(kind: StrapKind): Promise<string | undefined> {
	try {
		await recorder.connect(kind === 'bluetooth' ? new BluetoothStrap() : new DemoStrap());
		return undefined;
	} catch (err) {
		return describeBluetoothError(err);
	}
}
