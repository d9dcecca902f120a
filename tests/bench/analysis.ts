/**
 * `npm run bench`: time and peak memory of the full analysis (artifacts → time → frequency →
 * nonlinear → indices) for each public recording in ../shared/data/rr.
 * Time: median of 5 warm runs in this process. Memory: each file is analysed once in a fresh child
 * process and its peak resident set (process.resourceUsage().maxRSS) is reported, minus the same
 * child's RSS before the analysis — the memory the analysis itself needed.
 * Budget: the 23 h / 145k-beat file in under 1 s and 200 MB. Exits non-zero when it is missed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeRr } from '../../src/lib/analysis/index';

const RR_DIR = resolve(process.cwd(), '../shared/data/rr');
const FILES = [
	'pyhrv_short_5min',
	'nk_resting_5min',
	'nk_resting_8min',
	'polar_h10_pvc_10min',
	'hrvanalysis_test_1000',
	'mitdb_100_30min',
	'pyhrv_long_60min',
	'ltdb_14046_1h_ectopic',
	'ltdb_14149_23h'
];
const BUDGET = { file: 'ltdb_14149_23h', ms: 1000, mb: 200 };

const load = (name: string) =>
	readFileSync(resolve(RR_DIR, `${name}.txt`), 'utf8')
		.trim()
		.split(/\s+/)
		.map(Number);

if (process.argv[2] === '--child') {
	const rr = load(process.argv[3]);
	global.gc?.();
	const before = process.memoryUsage().rss;
	analyzeRr(rr);
	const peak = process.resourceUsage().maxRSS * 1024;
	console.log(JSON.stringify({ before, peak }));
	process.exit(0);
}

if (!existsSync(RR_DIR)) {
	console.log(
		`Benchmark skipped: ${RR_DIR} is absent (the public RR recordings live beside the repository).`
	);
	process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const rows: {
	file: string;
	beats: number;
	medianMs: number;
	peakMb: number;
	analysisMb: number;
}[] = [];
for (const file of FILES) {
	const rr = load(file);
	analyzeRr(rr);
	const times: number[] = [];
	for (let i = 0; i < 5; i++) {
		const t0 = performance.now();
		analyzeRr(rr);
		times.push(performance.now() - t0);
	}
	times.sort((a, b) => a - b);
	const child = JSON.parse(
		execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child', file], {
			encoding: 'utf8'
		})
	);
	rows.push({
		file,
		beats: rr.length,
		medianMs: times[2],
		peakMb: child.peak / 2 ** 20,
		analysisMb: (child.peak - child.before) / 2 ** 20
	});
}

console.log('file                     beats   median ms   peak RSS MB   analysis MB');
for (const r of rows) {
	console.log(
		`${r.file.padEnd(24)} ${String(r.beats).padStart(6)} ${r.medianMs.toFixed(1).padStart(11)} ${r.peakMb.toFixed(1).padStart(13)} ${r.analysisMb.toFixed(1).padStart(13)}`
	);
}
const big = rows.find((r) => r.file === BUDGET.file);
if (big && (big.medianMs > BUDGET.ms || big.analysisMb > BUDGET.mb)) {
	console.error(
		`Budget missed for ${BUDGET.file}: ${big.medianMs.toFixed(0)} ms, ${big.analysisMb.toFixed(0)} MB (budget ${BUDGET.ms} ms, ${BUDGET.mb} MB)`
	);
	process.exit(1);
}
console.log(
	`Budget met: ${BUDGET.file} in ${big?.medianMs.toFixed(0)} ms using ${big?.analysisMb.toFixed(0)} MB (budget ${BUDGET.ms} ms, ${BUDGET.mb} MB).`
);
