// Dexie needs an IndexedDB; unit tests use an in-memory one.
import 'fake-indexeddb/auto';
