/**
 * Breathing measured live: samples gather into blocks; every 2 s the last two minutes are analysed
 * and breaths that ended since the last one taken are added, so a breath shows once its out-breath
 * has turned into the next in-breath (within a breath or two). The session's final breaths come
 * from analysing the whole recording again at the end (`finish`), not from these.
 */
import { BLOCK_MS, BlockAccumulator, type MovementBlocks } from './blocks';
import { analyseBreathing, type BreathAnalysis, type MeasuredBreath } from './analyse';
import type { MovementSpan } from './movement-marks';
import type { BreathShape } from './shape-fit';
import { summariseBreaths } from './summary';

/** A session's measured breathing as stored (db/breathing's record, before its version stamp). */
export interface SessionBreathing {
	breaths: MeasuredBreath[];
	movements: MovementSpan[];
	blocks: MovementBlocks & { blockMs: number };
	sampleRateHz: number;
}

export interface LiveBreathFigures {
	/** Over the last few breaths (up to 6 within the last minute). */
	ratePerMin?: number;
	ratio?: number;
	last?: MeasuredBreath;
	/** The person is moving (or just moved): breaths are not being read. */
	moving: boolean;
	count: number;
}

const WINDOW_MS = 120_000;
const EVERY_MS = 2000;
/** Breaths starting this close to the window's start are left to an earlier window. */
const EDGE_MS = 10_000;
const RECENT_BREATHS = 6;
/**
 * The breath's shape (how the out-breath empties, which way up the in-breath shows) is most of an
 * analysis's work to find; it is found again this often.
 */
const SHAPE_KEEP_MS = 20_000;
const RECENT_MS = 60_000;

export class LiveBreathing {
	private acc?: BlockAccumulator;
	readonly breaths: MeasuredBreath[] = [];
	readonly movements: MovementSpan[] = [];
	private lastRunMs = -Infinity;
	/** The latest window's breaths: consecutive, from one analysis, so their ends and starts meet. */
	private windowBreaths: MeasuredBreath[] = [];
	private lastSampleMs = -Infinity;
	private shape?: { found: BreathShape; atMs: number };

	/** Adds samples; with `nowMs`, analyses too (see `update`). */
	push(
		timeMs: ArrayLike<number>,
		xyz: ArrayLike<number>,
		nowMs?: number
	): LiveBreathFigures | undefined {
		if (timeMs.length > 0) {
			this.acc ??= new BlockAccumulator(Math.floor(timeMs[0] / BLOCK_MS) * BLOCK_MS);
			this.acc.push(timeMs, xyz);
			this.lastSampleMs = Math.max(this.lastSampleMs, timeMs[timeMs.length - 1]);
		}
		return nowMs === undefined ? undefined : this.update(nowMs);
	}

	/** Analyses when 2 s have passed; returns fresh figures then, else undefined. */
	update(nowMs: number): LiveBreathFigures | undefined {
		if (!this.acc || nowMs - this.lastRunMs < EVERY_MS) return undefined;
		this.lastRunMs = nowMs;
		const closed = this.acc.closedCount;
		const from = Math.max(0, closed - WINDOW_MS / BLOCK_MS);
		const window = this.acc.snapshot(from);
		const kept = this.shape && nowMs - this.shape.atMs < SHAPE_KEEP_MS ? this.shape : undefined;
		const a = analyseBreathing(window, kept?.found);
		// Across a movement the strap may sit differently: no shape is kept while one is in view.
		if (a.movements.length > 0) this.shape = undefined;
		else if (!kept) this.shape = a.shape && { found: a.shape, atMs: nowMs };
		this.windowBreaths = a.breaths;
		const lastEnd = this.breaths.at(-1)?.endMs ?? -Infinity;
		for (const b of a.breaths) {
			if (b.inStartMs < window.startMs + EDGE_MS && from > 0) continue;
			if (b.inStartMs < lastEnd - 1000) continue;
			this.breaths.push(b);
		}
		for (const m of a.movements) {
			const known = this.movements.find((k) => m.startMs < k.endMs && m.endMs > k.startMs);
			if (known) {
				known.startMs = Math.min(known.startMs, m.startMs);
				known.endMs = Math.max(known.endMs, m.endMs);
			} else this.movements.push({ ...m });
		}
		return this.figures();
	}

	figures(): LiveBreathFigures {
		// From one analysis: a breath's end is the next one's start, so the rate's error is only at
		// the two ends of the run, not at every breath.
		const recent = this.windowBreaths
			.filter((b) => b.endMs > this.lastSampleMs - RECENT_MS)
			.slice(-RECENT_BREATHS);
		const s = summariseBreaths(recent);
		return {
			ratePerMin: recent.length > 0 ? s.ratePerMin : undefined,
			ratio: recent.length > 0 ? s.ratio : undefined,
			last: this.breaths.at(-1),
			moving: this.movements.some((m) => m.endMs > this.lastSampleMs - 1000),
			count: this.breaths.length
		};
	}

	/** Every block of the session and its breaths, analysed whole. */
	finish(): { blocks: MovementBlocks; analysis: BreathAnalysis } | undefined {
		if (!this.acc) return undefined;
		const blocks = this.acc.finish();
		return { blocks, analysis: analyseBreathing(blocks) };
	}

	/** What a session keeps: the whole recording analysed, times in ms from `zeroMs` (its start). */
	record(zeroMs: number, sampleRateHz: number): SessionBreathing | undefined {
		const done = this.finish();
		if (!done) return undefined;
		const rel = (ms: number) => ms - zeroMs;
		return {
			breaths: done.analysis.breaths.map((b) => ({
				inStartMs: rel(b.inStartMs),
				outStartMs: rel(b.outStartMs),
				endMs: rel(b.endMs),
				depthMg: b.depthMg
			})),
			movements: done.analysis.movements.map((m) => ({
				startMs: rel(m.startMs),
				endMs: rel(m.endMs)
			})),
			blocks: { ...done.blocks, startMs: rel(done.blocks.startMs), blockMs: BLOCK_MS },
			sampleRateHz
		};
	}
}
