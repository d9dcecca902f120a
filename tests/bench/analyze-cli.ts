/**
 * `npm run bench:cli`: wall time of the whole `npm run analyze -- --json` process on the 23 h
 * recording (../shared/data/rr/ltdb_14149_23h.txt, 145k beats) against a Node process that only
 * reads and parses the same file (the floor any command reading it pays). Median of 5 runs each,
 * interleaved, after one warm-up run of each (the file in the page cache, the bundle built).
 * Also timed, to show where the time goes: the command without npm (node src/cli/run-analyze.js)
 * and its start-up alone (--help: Node, the freshness check, loading the bundle).
 * Budget (issue 17): under 1 s and within 10× of the read-and-parse process. Exits 1 when missed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureBundle, ROOT } from '../../src/cli/bundle.js';

const FILE = resolve(ROOT, '../shared/data/rr/ltdb_14149_23h.txt');
const BEATS = 144_817;
const BUDGET = { ms: 1000, ratio: 10 };
const RUNS = 5;

if (!existsSync(FILE)) {
	console.log(
		`Benchmark skipped: ${FILE} is absent (the public RR recordings live beside the repository, in ../shared).`
	);
	process.exit(0);
}

await ensureBundle();

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const node = process.execPath;
const READ_AND_PARSE = `require('node:fs').readFileSync(process.argv[1], 'utf8').trim().split(/\\s+/).map(Number)`;

interface Case {
	label: string;
	cmd: string;
	args: string[];
	/** Checks a run's stdout; throws when the command did not do its job. */
	check?: (stdout: string) => void;
}

const checkJson = (stdout: string) => {
	const out = JSON.parse(stdout.trim());
	if (out.n !== BEATS) throw new Error(`expected n = ${BEATS}, got ${out.n}`);
};

const cases = {
	baseline: {
		label: 'node: read + parse only',
		cmd: node,
		args: ['-e', READ_AND_PARSE, FILE]
	},
	npm: {
		label: 'npm run analyze -- --json',
		cmd: npm,
		args: ['run', '--silent', 'analyze', '--', '--json', FILE],
		check: checkJson
	},
	direct: {
		label: 'node src/cli/run-analyze.js --json',
		cmd: node,
		args: ['src/cli/run-analyze.js', '--json', FILE],
		check: checkJson
	},
	startup: {
		label: 'node src/cli/run-analyze.js --help',
		cmd: node,
		args: ['src/cli/run-analyze.js', '--help']
	}
} satisfies Record<string, Case>;

function timeRun(c: Case): number {
	const t0 = performance.now();
	const r = spawnSync(c.cmd, c.args, {
		cwd: ROOT,
		encoding: 'utf8',
		maxBuffer: 64 * 2 ** 20,
		shell: process.platform === 'win32'
	});
	const ms = performance.now() - t0;
	if (r.status !== 0) throw new Error(`${c.label} failed (${r.status}): ${r.stderr || r.error}`);
	c.check?.(r.stdout);
	return ms;
}

const entries = Object.entries(cases) as [keyof typeof cases, Case][];
const times = Object.fromEntries(entries.map(([k]) => [k, [] as number[]])) as Record<
	keyof typeof cases,
	number[]
>;
for (const [, c] of entries) timeRun(c);
for (let i = 0; i < RUNS; i++) for (const [k, c] of entries) times[k].push(timeRun(c));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const m = Object.fromEntries(entries.map(([k]) => [k, median(times[k])])) as Record<
	keyof typeof cases,
	number
>;
const ms = (v: number) => `${v.toFixed(0).padStart(6)} ms`;

console.log(`${FILE} (${BEATS} beats), median of ${RUNS} runs:`);
for (const [k, c] of entries) console.log(`  ${c.label.padEnd(38)} ${ms(m[k])}`);
console.log('Where the time goes (differences of medians):');
console.log(`  ${'npm run itself'.padEnd(38)} ${ms(m.npm - m.direct)}`);
console.log(`  ${'Node start, freshness check, load'.padEnd(38)} ${ms(m.startup)}`);
console.log(`  ${'read, parse, analyse, print'.padEnd(38)} ${ms(m.direct - m.startup)}`);

const ratio = m.npm / m.baseline;
console.log(
	`npm run analyze -- --json: ${m.npm.toFixed(0)} ms, ${ratio.toFixed(1)}× the read-and-parse process (budget ${BUDGET.ms} ms, ${BUDGET.ratio}×).`
);
if (m.npm > BUDGET.ms || ratio > BUDGET.ratio) {
	console.error(
		`Budget missed: ${m.npm > BUDGET.ms ? `${m.npm.toFixed(0)} ms > ${BUDGET.ms} ms` : ''}${m.npm > BUDGET.ms && ratio > BUDGET.ratio ? ', ' : ''}${ratio > BUDGET.ratio ? `${ratio.toFixed(1)}× > ${BUDGET.ratio}×` : ''}.`
	);
	process.exit(1);
}
console.log('Budget met.');
