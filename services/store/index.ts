export * from './types';
export { openDatabase, type OpenDatabaseOptions } from './openDatabase';
export { openNedbDatabase, type NedbDatabaseOptions } from './nedb/nedbDatabase';
export { openMongoDatabase, type MongoDatabaseOptions } from './mongo/mongoDatabase';
export { BotStateStorage, ETagConflictError, BOT_STATE_COLLECTION, type BotStateRecord } from './botStateStorage';
