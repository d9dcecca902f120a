import { sveltekit } from '@sveltejs/kit/vite';
import { build, type Plugin, type Rollup } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * V8's explicit compile hint (Chrome 136+, ignored elsewhere): the functions of a file that starts
 * with this comment are compiled on a background thread while it loads, instead of one by one on
 * the main thread when first called. Without it, History in a new tab spent about 60 ms of main
 * thread compiling functions as the page and its charts were built. (Chromium compiles modules
 * again on every visit, so this background work recurs; for the classic chart script below it
 * also fills the code cache, which is reused.)
 * Given to every chunk except those of libraries of which opening a page runs only a small part
 * (the database's, backups', sync's, QR codes'): compiling all of theirs would be wasted work. Nor
 * to chunks under 2 KB: too little to compile for the bytes the hint adds to every page's budget.
 */
const COMPILE_HINT = '//# allFunctionsCalledOnLoad';
const HINT_MIN_BYTES = 2048;
const MOSTLY_UNUSED_AT_OPEN =
	/node_modules\/(dexie|dexie-export-import|yjs|y-indexeddb|y-websocket|y-protocols|lib0|qrcode-generator)\//;

/** Puts the hint first in each chunk, after Vite's own additions (it must be the first line). */
function compileHints(): Plugin {
	return {
		name: 'settle:compile-hints',
		apply: 'build',
		enforce: 'post',
		generateBundle: {
			order: 'post',
			handler(_options, bundle) {
				for (const chunk of Object.values(bundle)) {
					if (
						chunk.type !== 'chunk' ||
						chunk.code.length < HINT_MIN_BYTES ||
						chunk.moduleIds.some((id) => MOSTLY_UNUSED_AT_OPEN.test(id))
					)
						continue;
					chunk.code = `${COMPILE_HINT}\n${chunk.code}`;
				}
			}
		}
	};
}

/**
 * The database and analysis modules only declare things: importing one runs nothing else. Saying so
 * lets the bundler leave out what a page reaches through the `$lib/db` and `$lib/analysis` barrels
 * but never uses (the import parsers, the integrity check, the resonance assessment): 8.9 KB gzipped
 * less on Practise, 11 KB less on History. A module there that had to run when imported (none does)
 * would have to be left out of this pattern.
 */
const DECLARES_ONLY = /\/src\/lib\/(db|analysis)\/.*\.ts$/;
const hasSideEffects = (id: string) => !DECLARES_ONLY.test(id);

const CHARTS_SCRIPT = 'virtual:charts-script';

/**
 * Chart.js as a classic script, not a module. Chromium keeps the compiled code of both, but (as
 * measured with Chromium 156) only ever reuses it for classic scripts: every visit compiled the
 * module form's 170 KB afresh, 25–35 ms of a background thread racing the page for this machine's
 * two cores. The classic script, with the compile hint, is reused whole from the second visit on.
 * Built for the client into _app/immutable (so the service worker keeps it, under its hash);
 * `virtual:charts-script` gives load-charts.ts its address, or nothing where there is none (the
 * dev server, which then imports the module). The build of it knows no Svelte and no `$lib`:
 * chart-setup.ts imports Chart.js only, and must stay so.
 */
function chartsAsClassicScript(): Plugin {
	let building = false;
	return {
		name: 'settle:charts-classic-script',
		configResolved(config) {
			building = config.command === 'build';
		},
		resolveId(id) {
			return id === CHARTS_SCRIPT ? `\0${CHARTS_SCRIPT}` : undefined;
		},
		async load(id) {
			if (id !== `\0${CHARTS_SCRIPT}`) return undefined;
			if (!building || this.environment.name !== 'client') return 'export default undefined;';
			const built = (await build({
				configFile: false,
				logLevel: 'warn',
				build: {
					write: false,
					minify: true,
					lib: {
						entry: 'src/lib/components/charts/chart-setup.ts',
						formats: ['iife'],
						name: '__settleCharts',
						fileName: () => 'charts.js'
					}
				}
			})) as Rollup.RollupOutput[];
			const ref = this.emitFile({
				type: 'asset',
				name: 'charts.js',
				source: `${COMPILE_HINT}\n${built[0].output[0].code}`
			});
			return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), compileHints(), chartsAsClassicScript()],
	build: { rolldownOptions: { treeshake: { moduleSideEffects: hasSideEffects } } },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					environment: 'node',
					// Simulations of many people and recordings take 1-5 s here, several times that on
					// a loaded machine: no unit test times anything (speed lives in the benchmarks),
					// so the limit only catches a test that hangs.
					testTimeout: 30_000,
					setupFiles: ['tests/unit/setup.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.e2e.ts'],
					environment: 'node',
					globalSetup: ['tests/e2e/global-setup.ts'],
					// One browser at a time on a 2-core machine.
					fileParallelism: false,
					testTimeout: 120_000,
					hookTimeout: 60_000,
					// Under CI a test that fails is run once more, in a new browser context, and the
					// report marks it retried: one Chromium stall on a loaded machine (a page that stopped
					// answering for 120 s, seen once in 70 runs) must not keep a change from landing.
					// A test that fails twice fails the run.
					retry: process.env.CI === 'true' ? 1 : 0
				}
			}
		]
	}
});
