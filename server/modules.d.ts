// y-leveldb ships no types for its ES module entry: the part of it the sync server uses.
declare module 'y-leveldb' {
	import type { Doc } from 'yjs';
	export class LeveldbPersistence {
		constructor(location: string);
		/** null when the read failed (y-leveldb catches it and warns). */
		getYDoc(docName: string): Promise<Doc | null>;
		/** The update's number, or null when the write failed (caught and warned by y-leveldb). */
		storeUpdate(docName: string, update: Uint8Array): Promise<number | null>;
		destroy(): Promise<void>;
	}
}
