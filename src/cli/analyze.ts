/**
 * `npm run analyze -- [options] FILE...`
 * HRV report for RR files, with the same engine the app uses. Only I/O lives here.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { analysisSummary, analyzeRr, formatReport, readRrBytes } from '../lib/analysis/index';
import { parseArgs } from './args';

const HELP = `Usage: npm run analyze -- [options] FILE...

Reads RR-interval files (one value per line in ms or seconds, CSV/TSV with a column named
like rr, rri or ibi, and other apps' exports: Kubios results, Polar Sensor Logger, HRV Logger,
SelfLoops, Welltory…; UTF-8, UTF-16 or Windows-1252) and prints an HRV report for each.

  --json               one JSON object per file, one per line (JSON Lines)
  --artifacts          include the 0-based indices of the intervals judged abnormal
  --help               this text

Analysis settings, as Kubios HRV offers them (the report names those used):
  --correction=WHICH   artifact correction: automatic (default; Lipponen & Tarvainen 2019),
                       none, or a fixed threshold: very-low (0.45 s), low (0.35 s),
                       medium (0.25 s), strong (0.15 s), very-strong (0.05 s), at 60 bpm
  --no-correction      the same as --correction=none (artifacts are still counted)
  --detrend=WHICH      smoothness-priors (default) or none
  --lambda=N           smoothness-priors λ, 0-100000 (default 500; 0 is --detrend=none)
  --window=S           Welch window in seconds, 30-600 (default 300; Kubios 2.x used 256)
  --resample=HZ        interpolation rate in Hz, 1-20 (default 4)

A file that cannot be read is reported on one line (file, line, reason); the others are
still analysed, and the exit code is 1.`;

function main(argv: string[]): number {
	const args = parseArgs(argv);
	if (args.help) {
		console.log(HELP);
		return 0;
	}
	if (!args.ok || args.files.length === 0) {
		console.error(args.ok ? 'No file given.' : args.reason);
		console.error(HELP);
		return 2;
	}
	let failed = false;
	for (const file of args.files) {
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
		const analysis = analyzeRr(parsed.rrMs, { settings: args.settings });
		const summary = { file, ...analysisSummary(analysis, args.artifacts) };
		if (args.json) console.log(JSON.stringify(summary, (_k, v) => (Number.isNaN(v) ? null : v)));
		else
			console.log(
				formatReport(
					summary,
					`${file}  (${summary.n} RR intervals, read in ${parsed.unit})`,
					analysis.artifacts.warning
				)
			);
	}
	return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
