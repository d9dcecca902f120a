/**
 * `npm run bench:breathing`: how the engine reads slow breathing with big heart swings, on hearts
 * with a known truth (tests/fixtures/hearts.ts) and on the annotated MIT-BIH recordings:
 * - beats flagged in clean sinus rhythm, by breathing rate and swing (10 minutes each, in:out 1:1,
 *   1:1.5 and 1:2, five seeds each);
 * - premature beats placed on the steep part of those swings: found, and false flags;
 * - the irregular-rhythm verdict on that grid and on irregular hearts;
 * - the breathing rate and out/in ratio read from the heart, against the truth;
 * - mitdb 100 and ltdb 14046 sensitivity and precision (within one beat).
 * Prints Markdown tables (the README's come from here). `--quick` runs fewer seeds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
	analyzeRr,
	detectArtifacts,
	estimateBreaths,
	timeDomain
} from '../../src/lib/analysis/index';
import { breathingHeart, irregularHeart } from '../fixtures/hearts';

const quick = process.argv.includes('--quick');
const SEEDS = quick ? [1, 2] : [1, 2, 3, 4, 5];
const RATES = [4, 4.5, 5, 6, 7, 8];
const SWINGS = [10, 15, 20, 25, 30, 35, 40];
const RATIOS = [1, 1.5, 2];

const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)} %`;

function cleanGrid() {
	const rows: string[] = [];
	let series = 0;
	let clean = 0;
	let worst = 0;
	let irregular = 0;
	let rmssdWorst = 0;
	const header = `| breaths/min | ${SWINGS.map((s) => `${s} bpm`).join(' | ')} |`;
	rows.push(header, `|---|${SWINGS.map(() => '---').join('|')}|`);
	for (const rate of RATES) {
		const cells: string[] = [];
		for (const swingBpm of SWINGS) {
			let flagged = 0;
			let beats = 0;
			let dirty = 0;
			for (const ratio of RATIOS)
				for (const seed of SEEDS) {
					const h = breathingHeart({ seed, rate, swingBpm, ratio });
					const r = detectArtifacts(h.rrMs);
					series++;
					flagged += r.total;
					beats += h.rrMs.length;
					if (r.total === 0) clean++;
					else dirty++;
					worst = Math.max(worst, r.percent);
					if (r.irregularPercent > 0) irregular++;
					if (r.total > 0) {
						const a = analyzeRr(h.rrMs).time.rmssd;
						const b = timeDomain(h.rrMs).rmssd;
						rmssdWorst = Math.max(rmssdWorst, Math.abs(a / b - 1));
					}
				}
			cells.push(dirty === 0 ? '0' : `${flagged} (${dirty}/${RATIOS.length * SEEDS.length})`);
			void beats;
		}
		rows.push(`| ${rate} | ${cells.join(' | ')} |`);
	}
	console.log('\n### Beats flagged in clean sinus rhythm (flagged beats, series with any)\n');
	console.log(rows.join('\n'));
	console.log(
		`\n${clean}/${series} series with no beat flagged (${pct(clean / series)}); worst ${worst.toFixed(2)} % of beats; irregular verdict in ${irregular}; RMSSD with correction vs without: worst ${pct(rmssdWorst, 2)}`
	);
}

function prematureGrid() {
	let placed = 0;
	let found = 0;
	let falseFlags = 0;
	const bySwing = new Map<number, { placed: number; found: number; false: number }>();
	for (const rate of RATES)
		for (const swingBpm of SWINGS)
			for (const ratio of RATIOS)
				for (const seed of SEEDS) {
					const h = breathingHeart({ seed: seed + 100, rate, swingBpm, ratio, prematureEvery: 40 });
					const r = detectArtifacts(h.rrMs);
					const flagged = new Set(r.indices);
					const truth = new Set(h.premature.flatMap((i) => [i, i + 1]));
					const s = bySwing.get(swingBpm) ?? { placed: 0, found: 0, false: 0 };
					for (const i of h.premature) {
						placed++;
						s.placed++;
						if (flagged.has(i) || flagged.has(i + 1)) {
							found++;
							s.found++;
						}
					}
					const near = (i: number) => truth.has(i) || truth.has(i - 1) || truth.has(i + 1);
					for (const i of r.indices)
						if (!near(i)) {
							falseFlags++;
							s.false++;
						}
					bySwing.set(swingBpm, s);
				}
	console.log('\n### Premature beats on the steep part of the swing\n');
	console.log(`| swing | placed | found | false flags |\n|---|---|---|---|`);
	for (const [sw, s] of bySwing)
		console.log(
			`| ${sw} bpm | ${s.placed} | ${pct(s.found / s.placed)} | ${pct(s.false / s.placed)} |`
		);
	console.log(
		`\nAll: ${placed} placed, ${pct(found / placed)} found, false flags ${pct(falseFlags / placed)} of them`
	);
}

function irregularCases() {
	let fired = 0;
	const n = 20;
	for (let seed = 1; seed <= n; seed++)
		if (detectArtifacts(irregularHeart(seed).rrMs).irregularPercent > 50) fired++;
	console.log(`\nIrregular (AF-like) hearts called irregular: ${fired}/${n}`);
}

function breathingRates() {
	const rows = [
		'| breaths/min | in:out | rate read | ratio read | reliable |',
		'|---|---|---|---|---|'
	];
	let worstRate = 0;
	let worstRatio = 0;
	let unread = 0;
	let total = 0;
	for (const rate of [4, 5, 6, 8, 10, 12, 15, 20])
		for (const ratio of [1, 2]) {
			const swings = rate <= 8 ? [15, 35] : [8];
			for (const swingBpm of swings) {
				const h = breathingHeart({ seed: 7, rate, swingBpm, ratio, meanBpm: rate > 12 ? 70 : 64 });
				const a = analyzeRr(h.rrMs);
				const b = estimateBreaths(a.rrMs, h.timeMs.slice(0, a.rrMs.length), 30_000);
				total++;
				if (!b.reliable) unread++;
				worstRate = Math.max(worstRate, Math.abs(a.indices.respirationRate - rate));
				if (b.reliable) worstRatio = Math.max(worstRatio, Math.abs(b.medianRatio - ratio));
				rows.push(
					`| ${rate} (${swingBpm} bpm) | 1:${ratio} | ${a.indices.respirationRate.toFixed(1)} | ${b.medianRatio.toFixed(2)} | ${b.reliable ? 'yes' : 'no'} |`
				);
			}
		}
	console.log('\n### Breathing read from the heart (truth in the first two columns)\n');
	console.log(rows.join('\n'));
	console.log(
		`\nrespirationRate worst error ${worstRate.toFixed(2)} /min; ratio worst error ${worstRatio.toFixed(2)}; not read ${unread}/${total}`
	);
}

const RR_DIR = resolve(process.cwd(), '../shared/data/rr');
function annotated() {
	if (!existsSync(RR_DIR))
		return console.log('\n(../shared/data/rr absent: MIT-BIH figures skipped)');
	const read = (f: string) => readFileSync(resolve(RR_DIR, f), 'utf8').trim();
	console.log('\n### Annotated recordings (within one beat)\n');
	console.log('| recording | sensitivity | precision | flagged |\n|---|---|---|---|');
	for (const name of ['mitdb_100_30min', 'ltdb_14046_1h_ectopic']) {
		const rr = read(`${name}.txt`).split(/\s+/).map(Number);
		const labels = read(`${name}.annot.tsv`)
			.split('\n')
			.slice(1)
			.map((l) => l.split('\t')[2]);
		const truth = labels.flatMap((b, i) => (b === 'N' ? [] : [i]));
		const found = detectArtifacts(rr).indices;
		const fs = new Set(found);
		const ts = new Set(truth);
		const near = (s: Set<number>, i: number) => s.has(i) || s.has(i - 1) || s.has(i + 1);
		const sens = truth.filter((i) => near(fs, i)).length / truth.length;
		const prec = found.filter((i) => near(ts, i)).length / found.length;
		console.log(`| ${name} | ${pct(sens)} | ${pct(prec)} | ${found.length} |`);
	}
	for (const name of [
		'pyhrv_short_5min',
		'pyhrv_long_60min',
		'nk_resting_8min',
		'hrvanalysis_test_1000',
		'polar_h10_pvc_10min'
	]) {
		const rr = read(`${name}.txt`).split(/\s+/).map(Number);
		const r = detectArtifacts(rr);
		console.log(
			`${name}: ${r.total} flagged (${r.percent.toFixed(2)} %), irregular ${r.irregularPercent.toFixed(1)} %`
		);
	}
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const parts: Record<string, () => void> = {
	clean: cleanGrid,
	premature: prematureGrid,
	irregular: irregularCases,
	breathing: breathingRates,
	annotated
};
for (const [name, run] of Object.entries(parts)) if (!only || only.split(',').includes(name)) run();
