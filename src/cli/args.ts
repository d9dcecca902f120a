/** The analyze command's arguments: flags, analysis settings (`--name=value` or `--name value`) and files. */
import { changeSetting, DEFAULT_SETTINGS, type AnalysisSettings } from '../lib/analysis/index';

export type Args =
	| {
			ok: true;
			help: boolean;
			json: boolean;
			artifacts: boolean;
			settings: AnalysisSettings;
			files: string[];
	  }
	| { ok: false; help: boolean; reason: string };

const SWITCHES = ['--json', '--artifacts', '--help', '--no-correction'];
const SETTINGS = {
	'--correction': 'correction',
	'--detrend': 'detrend',
	'--lambda': 'lambda',
	'--window': 'windowS',
	'--resample': 'resampleHz'
} as const;

export function parseArgs(argv: readonly string[]): Args {
	const seen = new Set<string>();
	const files: string[] = [];
	let settings: AnalysisSettings = { ...DEFAULT_SETTINGS };
	const help = argv.includes('--help');
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) {
			files.push(arg);
			continue;
		}
		const eq = arg.indexOf('=');
		const name = eq < 0 ? arg : arg.slice(0, eq);
		if (SWITCHES.includes(name) && eq < 0) {
			seen.add(name);
			if (name === '--no-correction') settings = { ...settings, correction: 'none' };
			continue;
		}
		if (!(name in SETTINGS)) return { ok: false, help, reason: `Unknown option ${name}` };
		// A value may itself begin with "-" only in the --name=value form.
		const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
		if (value === undefined) return { ok: false, help, reason: `${name} needs a value` };
		const changed = changeSetting(settings, SETTINGS[name as keyof typeof SETTINGS], value);
		if (!changed.ok) return { ok: false, help, reason: `${name}: ${changed.reason}` };
		settings = changed.settings;
	}
	return {
		ok: true,
		help,
		json: seen.has('--json'),
		artifacts: seen.has('--artifacts'),
		settings,
		files
	};
}
