import { describe, expect, it } from 'vitest';
import {
	encodeHeartRateMeasurement,
	parseHeartRateMeasurement,
	ticksToMs,
	type ParseResult
} from '$lib/strap/hrm-packet';

const parse = (bytes: number[]): ParseResult =>
	parseHeartRateMeasurement(new DataView(Uint8Array.from(bytes).buffer));

function ok(bytes: number[]) {
	const r = parse(bytes);
	if (!r.ok) throw new Error(`expected a measurement, got ${r.error.reason}`);
	return r.value;
}

describe('parseHeartRateMeasurement: malformed payloads', () => {
	it('rejects an empty payload with a reason', () => {
		const r = parse([]);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error.reason).toBe('empty');
	});
	it('rejects a flags byte with no heart rate', () => {
		const r = parse([0x00]);
		expect(!r.ok && r.error.reason).toBe('too-short');
	});
	it('rejects a 16-bit heart rate cut after one byte', () => {
		expect(!parse([0x01, 0x48]).ok && 'too-short').toBe('too-short');
	});
	it('rejects energy expended announced but missing', () => {
		const r = parse([0x08, 0x48, 0x01]);
		expect(!r.ok && r.error.reason).toBe('too-short');
	});
	it('rejects a dangling odd RR byte and keeps the bytes for diagnosis', () => {
		const r = parse([0x10, 0x48, 0x40, 0x03, 0x20]);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.error.reason).toBe('dangling-rr-byte');
			expect(r.error.bytes).toEqual([0x10, 0x48, 0x40, 0x03, 0x20]);
		}
	});
	it('never throws on any short byte sequence', () => {
		for (let len = 0; len < 6; len++) {
			for (let flags = 0; flags < 256; flags++) {
				const bytes = [flags, ...Array.from({ length: Math.max(0, len - 1) }, (_, i) => i * 37)];
				expect(() => parse(bytes.slice(0, len))).not.toThrow();
			}
		}
	});
});

describe('parseHeartRateMeasurement: every field form', () => {
	it('8-bit heart rate with one RR (spec sample 10 48 40 03)', () => {
		const m = ok([0x10, 0x48, 0x40, 0x03]);
		expect(m.bpm).toBe(72);
		expect(m.rrTicks).toEqual([832]);
		expect(m.rrMs).toEqual([812.5]);
		expect(m.contact).toBe('not-supported');
	});
	it('contact detected with two RR values, oldest first', () => {
		const m = ok([0x16, 0x4b, 0x20, 0x03, 0x10, 0x03]);
		expect(m.bpm).toBe(75);
		expect(m.contact).toBe('contact');
		expect(m.rrMs).toEqual([781.25, 765.625]);
	});
	it('16-bit heart rate without RR', () => {
		const m = ok([0x01, 0xb4, 0x00]);
		expect(m.bpm).toBe(180);
		expect(m.rrMs).toEqual([]);
		expect(m.rrPresent).toBe(false);
	});
	it('energy expended shifts where RR values start', () => {
		const m = ok([0x19, 0x2c, 0x01, 0x10, 0x00, 0x00, 0x04]);
		expect(m.bpm).toBe(300);
		expect(m.energyKJ).toBe(16);
		expect(m.rrMs).toEqual([1000]);
	});
	it('contact supported but not detected', () => {
		const m = ok([0x04, 0x00]);
		expect(m.contact).toBe('no-contact');
		expect(m.bpm).toBe(0);
	});
	it('contact bit 1 alone means the feature is not supported', () => {
		expect(ok([0x02, 60]).contact).toBe('not-supported');
	});
	it('ignores reserved bits 5-7', () => {
		const m = ok([0xf0, 0x48, 0x40, 0x03]);
		expect(m.bpm).toBe(72);
		expect(m.rrMs).toEqual([812.5]);
	});
	it('reads many RR values', () => {
		const m = ok([0x10, 60, 0, 4, 0, 4, 0, 4, 1, 0]);
		expect(m.rrTicks).toEqual([1024, 1024, 1024, 1]);
		expect(m.rrMs[3]).toBe(0.9765625);
	});
	it('RR flag with no room for a value gives none', () => {
		expect(ok([0x10, 60]).rrMs).toEqual([]);
	});
	it('keeps full precision: ticks × 1000 / 1024', () => {
		expect(ticksToMs(833)).toBe(813.4765625);
	});
});

describe('encodeHeartRateMeasurement', () => {
	it('round-trips every combination through the parser', () => {
		for (const hr16 of [false, true])
			for (const contact of ['not-supported', 'no-contact', 'contact'] as const)
				for (const energyKJ of [undefined, 513])
					for (const rrTicks of [[], [700], [700, 65535, 1]]) {
						const bytes = encodeHeartRateMeasurement({ bpm: 61, hr16, contact, energyKJ, rrTicks });
						const m = ok([...bytes]);
						expect(m).toMatchObject({ bpm: 61, contact, energyKJ, rrTicks });
					}
	});
});
