/**
 * Byte sequences from Polar's own SDK tests (polarofficial/polar-ble-sdk, Android
 * android-communications library tests: BlePmdClientControlPointResponseTest.kt, PmdSettingTest.kt,
 * AccDataTest.kt, PmdTimeStampUtilsTest.kt) and the H10's documented ACC settings
 * (documentation/products/PolarH10.md: 25/50/100/200 Hz, 16 bit, 2/4/8 g).
 */
import { describe, expect, it } from 'vitest';
import {
	encodeGetSettings,
	encodeStart,
	encodeStop,
	MeasurementType,
	parseControlPoint,
	parseFeatures
} from '$lib/strap/pmd/control-point';
import { chooseAccSettings, parseSettings, SettingType } from '$lib/strap/pmd/settings';
import { encodeAccFrame, parseAccFrame } from '$lib/strap/pmd/acc-frame';
import { AccClock } from '$lib/strap/pmd/sample-times';

const bytes = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16));

describe('control point answers (BlePmdClientControlPointResponseTest)', () => {
	it('reads a successful ACC settings answer: F0 01 02 00 00 FF FF FF', () => {
		const r = parseControlPoint(bytes('F0 01 02 00 00 FF FF FF'));
		expect(r.kind).toBe('response');
		if (r.kind !== 'response') return;
		expect(r.opCode).toBe(1);
		expect(r.measurementType).toBe(MeasurementType.ACC);
		expect(r.ok).toBe(true);
		expect(r.more).toBe(false);
		expect(Array.from(r.parameters)).toEqual([0xff, 0xff, 0xff]);
	});
	it('reads a refusal with its reason in words and no parameters: F0 01 06 07 00', () => {
		const r = parseControlPoint(bytes('F0 01 06 07 00'));
		if (r.kind !== 'response') throw new Error(r.kind);
		expect(r.ok).toBe(false);
		expect(r.statusText).toBe('invalid resolution');
		expect(r.parameters.length).toBe(0);
	});
	it('reads the strap stopping a measurement by itself (01 02: ACC stopped)', () => {
		expect(parseControlPoint(bytes('01 02'))).toEqual({ kind: 'stopped', measurementTypes: [2] });
	});
	it('gives malformed answers a reason, never an exception', () => {
		expect(parseControlPoint(new Uint8Array(0)).kind).toBe('malformed');
		expect(parseControlPoint(bytes('F0 02')).kind).toBe('malformed');
		expect(parseControlPoint(bytes('77 01 02')).kind).toBe('malformed');
	});
	it('reads the H10 feature byte (0F 05 00: ECG and ACC)', () => {
		expect(parseFeatures(bytes('0F 05 00'))).toEqual({ ecg: true, acc: true });
		expect(parseFeatures(bytes('0F 01 00'))).toEqual({ ecg: true, acc: false });
		expect(parseFeatures(bytes('00'))).toBeUndefined();
	});
});

describe('settings (PmdSettingTest)', () => {
	it('reads 52 Hz, 16 bit, four ranges and 3 channels', () => {
		const r = parseSettings(
			bytes('00 01 34 00 01 01 10 00 02 04 F5 00 F4 01 E8 03 D0 07 04 01 03')
		);
		if (!r.ok) throw new Error(r.message);
		expect(r.value.get(SettingType.SAMPLE_RATE)).toEqual([52]);
		expect(r.value.get(SettingType.RESOLUTION)).toEqual([16]);
		expect(r.value.get(SettingType.RANGE)).toEqual([245, 500, 1000, 2000]);
		expect(r.value.get(SettingType.CHANNELS)).toEqual([3]);
		expect(r.value.has(SettingType.FACTOR)).toBe(false);
	});
	it('refuses a setting that runs past the end', () => {
		expect(parseSettings(bytes('00 02 19 00')).ok).toBe(false);
		expect(parseSettings(bytes('0B 01 00')).ok).toBe(false);
	});
	const h10 = parseSettings(
		bytes('00 04 19 00 32 00 64 00 C8 00 01 01 10 00 02 03 02 00 04 00 08 00')
	);
	it('chooses 25 Hz, 16 bit, 2 g from the H10 offer, every setting given', () => {
		if (!h10.ok) throw new Error(h10.message);
		expect(chooseAccSettings(h10.value)).toEqual({ sampleRate: 25, resolution: 16, range: 2 });
	});
	it('starts ACC with rate, resolution and range: 02 02 00 01 19 00 01 01 10 00 02 01 02 00', () => {
		const start = encodeStart(MeasurementType.ACC, { sampleRate: 25, resolution: 16, range: 2 });
		expect(Array.from(start)).toEqual(
			Array.from(bytes('02 02 00 01 19 00 01 01 10 00 02 01 02 00'))
		);
	});
	it('takes the lowest rate of at least 25 Hz, and no start without a range', () => {
		const offer = new Map([
			[SettingType.SAMPLE_RATE, [13, 52, 104]],
			[SettingType.RESOLUTION, [16]],
			[SettingType.RANGE, [8, 2, 4]]
		]);
		expect(chooseAccSettings(offer)?.sampleRate).toBe(52);
		offer.delete(SettingType.RANGE);
		expect(chooseAccSettings(offer)).toBeUndefined();
	});
	it('asks for settings and stops with op code and type', () => {
		expect(Array.from(encodeGetSettings(MeasurementType.ACC))).toEqual([1, 2]);
		expect(Array.from(encodeStop(MeasurementType.ACC))).toEqual([3, 2]);
	});
});

// AccDataTest "process acc raw data frame type 1": header 02 | 00 94 35 77 00 00 00 00 | 01, then 40 samples.
const SDK_FRAME = bytes(`02 00 94 35 77 00 00 00 00 01
F7 FF FF FF E7 03 F8 FF FE FF E5 03 F9 FF FF FF E5 03 FA FF FF FF E6 03 FA FF FE FF E6 03 F9 FF FF FF E5 03
F8 FF FF FF E6 03 F8 FF FE FF E6 03 FA FF FF FF E5 03 FA FF FF FF E7 03 FA FF FF FF E5 03 F8 FF FF FF E6 03
F7 FF FF FF E6 03 F8 FF FE FF E6 03 F9 FF FE FF E7 03 F9 FF 00 00 E6 03 F9 FF FF FF E6 03 F7 FF FE FF E5 03
F9 FF FF FF E5 03 F9 FF FF FF E5 03 FA FF 00 00 E6 03 F9 FF FE FF E6 03 F8 FF FF FF E6 03 F8 FF FF FF E5 03
F9 FF FF FF E6 03 F9 FF FF FF E5 03 FA FF FF FF E6 03 F9 FF FF FF E5 03 F9 FF FF FF E5 03 F8 FF FE FF E6 03
F9 FF FF FF E6 03 F9 FF FF FF E6 03 F9 FF 00 00 E5 03 F9 FF FE FF E6 03 F8 FF FE FF E6 03 F7 FF FE FF E6 03`);

describe('ACC data frame (AccDataTest, raw type 1)', () => {
	it('reads the SDK frame: timestamp 2 000 000 000 ns, first samples (-9, -1, 999), (-8, -2, 997)', () => {
		const r = parseAccFrame(SDK_FRAME);
		if (!r.ok) throw new Error(r.message);
		expect(r.value.timestampNs).toBe(2_000_000_000n);
		expect(r.value.frameType).toBe(1);
		expect(r.value.count).toBe(36);
		expect(Array.from(r.value.xyz.subarray(0, 6))).toEqual([-9, -1, 999, -8, -2, 997]);
		expect(Array.from(r.value.xyz.subarray(-3))).toEqual([-9, -2, 998]);
	});
	it('writes the same bytes it reads', () => {
		const r = parseAccFrame(SDK_FRAME);
		if (!r.ok) throw new Error(r.message);
		expect(Array.from(encodeAccFrame(r.value.timestampNs, r.value.xyz))).toEqual(
			Array.from(SDK_FRAME)
		);
	});
	it('gives a broken frame a reason', () => {
		expect(parseAccFrame(SDK_FRAME.subarray(0, 9)).ok).toBe(false);
		expect(parseAccFrame(SDK_FRAME.subarray(0, 15)).ok).toBe(false);
		const ecg = SDK_FRAME.slice();
		ecg[0] = 0;
		expect(parseAccFrame(ecg).ok).toBe(false);
		const compressed = SDK_FRAME.slice();
		compressed[9] = 0x81;
		const r = parseAccFrame(compressed);
		expect(!r.ok && r.message).toMatch(/Compressed/);
	});
	it('reads 8-bit and 24-bit raw frames (types 0 and 2)', () => {
		const t0 = bytes('02 00 00 00 00 00 00 00 01 00 FF 01 80');
		const r0 = parseAccFrame(t0);
		expect(r0.ok && Array.from(r0.value.xyz)).toEqual([-1, 1, -128]);
		const t2 = bytes('02 00 00 00 00 00 00 00 01 02 FF FF FF 01 00 00 00 00 80');
		const r2 = parseAccFrame(t2);
		expect(r2.ok && Array.from(r2.value.xyz)).toEqual([-1, 1, -8388608]);
	});
});

describe('sample times (PmdTimeStampUtilsTest)', () => {
	const frame = (ns: bigint, n: number) => {
		const r = parseAccFrame(encodeAccFrame(ns, new Array(n * 3).fill(0)));
		if (!r.ok) throw new Error(r.message);
		return r.value;
	};
	it('first frame: steps back from its last sample at the rate (10 samples at 1 Hz end at 10 s)', () => {
		const clock = new AccClock(1);
		const rel = clock.sensorTimes(frame(10_000_000_000n, 10));
		expect(rel.map((t) => 10_000_000_000 + t)).toEqual(
			[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => s * 1e9)
		);
	});
	it('later frames share the time since the previous one evenly (a clock 1 % fast)', () => {
		const clock = new AccClock(25);
		clock.sensorTimes(frame(1_000_000_000n, 25));
		const rel = clock.sensorTimes(frame(2_010_000_000n, 25));
		expect(rel[23] - rel[22]).toBeCloseTo(40_400_000, 0);
		expect(rel[24]).toBe(0);
	});
	it('a gap (lost link) falls back to the nominal rate', () => {
		const clock = new AccClock(25);
		clock.sensorTimes(frame(1_000_000_000n, 25));
		const rel = clock.sensorTimes(frame(9_000_000_000n, 25));
		expect(rel[0]).toBeCloseTo(-24 * 40e6, 0);
	});
	it('puts samples on the wall clock with the least latency seen, never moving back', () => {
		const clock = new AccClock(25);
		const a = clock.place(frame(1_000_000_000n, 25), 5_000_080);
		const b = clock.place(frame(2_000_000_000n, 25), 5_001_020);
		expect(a.timeMs[24]).toBeCloseTo(5_000_080, 3);
		// The second came 60 ms quicker: its last sample is 1 s after the first's on the new offset.
		expect(b.timeMs[24]).toBeCloseTo(5_001_020, 3);
		expect(b.timeMs[0]).toBeGreaterThan(a.timeMs[24]);
	});
});
