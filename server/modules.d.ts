// y-leveldb ships no types for its ES module entry: the part of it the sync server uses.
declare module 'y-leveldb' {
	import type { Doc } from 'yjs';
	export class LeveldbPersistence {
		constructor(location: string);
		getYDoc(docName: string): Promise<Doc>;
		storeUpdate(docName: string, update: Uint8Array): Promise<number>;
		destroy(): Promise<void>;
	}
}
