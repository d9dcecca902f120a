/**
 * Why sync uses Yjs and not Automerge (the design note's fallback), measured on our data's shape:
 * 2,000 sessions, each 8 small ciphertexts (~150 B) in an index document and a 9.1 KB beats blob
 * in a beats document, written 100 sessions per change as the bridge does; then a second device's
 * first load of both documents, and the stored size. Random bytes stand in for ciphertext.
 *
 *   npm i --no-save @automerge/automerge@3 && node tests/bench/sync-engines.mjs
 *
 * Automerge is not a dependency of Settle, so without it this says so and stops.
 */
import * as Y from 'yjs';
import { randomBytes } from 'node:crypto';

let A;
try {
	A = await import('@automerge/automerge');
} catch {
	console.log(
		'Automerge is not installed: npm i --no-save @automerge/automerge@3, then run again.'
	);
	process.exit(0);
}
const N = 2000;
const small = Array.from({ length: N * 8 }, () => new Uint8Array(randomBytes(150)));
const blobs = Array.from({ length: N }, () => new Uint8Array(randomBytes(9100)));
const key = (i) => randomBytes(16).toString('base64url').slice(0, 22) + i;
const keys = small.map((_, i) => key(i));
const bkeys = blobs.map((_, i) => key(i));
const time = (f) => {
	const t = performance.now();
	const r = f();
	return [r, performance.now() - t];
};

// Yjs: one transaction per 100 sessions, as the bridge writes.
let [yres, ywrite] = time(() => {
	const idx = new Y.Doc(),
		beats = new Y.Doc();
	for (let s = 0; s < N; s += 100) {
		idx.transact(() => {
			for (let i = s * 8; i < (s + 100) * 8; i++) idx.getMap('v').set(keys[i], small[i]);
		});
		beats.transact(() => {
			for (let i = s; i < s + 100; i++) beats.getMap('v').set(bkeys[i], blobs[i]);
		});
	}
	return [Y.encodeStateAsUpdate(idx), Y.encodeStateAsUpdate(beats)];
});
const [, yload] = time(() => {
	const a = new Y.Doc(),
		b = new Y.Doc();
	Y.applyUpdate(a, yres[0]);
	Y.applyUpdate(b, yres[1]);
	return a.getMap('v').size + b.getMap('v').size;
});
console.log(
	`Yjs:       write ${ywrite.toFixed(0)} ms, first load on another device ${yload.toFixed(0)} ms, stored ${((yres[0].length + yres[1].length) / 1e6).toFixed(1)} MB`
);

let [ares, awrite] = time(() => {
	let idx = A.init(),
		beats = A.init();
	for (let s = 0; s < N; s += 100) {
		idx = A.change(idx, (d) => {
			for (let i = s * 8; i < (s + 100) * 8; i++) d[keys[i]] = small[i];
		});
		beats = A.change(beats, (d) => {
			for (let i = s; i < s + 100; i++) d[bkeys[i]] = blobs[i];
		});
	}
	return [A.save(idx), A.save(beats)];
});
const [, aload] = time(() => {
	const a = A.load(ares[0]),
		b = A.load(ares[1]);
	return Object.keys(a).length + Object.keys(b).length;
});
console.log(
	`Automerge: write ${awrite.toFixed(0)} ms, first load on another device ${aload.toFixed(0)} ms, stored ${((ares[0].length + ares[1].length) / 1e6).toFixed(1)} MB`
);
