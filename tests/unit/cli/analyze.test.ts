import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
	BUNDLE_NAME,
	buildBundle,
	MANIFEST_NAME,
	ROOT,
	staleReason,
	stampFiles
} from '../../../src/cli/bundle.js';
import { analysisSummary, analyzeRr, parseRrText } from '../../../src/lib/analysis/index';

/** What `npm run analyze` runs: the launcher, which builds dist/cli/analyze.mjs when stale. */
const run = (...args: string[]) =>
	spawnSync(process.execPath, ['src/cli/run-analyze.js', ...args], {
		cwd: ROOT,
		encoding: 'utf8'
	});

const dir = mkdtempSync(join(tmpdir(), 'settle-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('analyze CLI', () => {
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
			'settings',
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

	it('prints what the engine in the sources computes (the bundle is not stale)', () => {
		const out = run('--json', '--artifacts', good);
		expect(out.status).toBe(0);
		const parsed = parseRrText(readFileSync(good, 'utf8'));
		if (!parsed.ok) throw new Error(parsed.reason);
		const expected = JSON.parse(
			JSON.stringify({ file: good, ...analysisSummary(analyzeRr(parsed.rrMs), true) }, (_k, v) =>
				Number.isNaN(v) ? null : v
			)
		);
		expect(JSON.parse(out.stdout.trim())).toEqual(expected);
	}, 30_000);

	it('analyses with the settings given and names them in the report', () => {
		const out = run(
			'--json',
			'--correction=medium',
			'--detrend=none',
			'--window',
			'120',
			'--resample=2',
			good
		);
		expect(out.status).toBe(0);
		const obj = JSON.parse(out.stdout.trim());
		const settings = { correction: 'medium', lambda: 0, windowS: 120, resampleHz: 2 } as const;
		expect(obj.settings).toEqual(settings);
		const parsed = parseRrText(readFileSync(good, 'utf8'));
		if (!parsed.ok) throw new Error(parsed.reason);
		const json = (v: unknown) =>
			JSON.parse(JSON.stringify(v, (_k, x) => (Number.isNaN(x) ? null : x)));
		const expected = json(analysisSummary(analyzeRr(parsed.rrMs, { settings })));
		expect(obj.frequency).toEqual(expected.frequency);
		// The default settings give another spectrum: the flags reached the engine.
		expect(obj.frequency).not.toEqual(json(analysisSummary(analyzeRr(parsed.rrMs))).frequency);
		const text = run('--no-correction', '--lambda=250', good);
		expect(text.stdout).toContain(
			'Settings    artifact correction: none; detrending: smoothness priors, λ 250; Welch window: 300 s; interpolation: 4 Hz'
		);
	}, 30_000);

	it('refuses a setting out of range or unknown, saying which, with exit code 2', () => {
		for (const [args, reason] of [
			[['--lambda=-1'], '--lambda: λ must be a number from 0 to 100000'],
			[['--window=10'], '--window: the Welch window (s) must be a number from 30 to 600'],
			[
				['--resample', 'fast'],
				'--resample: the interpolation rate (Hz) must be a number from 1 to 20'
			],
			[
				['--correction=extreme'],
				'--correction: artifact correction must be one of automatic, none, very-low, low, medium, strong, very-strong'
			],
			[['--detrend=linear'], '--detrend: detrending must be none or smoothness-priors'],
			[['--lambda'], '--lambda needs a value'],
			[['--colour'], 'Unknown option --colour']
		] as const) {
			const out = run(good, ...args);
			expect(out.status).toBe(2);
			expect(out.stderr).toContain(reason);
			expect(out.stderr).not.toMatch(/at .*\.(m?js|ts):\d+/);
		}
	}, 30_000);

	it('names the file, line and reason for a bad file and still analyses the others', () => {
		const out = run(bad, good);
		expect(out.status).toBe(1);
		// The last line: a rebuild (sources edited meanwhile) announces itself on stderr first.
		expect(out.stderr.trim().split('\n').at(-1)).toBe(`${bad}: line 3: "abc" is not a number`);
		expect(out.stdout).toContain('RMSSD');
	}, 30_000);
});

describe('the built command', () => {
	it('is fresh while its files keep their content, stale when one changes or goes', () => {
		const root = mkdtempSync(join(dir, 'fresh-'));
		const manifest = join(root, MANIFEST_NAME);
		const src = join(root, 'a.ts');
		writeFileSync(src, 'export const a = 1;\n');
		writeFileSync(join(root, 'b.ts'), 'export const b = 2;\n');
		expect(staleReason(root, manifest)).toBe('not built yet');
		writeFileSync(
			manifest,
			JSON.stringify({ format: 1, files: stampFiles(root, ['a.ts', 'b.ts']) })
		);
		expect(staleReason(root, manifest)).toBeUndefined();
		// A checkout or a touch that leaves the content alone.
		utimesSync(src, new Date(2030, 0, 1), new Date(2030, 0, 1));
		expect(staleReason(root, manifest)).toBeUndefined();
		// Same size, other content.
		writeFileSync(src, 'export const a = 7;\n');
		expect(staleReason(root, manifest)).toBe('a.ts changed');
		rmSync(src);
		expect(staleReason(root, manifest)).toBe('a.ts is missing');
		writeFileSync(manifest, JSON.stringify({ format: 0, files: {} }));
		expect(staleReason(root, manifest)).toBe('built by an older build script');
	});

	it('builds into one self-contained module that runs without TypeScript', async () => {
		const outDir = mkdtempSync(join(dir, 'build-'));
		const { bundle, inputs } = await buildBundle({ outDir });
		expect(bundle).toBe(join(outDir, BUNDLE_NAME));
		expect(inputs).toBeGreaterThan(10);
		const manifest = JSON.parse(readFileSync(join(outDir, MANIFEST_NAME), 'utf8'));
		expect(Object.keys(manifest.files)).toEqual(
			expect.arrayContaining([
				'src/cli/analyze.ts',
				'src/lib/analysis/analyze.ts',
				'src/cli/bundle.js',
				'node_modules/fft.js/lib/fft.js'
			])
		);
		expect(staleReason(ROOT, join(outDir, MANIFEST_NAME))).toBeUndefined();
		// Only Node's built-ins stay imports.
		const imports = [...readFileSync(bundle, 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)];
		expect(imports.map((m) => m[1]).filter((s) => !s.startsWith('node:'))).toEqual([]);
		const help = spawnSync(process.execPath, [bundle, '--help'], { encoding: 'utf8' });
		expect(help.status).toBe(0);
		expect(help.stdout).toContain('Usage: npm run analyze');
	}, 30_000);
});
