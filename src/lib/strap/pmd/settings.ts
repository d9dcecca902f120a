/**
 * PMD measurement settings (PmdSetting.kt): a list of (type, count, values), each value
 * little-endian of a size fixed by its type. The strap answers "get settings" with what it offers;
 * a start carries one chosen value of each.
 */
export const SettingType = {
	SAMPLE_RATE: 0,
	RESOLUTION: 1,
	RANGE: 2,
	RANGE_MILLIUNIT: 3,
	CHANNELS: 4,
	FACTOR: 5,
	SECURITY: 6
} as const;

const FIELD_SIZE: Record<number, number> = { 0: 2, 1: 2, 2: 2, 3: 4, 4: 1, 5: 4, 6: 16 };

/** What the strap offers: setting type → its values. */
export type AvailableSettings = Map<number, number[]>;

export interface SelectedSettings {
	sampleRate: number;
	resolution: number;
	range: number;
	channels?: number;
}

export type SettingsResult =
	{ ok: true; value: AvailableSettings } | { ok: false; message: string };

export function parseSettings(bytes: Uint8Array): SettingsResult {
	const out: AvailableSettings = new Map();
	let i = 0;
	while (i < bytes.length) {
		const type = bytes[i];
		const size = FIELD_SIZE[type];
		if (size === undefined) return { ok: false, message: `Unknown setting type ${type}` };
		if (i + 1 >= bytes.length) return { ok: false, message: 'A setting without its count' };
		const count = bytes[i + 1];
		i += 2;
		if (i + count * size > bytes.length) {
			return { ok: false, message: `Setting ${type} runs past the end of the answer` };
		}
		const values: number[] = [];
		for (let k = 0; k < count; k++, i += size) values.push(readSignedLE(bytes, i, size));
		out.set(type, values);
	}
	return { ok: true, value: out };
}

/** TypeUtils.convertArrayToSignedInt: sizes under 4 bytes are read unsigned. */
function readSignedLE(bytes: Uint8Array, at: number, size: number): number {
	let v = 0;
	for (let k = Math.min(size, 4) - 1; k >= 0; k--) v = v * 256 + bytes[at + k];
	return size === 4 ? v | 0 : v;
}

export function encodeSettings(s: SelectedSettings): number[] {
	const out: number[] = [];
	const put = (type: number, value: number) => {
		out.push(type, 1);
		for (let k = 0; k < FIELD_SIZE[type]; k++) out.push((value >> (8 * k)) & 0xff);
	};
	put(SettingType.SAMPLE_RATE, s.sampleRate);
	put(SettingType.RESOLUTION, s.resolution);
	put(SettingType.RANGE, s.range);
	if (s.channels !== undefined) put(SettingType.CHANNELS, s.channels);
	return out;
}

/** Breathing is below 0.5 Hz: the lowest rate from 25 Hz up is plenty and costs least battery. */
export const BREATHING_MIN_RATE_HZ = 25;

/**
 * The settings to start ACC with: the lowest offered rate of at least 25 Hz, 16-bit (or the
 * finest offered), the smallest range (a breath is tens of mG; a jolt that clips is movement all
 * the same), the channels offered. Undefined when the strap offers no rate, resolution or range:
 * the H10 refuses a start that lacks any of them (polar-ble-sdk issue #124).
 */
export function chooseAccSettings(available: AvailableSettings): SelectedSettings | undefined {
	const rates = available.get(SettingType.SAMPLE_RATE) ?? [];
	const resolutions = available.get(SettingType.RESOLUTION) ?? [];
	const ranges = available.get(SettingType.RANGE) ?? [];
	if (rates.length === 0 || resolutions.length === 0 || ranges.length === 0) return undefined;
	const fastEnough = rates.filter((r) => r >= BREATHING_MIN_RATE_HZ);
	const sampleRate = fastEnough.length > 0 ? Math.min(...fastEnough) : Math.max(...rates);
	const resolution = resolutions.includes(16) ? 16 : Math.max(...resolutions);
	const channels = available.get(SettingType.CHANNELS);
	return {
		sampleRate,
		resolution,
		range: Math.min(...ranges),
		...(channels && channels.length > 0 ? { channels: Math.max(...channels) } : {})
	};
}
