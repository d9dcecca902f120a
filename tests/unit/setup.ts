// Dexie needs an IndexedDB; unit tests use an in-memory one.
import 'fake-indexeddb/auto';

// dexie-export-import refers to `self`, as browsers and workers define it.
(globalThis as { self?: unknown }).self ??= globalThis;

// A FileReader for Node (browsers have one): dexie-export-import reads backups with it.
class NodeFileReader extends EventTarget {
	result: string | ArrayBuffer | null = null;
	error: unknown = null;
	onload: ((e: Event) => void) | null = null;
	onerror: ((e: Event) => void) | null = null;
	onabort: ((e: Event) => void) | null = null;
	constructor() {
		super();
		// Handlers see event.target === this reader, as in browsers.
		this.addEventListener('load', (e) => this.onload?.(e));
		this.addEventListener('error', (e) => this.onerror?.(e));
	}
	private finish(read: Promise<string | ArrayBuffer>) {
		read.then(
			(r) => {
				this.result = r;
				this.dispatchEvent(new Event('load'));
			},
			(err) => {
				this.error = err;
				this.dispatchEvent(new Event('error'));
			}
		);
	}
	readAsText(blob: Blob) {
		this.finish(blob.text());
	}
	readAsArrayBuffer(blob: Blob) {
		this.finish(blob.arrayBuffer());
	}
	readAsBinaryString(blob: Blob) {
		this.finish(blob.arrayBuffer().then((b) => String.fromCharCode(...new Uint8Array(b))));
	}
	abort() {}
}
(globalThis as { FileReader?: unknown }).FileReader ??= NodeFileReader;
