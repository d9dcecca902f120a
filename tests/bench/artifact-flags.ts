/**
 * `npx tsx tests/bench/artifact-flags.ts`: every beat our artifact detector (detectArtifacts) or
 * NeuroKit2's `signal_fixpeaks(method="Kubios")` flags in two real recordings
 * (../shared/data/rr/pyhrv_short_5min.txt and pyhrv_long_60min.txt), beat by beat, so each flag
 * can be judged (src/lib/analysis/artifacts/FLAGS-ON-REAL-RECORDINGS.md is written from it).
 *
 * Indices are 0-based into the RR series as the app reads it (readRrBytes). NeuroKit2's indices
 * (reference/<name>.json, artifacts_kubios) are PEAK indices: NeuroKit prepends a peak at 0
 * (intervals_to_peaks), and its rr[j] is peaks[j] − peaks[j − 1], the interval ending at peak j,
 * i.e. our interval j − 1. With iterative=True NeuroKit returns only the last applied iteration's
 * lists, made on peaks already corrected (missed beats inserted shift later indices), and the JSON
 * keeps only the first 20 per type. So the script also replays NeuroKit's detection and correction
 * (a port of `_find_artifacts` / `_correct_artifacts`, NeuroKit2 0.2.12, as described in
 * ../shared/docs/hrv-algorithms.md §2.1) and checks the replay against the JSON: per-iteration
 * counts and the listed indices. Where it matches, its first pass (on the same intervals as ours)
 * gives NeuroKit's complete list, and every NeuroKit index is mapped back to the input.
 *
 * Columns: ours / NK returned (the JSON's list, mapped; "beyond first 20" past the 20th listed
 * index) / NK pass 1 (replay) / RR from 3 before to 3 after (the beat in brackets) / dev5: the
 * interval's deviation from the median of its ±5 neighbours, % / devRef: from our detector's own
 * reference (normalReference: the rolling median of pair averages; its steady-rhythm rule tolerates
 * at least 10 % and flags beyond 35 % whatever the neighbours do), % / off2: offNeighbours()
 * (against the median of ±2), % / tStart, tEnd: the displaced-beat-time residual (displacedBeats
 * on the whole series) of the beat starting and the beat ending the interval, % of that beat's own
 * interval scale, '*' where displacedBeats calls it displaced (limit 14 %, more where the swing is
 * steep) / pair: (RR[i] + RR[i+1]) against two ±5 medians, % (a premature beat and its
 * compensatory pause add up to two normal intervals) / shape: see shape().
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	analyzeRr,
	detectArtifacts,
	normalReference,
	readRrBytes
} from '../../src/lib/analysis/index';
import {
	DISPLACED,
	displacedBeats,
	offNeighbours
} from '../../src/lib/analysis/artifacts/beat-times';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = resolve(ROOT, '../shared');
const RR_DIR = resolve(SHARED, 'data/rr');
const FILES = ['pyhrv_short_5min', 'pyhrv_long_60min'];

if (!existsSync(SHARED)) {
	console.log(
		`Skipped: ${SHARED} is absent (the public RR recordings and NeuroKit2's reference flags live beside the repository, in ../shared).`
	);
	process.exit(0);
}

type NkType = 'ectopic' | 'missed' | 'extra' | 'longshort';
const NK_TYPES: NkType[] = ['ectopic', 'missed', 'extra', 'longshort'];
type NkLists = Record<NkType, number[]>;

interface NkReference {
	artifacts_kubios: {
		iterations_applied: Record<NkType, number>[];
		indices_first20: NkLists;
	} & Record<NkType, number>;
}

// ---- NeuroKit2 signal_fixpeaks(method="Kubios") replayed -----------------------------------

/** pandas rolling(w, center=True, min_periods=1).quantile(q), linear interpolation. */
function rollingQuantile(x: ArrayLike<number>, w: number, q: number): Float64Array {
	const n = x.length;
	const half = (w - 1) >> 1;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const win = Array.from({ length: Math.min(n, i + half + 1) - Math.max(0, i - half) }, (_, k) =>
			Number(x[Math.max(0, i - half) + k])
		).sort((a, b) => a - b);
		const pos = q * (win.length - 1);
		const lo = Math.floor(pos);
		out[i] = lo === pos ? win[lo] : win[lo] + (win[lo + 1] - win[lo]) * (pos - lo);
	}
	return out;
}

function threshold(x: Float64Array, alpha: number, w: number): Float64Array {
	const a = x.map(Math.abs);
	const q1 = rollingQuantile(a, w, 0.25);
	const q3 = rollingQuantile(a, w, 0.75);
	return q3.map((v, i) => (alpha * (v - q1[i])) / 2);
}

const mean = (x: ArrayLike<number>, from: number) => {
	let s = 0;
	for (let i = from; i < x.length; i++) s += x[i];
	return s / (x.length - from);
};

/** NeuroKit2's _find_artifacts (c1 0.13, c2 0.17, alpha 5.2, window 91, median 11). */
function nkFindArtifacts(peaks: number[], fs = 1000): NkLists {
	const [c1, c2, alpha, width, order] = [0.13, 0.17, 5.2, 91, 11];
	const n = peaks.length;
	const rr = new Float64Array(n);
	for (let i = 1; i < n; i++) rr[i] = (peaks[i] - peaks[i - 1]) / fs;
	rr[0] = mean(rr, 1);
	const drrs = new Float64Array(n);
	for (let i = 1; i < n; i++) drrs[i] = rr[i] - rr[i - 1];
	drrs[0] = mean(drrs, 1);
	const th1 = threshold(drrs, alpha, width);
	for (let i = 0; i < n; i++) drrs[i] = th1[i] !== 0 ? drrs[i] / th1[i] : NaN;
	// np.pad(drrs, 2, "reflect")
	const at = (i: number) => drrs[i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i];
	const s12 = new Float64Array(n);
	const s22 = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const d = drrs[i];
		if (d > 0) s12[i] = Math.max(at(i - 1), at(i + 1));
		else if (d < 0) s12[i] = Math.min(at(i - 1), at(i + 1));
		if (d >= 0) s22[i] = Math.min(at(i + 1), at(i + 2));
		else if (d < 0) s22[i] = Math.max(at(i + 1), at(i + 2));
	}
	const medrr = rollingQuantile(rr, order, 0.5);
	const mrrs = rr.map((v, i) => (v - medrr[i] < 0 ? 2 * (v - medrr[i]) : v - medrr[i]));
	const th2 = threshold(mrrs, alpha, width);
	for (let i = 0; i < n; i++) mrrs[i] = th2[i] !== 0 ? mrrs[i] / th2[i] : NaN;
	const out: NkLists = { ectopic: [], missed: [], extra: [], longshort: [] };
	let i = 0;
	while (i < n - 2) {
		if (Math.abs(drrs[i]) <= 1) {
			i++;
			continue;
		}
		const eq1 = drrs[i] > 1 && s12[i] < -c1 * drrs[i] - c2;
		const eq2 = drrs[i] < -1 && s12[i] > -c1 * drrs[i] + c2;
		if (eq1 || eq2) {
			out.ectopic.push(i);
			i++;
			continue;
		}
		const candidates = [i];
		if (Math.abs(drrs[i + 1]) < Math.abs(drrs[i + 2])) candidates.push(i + 1);
		// As in NeuroKit, every candidate advances i once (its `continue` only skips to the next one).
		for (const j of candidates) {
			const eq3 = drrs[j] > 1 && s22[j] < -1;
			const eq4 = Math.abs(mrrs[j]) > 3;
			const eq5 = drrs[j] < -1 && s22[j] > 1;
			i++;
			if (!(eq3 || eq4 || eq5)) continue;
			const eq6 = Math.abs(rr[j] / 2 - medrr[j]) < th2[j];
			const eq7 = Math.abs(rr[j] + rr[j + 1] - medrr[j]) < th2[j];
			if (eq5 && eq7) out.extra.push(j);
			else if (eq3 && eq6) out.missed.push(j);
			else out.longshort.push(j);
		}
	}
	return out;
}

const shift = (source: number[], idx: number[], by: number) => {
	let out = idx;
	for (const s of source) out = out.map((u) => (u > s ? u + by : u));
	return [...new Set(out)].sort((a, b) => a - b);
};

/** NeuroKit2's _correct_artifacts; `origin` follows each peak (its input peak index, −1 if added). */
function nkCorrect(a: NkLists, peaks: number[], origin: number[]) {
	let p = peaks.map((v, k) => ({ v, o: origin[k] }));
	let { missed, ectopic, longshort } = a;
	if (a.extra.length) {
		const drop = new Set(a.extra);
		p = p.filter((_, k) => !drop.has(k));
		missed = shift(a.extra, missed, -1);
		ectopic = shift(a.extra, ectopic, -1);
		longshort = shift(a.extra, longshort, -1);
	}
	if (missed.length) {
		const valid = missed.filter((k) => k > 1 && k < p.length);
		const added = valid.map((k) => Math.trunc(p[k - 1].v + (p[k].v - p[k - 1].v) / 2));
		for (let m = valid.length - 1; m >= 0; m--) p.splice(valid[m], 0, { v: added[m], o: -1 });
		ectopic = shift(missed, ectopic, 1);
		longshort = shift(missed, longshort, 1);
	}
	for (const list of [ectopic, longshort]) {
		if (!list.length) continue;
		const valid = list.filter((k) => k > 1 && k < p.length - 1);
		const moved = valid.map((k) => ({
			v: Math.trunc(p[k - 1].v + (p[k + 1].v - p[k - 1].v) / 2),
			o: p[k].o
		}));
		const drop = new Set(valid);
		p = [...p.filter((_, k) => !drop.has(k)), ...moved].sort((x, y) => x.v - y.v);
	}
	return { peaks: p.map((x) => x.v), origin: p.map((x) => x.o) };
}

interface NkPass {
	lists: NkLists;
	/** Input peak index of each peak index of this pass (−1: a peak NeuroKit added). */
	origin: number[];
}

/** The iterative loop of signal_fixpeaks: every applied pass, and the one NeuroKit returns. */
function nkReplay(rrMs: ArrayLike<number>): { applied: NkPass[] } {
	let peaks = [0];
	for (let i = 0; i < rrMs.length; i++) peaks.push(peaks[i] + Math.round(rrMs[i]));
	let origin = peaks.map((_, k) => k);
	const count = (l: NkLists) => NK_TYPES.reduce((s, t) => s + l[t].length, 0);
	let lists = nkFindArtifacts(peaks);
	const applied: NkPass[] = [{ lists, origin }];
	({ peaks, origin } = nkCorrect(lists, peaks, origin));
	for (;;) {
		const next = nkFindArtifacts(peaks);
		if (count(next) >= count(lists)) break;
		lists = next;
		applied.push({ lists, origin });
		({ peaks, origin } = nkCorrect(lists, peaks, origin));
	}
	return { applied };
}

/** NeuroKit peak index j of a pass → our interval index (the interval ending at peak j). */
function toInterval(pass: NkPass, j: number): number {
	let k = j;
	while (k < pass.origin.length && pass.origin[k] < 0) k++; // an added peak splits the next interval
	return pass.origin[k] - 1;
}

// ---- per-beat figures ------------------------------------------------------------------------

function median(x: number[]): number {
	const s = [...x].sort((a, b) => a - b);
	const h = s.length >> 1;
	return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function neighbourMedian(rr: Float64Array, i: number, skip: number[] = [i]): number {
	const around: number[] = [];
	for (let j = i - 5; j <= i + 5; j++)
		if (!skip.includes(j) && j >= 0 && j < rr.length) around.push(rr[j]);
	return median(around);
}

const pct = (x: number) =>
	Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}` : 'n/a';
const pad = (s: string, w: number) => s.padEnd(w);

/** A beat this far (share) off both its immediate neighbours, in the same direction, is a spike. */
const SPIKE = 0.15;
/** Premature beat and compensatory pause: each this far off the ±5 median, … */
const PAIR_OFF = 0.1;
/** … and the two within this share of two normal intervals. */
const PAIR_SUM = 0.05;

/**
 * The interval's shape in numbers, for the verdict: 'early+pause' (short, then long, the two adding
 * up to two normal intervals, and the beat between them displaced from the smooth rhythm by more
 * than DISPLACED of its interval: a premature beat), 'late+early' (the mirror), 'spike+' / 'spike−'
 * (≥ 15 % above / below BOTH immediate neighbours: a beat far off both), 'swing' (neither: the
 * interval shares its deviation with a neighbour, as a multi-beat slowing or ramp does), 'within
 * 10 %' (off the ±5 median by under 10 %).
 */
/** `endOff`: the displaced-beat-time residual of the beat ending interval i, share of its scale. */
function shape(rr: Float64Array, i: number, endOff: number): string {
	const n = rr.length;
	const med = neighbourMedian(rr, i);
	const dev = rr[i] / med - 1;
	if (i + 1 < n) {
		const next = rr[i + 1] / neighbourMedian(rr, i + 1) - 1;
		const pair = (rr[i] + rr[i + 1]) / (2 * neighbourMedian(rr, i, [i, i + 1])) - 1;
		const paired = Math.abs(pair) <= PAIR_SUM;
		if (paired && dev <= -PAIR_OFF && next >= PAIR_OFF && endOff < -DISPLACED) return 'early+pause';
		if (paired && dev >= PAIR_OFF && next <= -PAIR_OFF && endOff > DISPLACED) return 'late+early';
	}
	if (i > 0 && i + 1 < n) {
		const lo = Math.min(rr[i - 1], rr[i + 1]);
		const hi = Math.max(rr[i - 1], rr[i + 1]);
		if (rr[i] >= (1 + SPIKE) * hi) return 'spike+';
		if (rr[i] <= (1 - SPIKE) * lo) return 'spike−';
	}
	return Math.abs(dev) < 0.1 ? 'within 10 %' : 'swing';
}

function report(name: string) {
	const file = resolve(RR_DIR, `${name}.txt`);
	const refFile = resolve(RR_DIR, 'reference', `${name}.json`);
	if (!existsSync(file) || !existsSync(refFile)) {
		console.log(`\n## ${name}: ${existsSync(file) ? refFile : file} is absent, skipped`);
		return;
	}
	const read = readRrBytes(new Uint8Array(readFileSync(file)), `${name}.txt`);
	if (!read.ok) throw new Error(`${name}: ${read.reason} (line ${read.line})`);
	const rr = read.rrMs;
	const lines = readFileSync(file, 'utf8')
		.split('\n')
		.filter((l) => l.trim()).length;
	const ref = (JSON.parse(readFileSync(refFile, 'utf8')) as NkReference).artifacts_kubios;
	const ours = detectArtifacts(rr);
	const ourType = new Map(ours.indices.map((i, k) => [i, ours.types[k]]));

	// NeuroKit: the replay, checked against the JSON.
	const { applied } = nkReplay(rr);
	const countsMatch =
		applied.length === ref.iterations_applied.length &&
		applied.every((p, k) =>
			NK_TYPES.every((t) => p.lists[t].length === ref.iterations_applied[k][t])
		);
	const last = applied[applied.length - 1];
	const listedMatch = NK_TYPES.every((t) =>
		ref.indices_first20[t].every((j, k) => last.lists[t][k] === j)
	);
	const replayOk = countsMatch && listedMatch;
	// The JSON's lists mapped to our intervals; complete up to the last listed index of a full type.
	const returned = new Map<number, string>();
	let completeUpTo = Infinity;
	for (const t of NK_TYPES) {
		const listed = ref.indices_first20[t];
		for (const j of listed) returned.set(toInterval(last, j), t);
		if (ref[t] > listed.length)
			completeUpTo = Math.min(completeUpTo, toInterval(last, listed[listed.length - 1]));
	}
	const pass1 = new Map<number, string>();
	for (const t of NK_TYPES)
		for (const j of applied[0].lists[t]) pass1.set(toInterval(applied[0], j), t);
	const anyPass = new Map<number, string>();
	for (const p of applied)
		for (const t of NK_TYPES) for (const j of p.lists[t]) anyPass.set(toInterval(p, j), t);

	const { residual, displaced } = displacedBeats(rr);
	const reference = normalReference(rr);
	const n = rr.length;
	const scale = (k: number) => (k === 0 ? rr[0] : k === n ? rr[n - 1] : (rr[k - 1] + rr[k]) / 2);
	const beatOff = (k: number) => `${pct(residual[k] / scale(k))}${displaced[k] ? '*' : ''}`;

	console.log(`\n## ${name}`);
	console.log(
		`${n} intervals (${lines} lines in the file, unit read as ${read.unit}), ${(rr.reduce((s, v) => s + v, 0) / 60000).toFixed(1)} min`
	);
	console.log(
		`ours: ${ours.total} intervals flagged (${ours.percent.toFixed(2)} %): ${ours.ectopic} ectopic, ${ours.longShort} long-short, ${ours.missed} missed, ${ours.extra} extra events; irregular ${ours.irregularPercent.toFixed(1)} %`
	);
	console.log(
		`NeuroKit2 returned (JSON): ${NK_TYPES.map((t) => `${ref[t]} ${t}`).join(', ')}; iterations applied ${ref.iterations_applied.length}: ${ref.iterations_applied.map((c) => NK_TYPES.map((t) => c[t]).join('/')).join(' → ')} (ectopic/missed/extra/longshort)`
	);
	console.log(
		`replay of NeuroKit2: ${applied.map((p) => NK_TYPES.map((t) => p.lists[t].length).join('/')).join(' → ')}; counts ${countsMatch ? 'match' : 'DIFFER'}, listed indices ${listedMatch ? 'match' : 'DIFFER'}${replayOk ? '' : ' — the NK pass 1 column is not reliable'}`
	);
	console.log(
		Number.isFinite(completeUpTo)
			? `the JSON lists only the first 20 per type: NeuroKit's returned list is complete up to our interval ${completeUpTo}`
			: `the JSON lists every index NeuroKit returned`
	);
	const ourSet = new Set(ours.indices);
	const all = [
		...new Set([...ours.indices, ...returned.keys(), ...pass1.keys(), ...anyPass.keys()])
	].sort((a, b) => a - b);
	const endOff = (i: number) => residual[i + 1] / scale(i + 1);
	const shapes = all.map((i) => shape(rr, i, endOff(i)));
	const tally = (pick: (i: number) => boolean) => {
		const by = new Map<string, number>();
		all.forEach((i, k) => pick(i) && by.set(shapes[k], (by.get(shapes[k]) ?? 0) + 1));
		const total = [...by.values()].reduce((a, b) => a + b, 0);
		return `${total} (${[...by].map(([sh, c]) => `${c} ${sh}`).join(', ') || 'none'})`;
	};
	console.log("groups against NeuroKit's pass 1 (the replay: same intervals as ours), by shape:");
	console.log(`  both flag it:        ${tally((i) => ourSet.has(i) && pass1.has(i))}`);
	console.log(`  only ours:           ${tally((i) => ourSet.has(i) && !pass1.has(i))}`);
	console.log(
		`    of which NK flags in a later pass: ${all.filter((i) => ourSet.has(i) && !pass1.has(i) && anyPass.has(i)).length}`
	);
	console.log(`  only NeuroKit2:      ${tally((i) => !ourSet.has(i) && pass1.has(i))}`);
	console.log(
		`  NK later passes only (not ours, not NK pass 1): ${tally((i) => !ourSet.has(i) && !pass1.has(i) && anyPass.has(i))}`
	);
	if (Number.isFinite(completeUpTo)) {
		const upTo = (pick: (i: number) => boolean) =>
			all.filter((i) => i <= completeUpTo && pick(i)).length;
		console.log(
			`up to interval ${completeUpTo}, against NeuroKit's returned list (JSON): both ${upTo((i) => ourSet.has(i) && returned.has(i))}, only ours ${upTo((i) => ourSet.has(i) && !returned.has(i))}, only NeuroKit2 ${upTo((i) => !ourSet.has(i) && returned.has(i))}`
		);
	}
	// How often the same shape occurs unflagged, and how it sits with the breathing rate.
	const spikes: number[] = [];
	let premature = 0;
	for (let i = 1; i + 1 < n; i++) {
		const sh = shape(rr, i, endOff(i));
		if (sh === 'spike+') spikes.push(i);
		if (sh === 'early+pause' || sh === 'late+early') premature++;
	}
	const t = new Float64Array(n + 1);
	for (let i = 0; i < n; i++) t[i + 1] = t[i] + rr[i];
	const gaps = spikes.slice(1).map((s, k) => (t[s] - t[spikes[k]]) / 1000);
	const breathing = analyzeRr(rr).indices;
	console.log(
		`single-beat spikes (≥ ${100 * SPIKE} % above both neighbours) in the whole file: ${spikes.length}; ours flags ${spikes.filter((i) => ourSet.has(i)).length}, NK pass 1 ${spikes.filter((i) => pass1.has(i)).length}, neither ${spikes.filter((i) => !ourSet.has(i) && !pass1.has(i)).length}; median ${median(gaps).toFixed(1)} s apart; breathing rate the app reads ${breathing.respirationRate.toFixed(1)} /min (${(60 / breathing.respirationRate).toFixed(1)} s, ${breathing.respirationSource})`
	);
	console.log(`premature-beat shapes (early+pause or late+early) in the whole file: ${premature}`);
	// Every slowing of the rhythm, spike or not: a local maximum ≥ 12 % above the lowest of the
	// three intervals before it (in a breathing rhythm, about one per breath).
	const slowings: number[] = [];
	for (let i = 3; i + 1 < n; i++)
		if (
			rr[i] >= rr[i - 1] &&
			rr[i] > rr[i + 1] &&
			rr[i] > 1.12 * Math.min(rr[i - 1], rr[i - 2], rr[i - 3])
		)
			slowings.push(i);
	const slowGaps = slowings.slice(1).map((s, k) => (t[s] - t[slowings[k]]) / 1000);
	console.log(
		`slowings (local maxima ≥ 12 % above the lowest of the 3 intervals before): ${slowings.length}, median ${median(slowGaps).toFixed(1)} s apart; ours flags ${slowings.filter((i) => ourSet.has(i)).length} of them, NK pass 1 ${slowings.filter((i) => pass1.has(i)).length}`
	);
	console.log('');
	console.log(
		[
			pad('idx', 5),
			pad('ours', 11),
			pad('NK returned', 16),
			pad('NK pass 1', 10),
			pad('NK later', 10),
			pad('RR i-3 … i+3 (ms)', 38),
			pad('dev5', 7),
			pad('devRef', 7),
			pad('off2', 7),
			pad('tStart', 8),
			pad('tEnd', 8),
			pad('pair', 7),
			'shape'
		].join(' ')
	);
	all.forEach((i, k) => {
		const around: string[] = [];
		for (let j = i - 3; j <= i + 3; j++)
			if (j >= 0 && j < n) around.push(j === i ? `[${rr[j]}]` : String(rr[j]));
		const nkRet = returned.get(i) ?? (i > completeUpTo ? 'beyond first 20' : '—');
		const later = (!pass1.has(i) && anyPass.get(i)) || '—';
		const dev5 = rr[i] / neighbourMedian(rr, i) - 1;
		const pair =
			i + 1 < n ? (rr[i] + rr[i + 1]) / (2 * neighbourMedian(rr, i, [i, i + 1])) - 1 : NaN;
		console.log(
			[
				pad(String(i), 5),
				pad(ourType.get(i) ?? '—', 11),
				pad(nkRet, 16),
				pad(pass1.get(i) ?? '—', 10),
				pad(later, 10),
				pad(around.join(' '), 38),
				pad(pct(dev5), 7),
				pad(pct(rr[i] / reference[i] - 1), 7),
				pad(pct(offNeighbours(rr, i)), 7),
				pad(beatOff(i), 8),
				pad(beatOff(i + 1), 8),
				pad(pct(pair), 7),
				shapes[k]
			].join(' ')
		);
	});
}

for (const name of FILES) report(name);
