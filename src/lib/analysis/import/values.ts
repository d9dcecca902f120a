/**
 * From the numbers a file holds to beat intervals in ms: the unit, values a file holds that are not
 * beats, and the plausibility of each beat. Shared by every format.
 */
import type { RrTextEncoding } from './decode';
import type { Sliced } from './slices';

/** Per-beat marks of an imported recording (a bit set). */
export const RR_MARK = {
	/** Outside 200-3000 ms: a pause or a drop-out, kept and left out of the analysis. */
	OUT_OF_RANGE: 1,
	/** An optical sensor's blocker bit: movement spoilt this pulse interval. */
	BLOCKED: 2,
	/** The sensor reported no skin contact. */
	NO_CONTACT: 4
} as const;

export const RR_MIN_MS = 200;
export const RR_MAX_MS = 3000;
/**
 * Real recordings hold the odd value outside 200-3000 ms: a sinus pause or a strap drop-out of a few
 * seconds, a spurious detection. Those are kept, flagged, and left out of the analysis; a value beyond
 * these limits (a minute-long "interval", a wrong unit) means the file is not what it claims.
 */
export const RR_HARD_MIN_MS = 100;
export const RR_HARD_MAX_MS = 20_000;
/** More flagged values than this share: the file is not an RR recording (or the unit is wrong). */
const MAX_OUT_OF_RANGE_SHARE = 0.2;

/**
 * The longest recording Settle imports: 48 hours. A day-long Holter recording (LTDB 14149, 23 h,
 * 145,000 beats) imports whole, and so does a two-day one; beyond that a file is far more likely
 * to be many recordings run together (or not a recording at all: issue 34's line of ten million
 * intervals would have been a 3,011-hour session), and one session that long would take minutes to
 * analyse and to draw. A longer file is refused, saying how long it would be.
 */
export const RR_MAX_RECORDING_HOURS = 48;
export const RR_MAX_RECORDING_MS = RR_MAX_RECORDING_HOURS * 3_600_000;
/**
 * Values a reader keeps while it reads: more than a 48-hour recording can hold (864,000 beats at
 * 300 a minute, twice that for a table of a time and an RR column). Past it a file's values are
 * only counted and added up, to say how long it would be, and the file is refused.
 */
export const MAX_KEPT_VALUES = 2_000_000;

export interface RrNote {
	count: number;
	reason: string;
}

/**
 * Values as a reader collects them, with the line each is on and the marks the file gives it: the
 * first MAX_KEPT_VALUES kept, every one counted and (when positive) added up.
 */
export class Collected {
	values = new Float64Array(1024);
	lineOf = new Int32Array(1024);
	marks: Uint8Array | undefined;
	/** Values kept. */
	length = 0;
	/** Values read. */
	total = 0;
	/** The sum of the positive values read. */
	sum = 0;

	push(v: number, line: number, mark = 0): void {
		this.total++;
		if (v > 0) this.sum += v;
		if (this.length >= MAX_KEPT_VALUES) return;
		if (this.length === this.values.length) this.grow();
		this.values[this.length] = v;
		this.lineOf[this.length] = line;
		if (mark !== 0) {
			this.marks ??= new Uint8Array(this.values.length);
			this.marks[this.length] = mark;
		}
		this.length++;
	}

	private grow(): void {
		const size = Math.min(MAX_KEPT_VALUES, this.values.length * 2);
		const values = new Float64Array(size);
		values.set(this.values);
		this.values = values;
		const lineOf = new Int32Array(size);
		lineOf.set(this.lineOf);
		this.lineOf = lineOf;
		if (this.marks) {
			const marks = new Uint8Array(size);
			marks.set(this.marks);
			this.marks = marks;
		}
	}

	/** What RawValues holds of them. */
	raw(): Pick<RawValues, 'values' | 'lineOf' | 'marks' | 'total' | 'sum'> {
		return {
			values: this.values.subarray(0, this.length),
			lineOf: this.lineOf.subarray(0, this.length),
			marks: this.marks?.subarray(0, this.length),
			total: this.total,
			sum: this.sum
		};
	}
}

/** The numbers of the RR column as a format reader found them, before any checks. */
export interface RawValues {
	ok: true;
	/** The format, in words ("Kubios HRV results", "Polar Sensor Logger PPI (optical)"). */
	format: string;
	/** The values kept (every one, unless the file holds more than MAX_KEPT_VALUES). */
	values: Float64Array;
	/** 1-based line of each value, to name it when it is refused. */
	lineOf: Int32Array;
	/** Values in the file: more than `values.length` when some were only counted. */
	total: number;
	/** The sum of the positive values in the file, in its unit: how long the recording is. */
	sum: number;
	/** The unit the file states (a column named "[ms]", a units row), if it states one. */
	unit?: 'ms' | 's';
	column?: string;
	/** The recording's start, when the file's contents say (epoch ms). */
	startedAt?: number;
	optical?: boolean;
	/** RR_MARK bits the file itself gives per value (blocked, no contact). */
	marks?: Uint8Array;
	leftOut?: RrNote[];
	/** Lines in the file: where "no values" is reported. */
	lineCount?: number;
	/** A bare column of numbers, whose first may be an annotation tool's offset to the first beat. */
	firstMayBeOffset?: boolean;
}

export interface RrRefusal {
	ok: false;
	/** 1-based; 0 when the reason is about the whole file (not a text file). */
	line: number;
	reason: string;
}

/** A recording read from a file: its beats in ms and everything the person should be told. */
export interface RrRecordingRead {
	ok: true;
	format: string;
	rrMs: Float64Array;
	unit: 'ms' | 's';
	column?: string;
	startedAt?: number;
	/** RR_MARK bits per beat. */
	flags: Uint8Array;
	/** 0-based indices of beats outside 200-3000 ms. */
	outOfRange: number[];
	/** Optical pulse intervals (PPI, from a PPG sensor), not ECG R-R intervals. */
	optical: boolean;
	/** Values in the file that are not beats and were not imported, and why. */
	leftOut: RrNote[];
	/** Beats kept but marked, and why (left out of the analysis). */
	flagged: RrNote[];
	encoding?: RrTextEncoding;
}

export type RrRead = RrRecordingRead | RrRefusal;

const fmtValue = (v: number) => String(Math.round(v * 1000) / 1000);

/**
 * Whether the median value (the upper one, sorted[n >> 1]) is under `limit`: whether more than
 * half of them are. Counted, not sorted: two million values take a few ms.
 */
function medianUnder(values: Float64Array, limit: number): boolean {
	let under = 0;
	for (let i = 0; i < values.length; i++) if (values[i] < limit) under++;
	return under > values.length >> 1;
}

/** "3,011 hours (125 days)", "49 hours 30 minutes". */
function fmtDuration(ms: number): string {
	const hours = ms / 3_600_000;
	if (hours >= 100)
		return `${Math.round(hours).toLocaleString('en')} hours (${Math.round(hours / 24).toLocaleString('en')} days)`;
	const minutes = Math.ceil(ms / 60_000);
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return `${h} hours${m > 0 ? ` ${m} minute${m === 1 ? '' : 's'}` : ''}`;
}

/** Refuses a file longer than RR_MAX_RECORDING_MS, saying how long it would be. */
function tooLong(durationMs: number, intervals: number): RrRefusal {
	return {
		ok: false,
		line: 0,
		reason: `it would be a recording ${fmtDuration(durationMs)} long (${intervals.toLocaleString('en')} intervals); Settle imports recordings of up to ${RR_MAX_RECORDING_HOURS} hours: split the file into parts of ${RR_MAX_RECORDING_HOURS} hours or less`
	};
}

/** Values checked between pauses. */
const STEP = 1 << 12;

export function* finishValues(raw: RawValues): Sliced<RrRead> {
	const { values, lineOf } = raw;
	if (raw.total === 0)
		return { ok: false, line: raw.lineCount ?? 1, reason: 'the file holds no RR values' };
	// Seconds when the file says so, or when the values are typical of seconds (median under 3).
	const unit: 'ms' | 's' = raw.unit ?? (medianUnder(values, 3) ? 's' : 'ms');
	const scale = unit === 's' ? 1000 : 1;
	const leftOut = [...(raw.leftOut ?? [])];
	let format = raw.format;
	let first = 0;
	// PhysioNet's ann2rr (and other beat-annotation tools) start with the time from the start of the
	// record to the first beat: not an interval between beats.
	if (raw.firstMayBeOffset && raw.total >= 4 && values[0] * scale > RR_HARD_MAX_MS) {
		first = 1;
		leftOut.push({
			count: 1,
			reason: `the first value (${fmtValue(values[0])} ${unit}) is the time from the start of the recording to the first beat, not an interval between beats`
		});
		format = 'Beat intervals from annotations (PhysioNet ann2rr)';
	}
	// How long the recording would be. A file whose values were not all kept is refused here;
	// any other is checked value by value first (a value no heart beats at names its line).
	const durationMs = (raw.sum - (first ? values[0] : 0)) * scale;
	if (raw.total > values.length)
		return durationMs > RR_MAX_RECORDING_MS
			? tooLong(durationMs, raw.total - first)
			: {
					ok: false,
					line: 0,
					reason: `it holds more than ${MAX_KEPT_VALUES.toLocaleString('en')} values, more beats than a recording of up to ${RR_MAX_RECORDING_HOURS} hours has: not an RR recording`
				};
	const n = values.length - first;
	const rrMs = new Float64Array(n);
	const flags = new Uint8Array(n);
	const outOfRange: number[] = [];
	let blocked = 0;
	let noContact = 0;
	let unmarkedOutOfRange = 0;
	let emptyMarked = 0;
	let k = 0;
	for (let j = first; j < values.length; j++) {
		if ((j & (STEP - 1)) === 0) yield;
		const v = values[j] * scale;
		const mark = raw.marks ? raw.marks[j] : 0;
		if (mark !== 0 && !(v > 0)) {
			// A blocked optical sample without an interval: nothing to keep.
			emptyMarked++;
			continue;
		}
		let f = mark;
		if (!(v >= RR_MIN_MS && v <= RR_MAX_MS)) {
			if (mark === 0 && (v < RR_HARD_MIN_MS || v > RR_HARD_MAX_MS || !Number.isFinite(v)))
				return {
					ok: false,
					line: lineOf[j],
					reason: `${values[j]} ${unit} is not a plausible RR interval (${RR_MIN_MS}-${RR_MAX_MS} ms)`
				};
			f |= RR_MARK.OUT_OF_RANGE;
			outOfRange.push(k);
			if (mark === 0) unmarkedOutOfRange++;
		}
		if (f & RR_MARK.BLOCKED) blocked++;
		else if (f & RR_MARK.NO_CONTACT) noContact++;
		rrMs[k] = v;
		flags[k] = f;
		k++;
	}
	if (emptyMarked > 0)
		leftOut.push({ count: emptyMarked, reason: 'marked by the sensor and without an interval' });
	if (k < 3)
		return {
			ok: false,
			line: lineOf[lineOf.length - 1],
			reason: 'too few RR values (at least 3)'
		};
	if (unmarkedOutOfRange > MAX_OUT_OF_RANGE_SHARE * k) {
		const j = outOfRange.find((i) => (flags[i] & ~RR_MARK.OUT_OF_RANGE) === 0) ?? 0;
		// Indices of kept beats map back to values through the values dropped before them.
		const src = indexOfKept(raw, first, j);
		return {
			ok: false,
			line: lineOf[src],
			reason: `${unmarkedOutOfRange} of ${k} values are outside ${RR_MIN_MS}-${RR_MAX_MS} ms (the first is ${values[src]} ${unit}): not an RR recording, or the wrong unit`
		};
	}
	if (durationMs > RR_MAX_RECORDING_MS) return tooLong(durationMs, k);
	const flagged: RrNote[] = [];
	if (blocked > 0)
		flagged.push({ count: blocked, reason: 'blocked: the optical sensor detected movement' });
	if (noContact > 0) flagged.push({ count: noContact, reason: 'no skin contact' });
	if (unmarkedOutOfRange > 0)
		flagged.push({
			count: unmarkedOutOfRange,
			reason: `outside ${RR_MIN_MS}-${RR_MAX_MS} ms (a pause or a drop-out)`
		});
	return {
		ok: true,
		format,
		rrMs: k === n ? rrMs : rrMs.slice(0, k),
		unit,
		column: raw.column,
		startedAt: raw.startedAt,
		flags: k === n ? flags : flags.slice(0, k),
		outOfRange,
		optical: raw.optical ?? false,
		leftOut,
		flagged
	};
}

/** The value index of the k-th kept beat (values before `first`, and empty marked ones, skipped). */
function indexOfKept(raw: RawValues, first: number, kept: number): number {
	let k = 0;
	for (let j = first; j < raw.values.length; j++) {
		const mark = raw.marks ? raw.marks[j] : 0;
		if (mark !== 0 && !(raw.values[j] > 0)) continue;
		if (k === kept) return j;
		k++;
	}
	return first;
}
