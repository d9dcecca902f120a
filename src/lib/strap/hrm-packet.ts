/**
 * Heart Rate Measurement (GATT characteristic 0x2A37) parser.
 * Spec: Bluetooth SIG Heart Rate Service 1.0, characteristic XML (see docs/hrv-algorithms.md §1.1).
 * Total: every byte sequence yields a measurement or a typed error, never an exception.
 */

/** Sensor contact as the flags report it (bits 1-2). */
export type ContactStatus = 'not-supported' | 'no-contact' | 'contact';

export interface HeartRateMeasurement {
	bpm: number;
	contact: ContactStatus;
	/** Energy expended in kJ, when the strap includes it (flag bit 3). */
	energyKJ?: number;
	/** Raw RR values in 1/1024 s, oldest first. */
	rrTicks: number[];
	/** The same values in ms at full precision (ticks × 1000 / 1024). */
	rrMs: number[];
	/** Flag bit 4: the strap sent the RR field (possibly with no complete value). */
	rrPresent: boolean;
}

export type PacketErrorReason = 'empty' | 'too-short' | 'dangling-rr-byte';

export interface PacketError {
	reason: PacketErrorReason;
	message: string;
	bytes: number[];
}

export type ParseResult =
	{ ok: true; value: HeartRateMeasurement } | { ok: false; error: PacketError };

export const RR_TICKS_PER_SECOND = 1024;

export function ticksToMs(ticks: number): number {
	return (ticks * 1000) / RR_TICKS_PER_SECOND;
}

function fail(reason: PacketErrorReason, message: string, view: DataView): ParseResult {
	const bytes: number[] = [];
	for (let i = 0; i < view.byteLength; i++) bytes.push(view.getUint8(i));
	return { ok: false, error: { reason, message, bytes } };
}

export function parseHeartRateMeasurement(view: DataView): ParseResult {
	const len = view.byteLength;
	if (len === 0) return fail('empty', 'Empty heart-rate packet', view);
	const flags = view.getUint8(0);
	const hr16 = (flags & 0x01) !== 0;
	const contactBits = (flags >> 1) & 0x03;
	const hasEnergy = (flags & 0x08) !== 0;
	const rrPresent = (flags & 0x10) !== 0;

	let off = 1;
	const need = off + (hr16 ? 2 : 1) + (hasEnergy ? 2 : 0);
	if (len < need) {
		return fail('too-short', `Heart-rate packet has ${len} bytes; its flags need ${need}`, view);
	}
	const bpm = hr16 ? view.getUint16(off, true) : view.getUint8(off);
	off += hr16 ? 2 : 1;
	let energyKJ: number | undefined;
	if (hasEnergy) {
		energyKJ = view.getUint16(off, true);
		off += 2;
	}
	const rrTicks: number[] = [];
	if (rrPresent) {
		if ((len - off) % 2 !== 0) {
			return fail('dangling-rr-byte', 'Heart-rate packet ends with half an RR value', view);
		}
		for (; off + 1 < len; off += 2) rrTicks.push(view.getUint16(off, true));
	}
	const contact: ContactStatus =
		contactBits === 3 ? 'contact' : contactBits === 2 ? 'no-contact' : 'not-supported';
	return {
		ok: true,
		value: { bpm, contact, energyKJ, rrTicks, rrMs: rrTicks.map(ticksToMs), rrPresent }
	};
}

/** Builds a 0x2A37 payload; the demo strap and the tests speak the strap's own bytes. */
export function encodeHeartRateMeasurement(m: {
	bpm: number;
	contact?: ContactStatus;
	energyKJ?: number;
	rrTicks?: number[];
	hr16?: boolean;
}): Uint8Array {
	const hr16 = m.hr16 ?? m.bpm > 255;
	const rr = m.rrTicks ?? [];
	let flags = hr16 ? 0x01 : 0;
	if (m.contact === 'contact') flags |= 0x06;
	else if (m.contact === 'no-contact') flags |= 0x04;
	if (m.energyKJ !== undefined) flags |= 0x08;
	if (rr.length > 0) flags |= 0x10;
	const bytes: number[] = [flags];
	const push16 = (v: number) => bytes.push(v & 0xff, (v >> 8) & 0xff);
	if (hr16) push16(m.bpm);
	else bytes.push(m.bpm & 0xff);
	if (m.energyKJ !== undefined) push16(m.energyKJ);
	for (const t of rr) push16(t);
	return Uint8Array.from(bytes);
}
