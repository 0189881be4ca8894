import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { assertCollectionName } from '../portRules';
import { StoreError, type Collection, type Database, type Document } from '../types';
import { MongoCollection, type StoredDocument } from './mongoCollection';
import { translateMongoError } from './mongoErrors';

export interface MongoDatabaseOptions {
  /** How long an operation waits for a usable server before failing; defaults to 5 s. */
  serverSelectionTimeoutMS?: number;
  /** How long one request may wait for the server's answer before it fails as STORE_UNAVAILABLE; defaults to 5 s. */
  operationTimeoutMs?: number;
  appName?: string;
}

export const DEFAULT_OPERATION_TIMEOUT_MS = 5_000;

/**
 * Connects to MongoDB and checks that it answers. Without `dbName` the database named in the URI is used.
 * Fails with STORE_UNAVAILABLE (cause kept) when no server can be reached in time.
 */
export async function openMongoDatabase(uri: string, dbName?: string, options: MongoDatabaseOptions = {}): Promise<Database> {
  const client = createClient(uri, options);
  try {
    await client.connect();
    const database = new MongoDatabase(client, client.db(dbName));
    await database.ping();
    return database;
  } catch (error) {
    await client.close().catch(() => undefined);
    if (error instanceof StoreError) throw error;
    throw new StoreError('STORE_UNAVAILABLE', 'Could not connect to MongoDB.', { cause: error });
  }
}

/**
 * The driver's default socketTimeoutMS is 0 (wait forever): a request on a half-open connection would hold a
 * customer's turn, and every later turn of that conversation, for good. `timeoutMS` (CSOT) would be the
 * per-operation bound, but driver 7.9 ignores it (deprecated, "has no effect"), so the bound is the socket's:
 * no answer within `operationTimeoutMs` closes the connection (MongoNetworkTimeoutError → STORE_UNAVAILABLE).
 * The driver retries a read or write once, so a dead connection fails a request within about twice that.
 */
export function mongoClientOptions(options: MongoDatabaseOptions): MongoClientOptions {
  const selectionMs = options.serverSelectionTimeoutMS ?? 5_000;
  const operationMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
  return {
    serverSelectionTimeoutMS: selectionMs,
    connectTimeoutMS: selectionMs,
    socketTimeoutMS: operationMs,
    // Waiting for a free pooled connection is bounded the same way (the driver's default is forever).
    waitQueueTimeoutMS: operationMs,
    appName: options.appName ?? 'social-care-bot',
    // NeDB and JSON drop undefined fields; the driver would store them as null.
    ignoreUndefined: true,
  };
}

/** Builds the client without connecting (exported for tests of the options it ends up with). */
export function createClient(uri: string, options: MongoDatabaseOptions): MongoClient {
  try {
    return new MongoClient(uri, mongoClientOptions(options));
  } catch (error) {
    // The message leaves the URI out: it may carry a password.
    throw new StoreError('INVALID_OPERATION', 'The MongoDB connection string is not valid.', { cause: error });
  }
}

class MongoDatabase implements Database {
  readonly engine = 'mongodb' as const;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  collection<T extends Document>(name: string): Collection<T> {
    assertCollectionName(name);
    this.assertOpen();
    return new MongoCollection<T>(name, this.db.collection<StoredDocument>(name), () => this.assertOpen());
  }

  /** The server keeps documents out of this process's memory already: an archive is a plain collection. */
  archive<T extends Document>(name: string): Collection<T> {
    return this.collection<T>(name);
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.db.command({ ping: 1 });
    } catch (error) {
      const translated = translateMongoError(error, '(ping)');
      throw translated instanceof StoreError
        ? translated
        : new StoreError('STORE_UNAVAILABLE', 'MongoDB did not answer ping.', { cause: error });
    }
  }

  close(): Promise<void> {
    this.closing ??= this.client.close();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new StoreError('STORE_UNAVAILABLE', 'The MongoDB database is closed.');
  }
}
