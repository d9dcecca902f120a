/**
 * `npm run analyze -- [--json] [--no-correction] [--artifacts] FILE...`
 * HRV report for RR files, with the same engine the app uses. Only I/O lives here.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { analysisSummary, analyzeRr, readRrBytes } from '../lib/analysis/index';
import { formatReport } from './report';

const HELP = `Usage: npm run analyze -- [--json] [--no-correction] [--artifacts] FILE...

Reads RR-interval files (one value per line in ms or seconds, CSV/TSV with a column named
like rr, rri or ibi, and other apps' exports: Kubios results, Polar Sensor Logger, HRV Logger,
SelfLoops, Welltory…; UTF-8, UTF-16 or Windows-1252) and prints an HRV report for each.

  --json           one JSON object per file, one per line (JSON Lines)
  --no-correction  analyse the intervals exactly as given (artifacts are still counted)
  --artifacts      include the 0-based indices of the intervals judged abnormal
  --help           this text

A file that cannot be read is reported on one line (file, line, reason); the others are
still analysed, and the exit code is 1.`;

function main(argv: string[]): number {
	const flags = new Set(argv.filter((a) => a.startsWith('--')));
	const files = argv.filter((a) => !a.startsWith('--'));
	const known = ['--json', '--no-correction', '--artifacts', '--help'];
	const unknown = [...flags].filter((f) => !known.includes(f));
	if (flags.has('--help')) {
		console.log(HELP);
		return 0;
	}
	if (unknown.length > 0 || files.length === 0) {
		console.error(unknown.length ? `Unknown option ${unknown[0]}` : 'No file given.');
		console.error(HELP);
		return 2;
	}
	let failed = false;
	for (const file of files) {
		let bytes: Uint8Array;
		try {
			bytes = readFileSync(file);
		} catch (err) {
			console.error(
				`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`
			);
			failed = true;
			continue;
		}
		const parsed = readRrBytes(bytes, basename(file));
		if (!parsed.ok) {
			console.error(`${file}: ${parsed.line > 0 ? `line ${parsed.line}: ` : ''}${parsed.reason}`);
			failed = true;
			continue;
		}
		const analysis = analyzeRr(parsed.rrMs, { correction: !flags.has('--no-correction') });
		const summary = { file, ...analysisSummary(analysis, flags.has('--artifacts')) };
		if (flags.has('--json'))
			console.log(JSON.stringify(summary, (_k, v) => (Number.isNaN(v) ? null : v)));
		else console.log(formatReport(summary, parsed.unit, analysis.artifacts.warning));
	}
	return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
