/**
 * The `analyze` command ships as one built ES module, dist/cli/analyze.mjs: src/cli/analyze.ts and
 * everything it imports (the analysis engine, fft.js) bundled by Vite, so running it needs plain
 * Node and no TypeScript loader (which cost ~0.65 s a run).
 *
 * Beside it, analyze.inputs.json records every file that went into the bundle (and the bundle
 * itself) with its size, mtime and SHA-256. The bundle is fresh while each of those files still has
 * the recorded content: size and mtime unchanged, or, when they changed (a checkout, a touch), the
 * same hash. Checking costs a stat per file (~40), so `npm run analyze` checks on every run and
 * rebuilds when a source changed or the bundle is missing (a fresh clone), in ~0.5 s.
 *
 * `node src/cli/bundle.js` (npm run build:cli) builds unconditionally.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	readFileSync,
	realpathSync,
	renameSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository's root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ENTRY = 'src/cli/analyze.ts';
export const OUT_DIR = join(ROOT, 'dist/cli');
export const BUNDLE_NAME = 'analyze.mjs';
export const MANIFEST_NAME = 'analyze.inputs.json';
/** Bumped when the way the bundle is built changes, so older bundles are rebuilt. */
const FORMAT = 1;
const THIS_FILE = fileURLToPath(import.meta.url);

const BANNER = `/* eslint-disable */
// Built by src/cli/bundle.js from ${ENTRY} (npm run build:cli); do not edit.
`;

/**
 * @typedef {{ size: number; mtimeMs: number; sha256: string }} FileStamp
 * @typedef {{ format: number; files: Record<string, FileStamp> }} Manifest
 */

/** @param {string | Buffer} data */
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/**
 * Size, mtime and hash of each file, keyed by its path relative to `root` ('/'-separated).
 * @param {string} root
 * @param {readonly string[]} paths absolute, or relative to root
 * @returns {Record<string, FileStamp>}
 */
export function stampFiles(root, paths) {
	/** @type {Record<string, FileStamp>} */
	const files = {};
	for (const path of paths) {
		const abs = resolve(root, path);
		const { size, mtimeMs } = statSync(abs);
		files[relative(root, abs).split(sep).join('/')] = {
			size,
			mtimeMs,
			sha256: sha256(readFileSync(abs))
		};
	}
	return files;
}

/**
 * Why the bundle recorded by `manifestPath` must be rebuilt, or undefined when it is fresh.
 * @param {string} root
 * @param {string} manifestPath
 * @returns {string | undefined}
 */
export function staleReason(root, manifestPath) {
	/** @type {Manifest} */
	let manifest;
	try {
		manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
	} catch {
		return 'not built yet';
	}
	if (manifest?.format !== FORMAT || typeof manifest.files !== 'object' || !manifest.files)
		return 'built by an older build script';
	for (const [path, stamp] of Object.entries(manifest.files)) {
		const abs = resolve(root, path);
		let st;
		try {
			st = statSync(abs);
		} catch {
			return `${path} is missing`;
		}
		if (st.size === stamp.size && st.mtimeMs === stamp.mtimeMs) continue;
		if (st.size !== stamp.size || sha256(readFileSync(abs)) !== stamp.sha256)
			return `${path} changed`;
	}
	return undefined;
}

/** @param {string} path @param {string | Buffer} data */
function writeAtomically(path, data) {
	const tmp = `${path}.${process.pid}.tmp`;
	writeFileSync(tmp, data);
	renameSync(tmp, path);
}

/**
 * Bundles the CLI into `outDir` (analyze.mjs and its manifest). Vite is loaded only here.
 * @param {{ root?: string; outDir?: string }} [options]
 * @returns {Promise<{ bundle: string; inputs: number }>}
 */
export async function buildBundle({ root = ROOT, outDir = OUT_DIR } = {}) {
	// tsconfig.json extends SvelteKit's generated one, which `npm ci` writes (prepare: svelte-kit
	// sync). Without it Vite cannot compile TypeScript, so write it as prepare would.
	if (!existsSync(join(root, '.svelte-kit/tsconfig.json'))) {
		const kit = createRequire(join(root, 'package.json')).resolve('@sveltejs/kit/package.json');
		const sync = spawnSync(process.execPath, [join(dirname(kit), 'svelte-kit.js'), 'sync'], {
			cwd: root,
			stdio: ['ignore', 'ignore', 'inherit']
		});
		if (sync.status !== 0) throw new Error('svelte-kit sync failed');
	}
	const { build } = await import('vite');
	const startedAt = Date.now();
	const result = await build({
		configFile: false,
		root,
		// Only warnings and errors, which Vite writes to stderr: stdout carries the command's JSON.
		logLevel: 'warn',
		publicDir: false,
		envDir: false,
		resolve: { alias: { $lib: join(root, 'src/lib') } },
		// One self-contained file: bundle the dependencies too (only node: built-ins stay imports).
		ssr: { noExternal: true, target: 'node' },
		build: {
			ssr: ENTRY,
			write: false,
			target: 'node20',
			// Readable, and function names stay for --cpu-prof.
			minify: false,
			sourcemap: false,
			copyPublicDir: false,
			reportCompressedSize: false,
			rolldownOptions: { output: { format: 'es', entryFileNames: BUNDLE_NAME } }
		}
	});
	const outputs = Array.isArray(result) ? result : [result];
	const chunks = outputs
		.flatMap((o) => ('output' in o ? o.output : []))
		.filter((c) => c.type === 'chunk');
	if (chunks.length !== 1) throw new Error(`expected one chunk, got ${chunks.length}`);
	const [chunk] = chunks;
	const inputs = chunk.moduleIds.filter((id) => !id.startsWith('\0') && !id.includes('?'));
	mkdirSync(outDir, { recursive: true });
	const bundle = join(outDir, BUNDLE_NAME);
	writeAtomically(bundle, BANNER + chunk.code);
	const files = stampFiles(root, [...inputs, THIS_FILE]);
	// A source saved while Vite was reading it: what went into the bundle is unknown, so the next
	// run rebuilds.
	for (const stamp of Object.values(files))
		if (stamp.mtimeMs >= startedAt) Object.assign(stamp, { mtimeMs: -1, sha256: '' });
	Object.assign(files, stampFiles(root, [bundle]));
	/** @type {Manifest} */
	const manifest = { format: FORMAT, files };
	writeAtomically(join(outDir, MANIFEST_NAME), JSON.stringify(manifest, null, '\t') + '\n');
	return { bundle, inputs: inputs.length };
}

/**
 * The bundle's path, built first when it is missing or older than its sources.
 * @param {{ root?: string; outDir?: string; log?: (line: string) => void }} [options]
 * @returns {Promise<string>}
 */
export async function ensureBundle({
	root = ROOT,
	outDir = OUT_DIR,
	log = (line) => console.error(line)
} = {}) {
	const reason = staleReason(root, join(outDir, MANIFEST_NAME));
	if (reason === undefined) return join(outDir, BUNDLE_NAME);
	const t0 = performance.now();
	const { bundle } = await buildBundle({ root, outDir });
	log(
		`Built ${relative(process.cwd(), bundle)} (${reason}) in ${((performance.now() - t0) / 1000).toFixed(1)} s.`
	);
	return bundle;
}

/** Whether Node was started on this file (npm run build:cli), not importing it. */
function isMain() {
	try {
		return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
	} catch {
		return false;
	}
}

if (isMain()) {
	const t0 = performance.now();
	const { bundle, inputs } = await buildBundle();
	console.log(
		`Built ${relative(process.cwd(), bundle)} from ${inputs} modules in ${((performance.now() - t0) / 1000).toFixed(1)} s.`
	);
}
