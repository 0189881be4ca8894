import { openMongoDatabase } from './mongo/mongoDatabase';
import { openNedbDatabase } from './nedb/nedbDatabase';
import type { Config } from '../config';
import type { Database } from './types';

export interface OpenDatabaseOptions {
  /** When set (and not blank), MongoDB is used; otherwise the embedded NeDB files under `dataDir`. */
  mongodbUri?: string;
  /** Directory for the embedded engine's files; created when missing. */
  dataDir: string;
  /** Database name on MongoDB; the driver's default (from the URI) when absent. */
  dbName?: string;
  /** MongoDB only: how long one request may wait for an answer (mongo/mongoDatabase.ts). */
  operationTimeoutMs?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const uri = options.mongodbUri?.trim();
  if (uri) return openMongoDatabase(uri, options.dbName, { operationTimeoutMs: options.operationTimeoutMs });
  return openNedbDatabase(options.dataDir);
}

/** The store the settings name: the one place that reads them for the bot and for the CLIs. */
export function databaseOptionsOf(config: Pick<Config, 'mongodbUri' | 'dataDir' | 'mongodbDatabase' | 'mongodbOperationTimeoutMs'>): OpenDatabaseOptions {
  return { mongodbUri: config.mongodbUri || undefined, dataDir: config.dataDir, dbName: config.mongodbDatabase, operationTimeoutMs: config.mongodbOperationTimeoutMs };
}
