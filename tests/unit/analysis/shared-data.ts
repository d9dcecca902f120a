/**
 * The public RR recordings and NeuroKit2 reference outputs in ../shared/data/rr. Absent on a
 * user's fresh clone: tests that need them skip, saying so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const RR_DIR = resolve(process.cwd(), '../shared/data/rr');
export const HAVE_SHARED = existsSync(RR_DIR);
if (!HAVE_SHARED) {
	console.warn(
		`Reference-data tests skipped: ${RR_DIR} is absent (it ships beside the repository in CI).`
	);
}

export const SHARED_FILES = [
	'pyhrv_short_5min',
	'nk_resting_5min',
	'nk_resting_8min',
	'polar_h10_pvc_10min',
	'hrvanalysis_test_1000',
	'mitdb_100_30min',
	'pyhrv_long_60min',
	'ltdb_14046_1h_ectopic',
	'ltdb_14149_23h'
] as const;

export function loadRr(name: string): number[] {
	return readFileSync(resolve(RR_DIR, `${name}.txt`), 'utf8')
		.trim()
		.split(/\s+/)
		.map(Number);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reference JSON of many shapes
export function loadReference(name: string): any {
	return JSON.parse(readFileSync(resolve(RR_DIR, 'reference', `${name}.json`), 'utf8'));
}

/** Beat labels: for each interval, the WFDB symbol of the beat that ends it. */
export function loadAnnotations(name: string): string[] {
	return readFileSync(resolve(RR_DIR, `${name}.annot.tsv`), 'utf8')
		.trim()
		.split('\n')
		.slice(1)
		.map((l) => l.split('\t')[2]);
}
