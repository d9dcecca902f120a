/**
 * A spectrum must not jump when a record gains or loses a beat (docs/hrv-algorithms.md §5.4):
 * dropping the last 1, 2 or 3 beats moves LF by under 10 %. scipy's Welch layout (segments every
 * half window from the start) leaves up to half a window at the end outside every segment and
 * moved LF by up to 57 % on the shared files; the engine's layout (welch.ts) covers every sample
 * and is continuous in the record's length.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frequencyDomain } from '$lib/analysis';
import { HAVE_SHARED, RR_DIR, SHARED_FILES, loadRr } from './shared-data';

const LIMIT = 0.1;

/** Largest relative LF change when the last 1, 2 or 3 beats of rr[0..len) are dropped. */
function worstDrop(lf: (len: number) => number, len: number): number {
	const base = lf(len);
	let worst = 0;
	for (let d = 1; d <= 3; d++) worst = Math.max(worst, Math.abs(lf(len - d) / base - 1));
	return worst;
}

function lfOfPrefixes(rr: number[]): (len: number) => number {
	const memo = new Map<number, number>();
	return (len) => {
		let v = memo.get(len);
		if (v === undefined) {
			v = frequencyDomain(rr.slice(0, len)).lf;
			memo.set(len, v);
		}
		return v;
	};
}

/** Prefix lengths (beats) whose duration lies within ±marginS of any of the boundaries (s). */
function prefixesAround(rr: number[], boundariesS: number[], marginS: number): number[] {
	const out: number[] = [];
	let t = 0;
	for (let len = 1; len <= rr.length; len++) {
		t += rr[len - 1] / 1000;
		if (boundariesS.some((b) => Math.abs(t - b) <= marginS)) out.push(len);
	}
	return out;
}

describe('dropping 1-3 final beats moves LF by under 10 %', () => {
	it('on a synthetic 20 min record, every prefix across the 300, 450 and 600 s window boundaries', () => {
		let s = 11;
		const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
		const rr: number[] = [];
		for (let t = 0; t < 1_200_000;) {
			const v =
				850 +
				50 * Math.sin(2 * Math.PI * 0.07 * (t / 1000)) +
				30 * Math.sin(2 * Math.PI * 0.22 * (t / 1000)) +
				40 * (rnd() - 0.5);
			rr.push(v);
			t += v;
		}
		const lf = lfOfPrefixes(rr);
		let worst = 0;
		for (const len of prefixesAround(rr, [300, 450, 600, 750, 900], 20))
			worst = Math.max(worst, worstDrop(lf, len));
		expect(worst).toBeLessThan(LIMIT);
	});
});

const HAVE_SYSTOLE = HAVE_SHARED && existsSync(resolve(RR_DIR, 'systole_kubios_4min.txt'));

describe.skipIf(!HAVE_SHARED)('dropping 1-3 final beats of the public recordings', () => {
	for (const name of [...SHARED_FILES, ...(HAVE_SYSTOLE ? ['systole_kubios_4min'] : [])]) {
		it(`${name}: the whole record`, () => {
			const rr = loadRr(name);
			expect(worstDrop(lfOfPrefixes(rr), rr.length)).toBeLessThan(LIMIT);
		});
	}

	it.skipIf(!HAVE_SYSTOLE)(
		'systole_kubios_4min: every prefix from 150 beats (one window each)',
		() => {
			// Measured worst 6.2 % (164 beats, 144 s): a one-window spectrum of a short record.
			const rr = loadRr('systole_kubios_4min');
			const lf = lfOfPrefixes(rr);
			for (let len = 153; len <= rr.length; len++) expect(worstDrop(lf, len)).toBeLessThan(LIMIT);
		}
	);

	for (const name of ['hrvanalysis_test_1000', 'mitdb_100_30min'] as const) {
		it(`${name}: every prefix within 30 s of the 300, 450 and 600 s window boundaries`, () => {
			// scipy's layout moved LF by 15 % (hrvanalysis_test_1000) and 27 % (mitdb_100_30min)
			// here; measured with the engine's: 0.9 % and 1.1 %.
			const rr = loadRr(name);
			const lf = lfOfPrefixes(rr);
			for (const len of prefixesAround(rr, [300, 450, 600], 30))
				expect(worstDrop(lf, len)).toBeLessThan(LIMIT);
		});
	}
});
