/**
 * Movement that is not breathing: blocks that shake (activity well above the still baseline, as
 * shifting or getting up does) or whose gravity direction turns faster than a breath tilts the
 * chest (a slow roll without a jolt). Marked spans are padded so the settling after a movement is
 * not read as a breath either.
 */
import { BLOCK_MS, type MovementBlocks } from './blocks';

export interface MovementSpan {
	/** Wall-clock ms. */
	startMs: number;
	endMs: number;
}

/** A still person's block activity is the sensor's noise and the heartbeat's jolt: a few mG. */
const MIN_ACTIVITY_MG = 20;
const ACTIVITY_OVER_BASELINE = 4;
/** A quiet breath tilts the chest a degree or two; this much turn within 2 s is the body moving. */
const TURN_DEG = 5;
const TURN_LAG_BLOCKS = 10;
const MEAN_BLOCKS = 5;
const PAD_BEFORE_MS = 1000;
const PAD_AFTER_MS = 2000;
const MERGE_MS = 2000;

function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

/** Which blocks move (true), before padding. */
export function movingBlocks(b: MovementBlocks): boolean[] {
	const n = b.activity.length;
	const still = median(Array.from(b.activity).filter((a) => Number.isFinite(a)));
	const limit = Math.max(MIN_ACTIVITY_MG, ACTIVITY_OVER_BASELINE * (still || 0));
	const moving = new Array<boolean>(n).fill(false);
	// Each block's gravity direction over the last second (unit vector; NaN without samples).
	const dir = new Float64Array(3 * n).fill(NaN);
	const sum = [0, 0, 0];
	let c = 0;
	for (let k = 0; k < n; k++) {
		const add = (i: number, sign: number) => {
			if (!Number.isFinite(b.xyz[3 * i])) return;
			for (let a = 0; a < 3; a++) sum[a] += sign * b.xyz[3 * i + a];
			c += sign;
		};
		add(k, 1);
		if (k >= MEAN_BLOCKS) add(k - MEAN_BLOCKS, -1);
		const norm = Math.hypot(sum[0], sum[1], sum[2]);
		if (c > 0 && norm > 0) for (let a = 0; a < 3; a++) dir[3 * k + a] = sum[a] / norm;
	}
	const meanDir = (k: number): number[] | undefined =>
		Number.isFinite(dir[3 * k]) ? [dir[3 * k], dir[3 * k + 1], dir[3 * k + 2]] : undefined;
	for (let k = 0; k < n; k++) {
		if (b.activity[k] > limit) moving[k] = true;
		if (k >= TURN_LAG_BLOCKS) {
			const now = meanDir(k);
			const before = meanDir(k - TURN_LAG_BLOCKS);
			if (now && before) {
				const cos = now[0] * before[0] + now[1] * before[1] + now[2] * before[2];
				const deg = (Math.acos(Math.min(1, cos)) * 180) / Math.PI;
				if (deg > TURN_DEG) for (let i = k - TURN_LAG_BLOCKS; i <= k; i++) moving[i] = true;
			}
		}
	}
	return moving;
}

export function movementSpans(b: MovementBlocks): MovementSpan[] {
	const moving = movingBlocks(b);
	const spans: MovementSpan[] = [];
	for (let k = 0; k < moving.length; k++) {
		if (!moving[k]) continue;
		let end = k;
		while (end + 1 < moving.length && moving[end + 1]) end++;
		const startMs = b.startMs + k * BLOCK_MS - PAD_BEFORE_MS;
		const endMs = b.startMs + (end + 1) * BLOCK_MS + PAD_AFTER_MS;
		const last = spans[spans.length - 1];
		if (last && startMs - last.endMs < MERGE_MS) last.endMs = endMs;
		else spans.push({ startMs, endMs });
		k = end;
	}
	return spans;
}
