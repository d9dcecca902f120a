export * from './schema';
export * from './beats';
export * from './sessions';
export { getDb, useDatabase } from './db';
