import { describe, expect, it } from 'vitest';
import { correctArtifacts, detectArtifacts } from '$lib/analysis';
import { HAVE_SHARED, loadAnnotations, loadRr } from './shared-data';

/** A calm sinus rhythm: 900 ms with a slow 0.25 Hz swing and small noise, seeded. */
function sinus(n: number, seed = 3): number[] {
	let s = seed;
	const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
	const out: number[] = [];
	let t = 0;
	for (let i = 0; i < n; i++) {
		const rr = 900 + 35 * Math.sin(2 * Math.PI * 0.25 * (t / 1000)) + 8 * rand();
		out.push(rr);
		t += rr;
	}
	return out;
}

describe('detectArtifacts: edge cases', () => {
	it('returns empty reports for tiny or flat input', () => {
		for (const rr of [[], [800], [800, 810], [800, 800, 800, 800, 800, 800, 800, 800]]) {
			const r = detectArtifacts(rr);
			expect(r.total).toBe(0);
			expect(r.indices).toEqual([]);
		}
	});
	it('finds nothing in a clean sinus rhythm', () => {
		expect(detectArtifacts(sinus(600)).total).toBe(0);
	});
});

describe('detectArtifacts: each kind, with the right type', () => {
	it('an ectopic beat: premature interval and compensatory pause', () => {
		const rr = sinus(300);
		rr[100] = 560;
		rr[101] = 1240;
		const r = detectArtifacts(rr);
		expect(r.indices).toEqual([100, 101]);
		expect(r.types).toEqual(['ectopic', 'ectopic']);
		expect(r.ectopic).toBe(1);
	});
	it('a missed beat: an interval about twice the normal one', () => {
		const rr = sinus(300);
		rr.splice(150, 2, rr[150] + rr[151]);
		const r = detectArtifacts(rr);
		expect(r.indices).toEqual([150]);
		expect(r.types).toEqual(['missed']);
	});
	it('an extra beat: one interval split in two', () => {
		const rr = sinus(300);
		const v = rr[80];
		rr.splice(80, 1, v * 0.4, v * 0.6);
		const r = detectArtifacts(rr);
		expect(r.indices).toEqual([80, 81]);
		expect(r.types).toEqual(['extra', 'extra']);
		expect(r.extra).toBe(1);
	});
	it('a single long beat', () => {
		const rr = sinus(300);
		rr[200] = 1350;
		const r = detectArtifacts(rr);
		expect(r.indices).toEqual([200]);
		expect(r.types).toEqual(['long-short']);
	});
	it('warns above 5 %', () => {
		const rr = sinus(200);
		for (let i = 10; i < 190; i += 10) [rr[i], rr[i + 1]] = [560, 1240];
		const r = detectArtifacts(rr);
		expect(r.percent).toBeGreaterThan(5);
		expect(r.warning).toMatch(/corrected/);
	});
});

describe('correctArtifacts', () => {
	it('restores each kind close to the underlying rhythm', () => {
		const clean = sinus(300);
		const rr = [...clean];
		rr[100] = 560;
		rr[101] = 1240;
		rr.splice(150, 2, rr[150] + rr[151]);
		const fixed = correctArtifacts(rr);
		expect(fixed.rrMs.length).toBe(clean.length);
		for (let i = 0; i < clean.length; i++)
			expect(Math.abs(fixed.rrMs[i] - clean[i])).toBeLessThan(60);
		expect([...fixed.corrected].filter(Boolean).length).toBe(4);
	});
	it('merges an extra beat back into one interval', () => {
		const clean = sinus(200);
		const rr = [...clean];
		rr.splice(80, 1, clean[80] * 0.4, clean[80] * 0.6);
		const fixed = correctArtifacts(rr);
		expect(fixed.rrMs.length).toBe(clean.length);
		expect(Math.abs(fixed.rrMs[80] - clean[80])).toBeLessThanOrEqual(0.5);
	});
});

/** A detection within one beat of an interval that ends on a non-normal beat is a true positive. */
function score(name: string) {
	const rr = loadRr(name);
	const labels = loadAnnotations(name);
	const truth = labels.flatMap((b, i) => (b === 'N' ? [] : [i]));
	const found = detectArtifacts(rr).indices;
	const near = (set: Set<number>, i: number) => set.has(i) || set.has(i - 1) || set.has(i + 1);
	const foundSet = new Set(found);
	const truthSet = new Set(truth);
	return {
		sensitivity: truth.filter((i) => near(foundSet, i)).length / truth.length,
		precision: found.filter((i) => near(truthSet, i)).length / found.length
	};
}

describe.skipIf(!HAVE_SHARED)('on beat-annotated MIT-BIH recordings', () => {
	for (const name of ['mitdb_100_30min', 'ltdb_14046_1h_ectopic']) {
		it(`${name}: at least 95 % sensitivity and precision for non-normal beats`, () => {
			const { sensitivity, precision } = score(name);
			console.log(
				`${name}: sensitivity ${sensitivity.toFixed(4)}, precision ${precision.toFixed(4)}`
			);
			expect(sensitivity).toBeGreaterThanOrEqual(0.95);
			expect(precision).toBeGreaterThanOrEqual(0.95);
		});
	}
	it('invents few artifacts in clean recordings', () => {
		expect(detectArtifacts(loadRr('nk_resting_8min')).percent).toBe(0);
		expect(detectArtifacts(loadRr('hrvanalysis_test_1000')).percent).toBeLessThan(1);
	});
	it('finds the frequent PVCs of the real Polar H10 recording', () => {
		expect(detectArtifacts(loadRr('polar_h10_pvc_10min')).ectopic).toBeGreaterThan(100);
	});
	it('leaves the irregular rhythm of ltdb_14149 (atrial fibrillation) as recorded, and says so', () => {
		// Before: 37.6 % of its beats "corrected", though only 0.2 % are annotated non-normal.
		const r = detectArtifacts(loadRr('ltdb_14149_23h'));
		expect(r.irregularPercent).toBeGreaterThan(95);
		expect(r.percent).toBeLessThan(1);
		expect(r.warning).toMatch(/^The rhythm is irregular in \d+ % of this recording/);
		for (const name of ['mitdb_100_30min', 'ltdb_14046_1h_ectopic', 'polar_h10_pvc_10min'])
			expect(detectArtifacts(loadRr(name)).irregularPercent, name).toBe(0);
	});
});

describe('detectArtifacts: irregular rhythm', () => {
	it('tells an irregularly irregular rhythm from frequent ectopy in a steady one', () => {
		let s = 11;
		const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
		const irregular = Array.from({ length: 3000 }, () => 450 + 450 * rand());
		const r = detectArtifacts(irregular);
		expect(r.irregularPercent).toBe(100);
		expect(r.total).toBe(0);
		// Bigeminy on a steady sinus rhythm stays ectopy: every other beat premature.
		const bigeminy = sinus(3000).map((v, i) =>
			i % 4 === 1 ? v * 0.65 : i % 4 === 2 ? v * 1.35 : v
		);
		const b = detectArtifacts(bigeminy);
		expect(b.irregularPercent).toBe(0);
		expect(b.ectopic).toBeGreaterThan(700);
	});
});
