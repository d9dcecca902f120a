import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) =>
	spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', ...args], {
		encoding: 'utf8'
	});

describe('analyze CLI', () => {
	const dir = mkdtempSync(join(tmpdir(), 'settle-cli-'));
	const good = join(dir, 'good.txt');
	const bad = join(dir, 'bad.csv');
	let t = 0;
	const rr = Array.from({ length: 400 }, () => {
		const v = 900 + 40 * Math.sin(2 * Math.PI * 0.25 * (t / 1000));
		t += v;
		return v.toFixed(1);
	});
	writeFileSync(good, rr.join('\n'));
	writeFileSync(bad, 'rr\n800\nabc\n');

	it('prints one JSON object per file with the documented shape', () => {
		const out = run('--json', '--artifacts', good);
		expect(out.status).toBe(0);
		const obj = JSON.parse(out.stdout.trim());
		expect(Object.keys(obj)).toEqual([
			'file',
			'n',
			'artifacts',
			'time',
			'frequency',
			'nonlinear',
			'indices'
		]);
		expect(obj.n).toBe(400);
		expect(obj.artifacts.indices).toEqual([]);
		expect(Object.keys(obj.frequency)).toEqual([
			'vlf',
			'lf',
			'hf',
			'totalPower',
			'lfNu',
			'hfNu',
			'lfhf',
			'lfPeak',
			'hfPeak'
		]);
		expect(obj.frequency.hfPeak).toBeCloseTo(0.25, 1);
	}, 30_000);

	it('names the file, line and reason for a bad file and still analyses the others', () => {
		const out = run(bad, good);
		expect(out.status).toBe(1);
		expect(out.stderr.trim()).toBe(`${bad}: line 3: "abc" is not a number`);
		expect(out.stdout).toContain('RMSSD');
	}, 30_000);
});
