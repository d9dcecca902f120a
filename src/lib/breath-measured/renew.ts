/**
 * A stored session's breaths found again from its kept movement blocks, as the current analysis
 * finds them: what an update that measures breathing better owes the sessions recorded before it.
 */
import { analyseBreathing, type MeasuredBreath } from './analyse';
import { BLOCK_MS, type MovementBlocks } from './blocks';
import type { MovementSpan } from './movement-marks';

export function renewBreaths(
	blocks: MovementBlocks & { blockMs: number }
): { breaths: MeasuredBreath[]; movements: MovementSpan[] } | undefined {
	// Blocks of another length would need another analysis (none have been stored so far); a
	// record without blocks keeps the breaths it has.
	if (blocks.blockMs !== BLOCK_MS || blocks.activity.length === 0) return undefined;
	const { breaths, movements } = analyseBreathing(blocks);
	return { breaths, movements };
}
