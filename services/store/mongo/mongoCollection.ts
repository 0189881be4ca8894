import { randomUUID } from 'node:crypto';
import type { Collection as DriverCollection, Filter as DriverFilter, UpdateFilter } from 'mongodb';
import { assertStorableDocument, assertSupportedFilter, assertSupportedUpdate } from '../portRules';
import {
  isDuplicateKey,
  type Collection,
  type Document,
  type Filter,
  type FindOneAndUpdateOptions,
  type FindOptions,
  type IndexSpec,
  type Update,
  type UpdateResult,
} from '../types';
import { translateMongoError } from './mongoErrors';
import { ensureIndex, INDEX_BUILD } from './mongoIndexes';
import { toMongoFilter, toMongoUpdate } from './mongoTranslate';
import { withUpsertId } from './upsertId';

export type StoredDocument = Record<string, unknown> & { _id: string };
type NewDocument<T> = Omit<T, '_id'> & { _id?: string };

/** A MongoDB collection behind the Collection port; driver types stay inside this file. */
export class MongoCollection<T extends Document> implements Collection<T> {
  constructor(
    private readonly name: string,
    private readonly driver: DriverCollection<StoredDocument>,
    /** Throws once the database is closed: the driver would otherwise silently reconnect. */
    private readonly assertOpen: () => void,
  ) {}

  async insertOne(doc: NewDocument<T>): Promise<T> {
    assertStorableDocument(doc);
    const stored = withId(doc);
    await this.run(() => this.driver.insertOne(stored));
    return stored as unknown as T;
  }

  async insertMany(docs: Array<NewDocument<T>>): Promise<T[]> {
    docs.forEach(assertStorableDocument);
    if (docs.length === 0) return []; // the driver refuses an empty batch
    const stored = docs.map(withId);
    await this.run(() => this.driver.insertMany(stored, { ordered: true }));
    return stored as unknown as T[];
  }

  async findOne(filter: Filter): Promise<T | null> {
    assertSupportedFilter(filter);
    return this.run(async () => (await this.driver.findOne(asDriverFilter(filter))) as unknown as T | null);
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    assertSupportedFilter(filter);
    const cursorOptions = {
      ...(options.sort && { sort: options.sort }),
      ...(options.skip && { skip: options.skip }),
      ...(options.limit && { limit: options.limit }),
    };
    return this.run(async () => (await this.driver.find(asDriverFilter(filter), cursorOptions).toArray()) as unknown as T[]);
  }

  async countDocuments(filter: Filter): Promise<number> {
    assertSupportedFilter(filter);
    return this.run(() => this.driver.countDocuments(asDriverFilter(filter)));
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    assertSupportedFilter(filter);
    assertSupportedUpdate(update);
    const upsert = options.upsert ?? false;
    const driverUpdate = asDriverUpdate(upsert ? withUpsertId(filter, update) : update);
    const result = await this.run(() => this.driver.updateOne(asDriverFilter(filter), driverUpdate, { upsert }), upsert);
    return {
      matchedCount: result.matchedCount,
      modifiedCount: result.modifiedCount,
      ...(result.upsertedId !== null && result.upsertedId !== undefined && { upsertedId: String(result.upsertedId) }),
    };
  }

  async updateMany(filter: Filter, update: Update): Promise<UpdateResult> {
    assertSupportedFilter(filter);
    assertSupportedUpdate(update);
    const result = await this.run(() => this.driver.updateMany(asDriverFilter(filter), asDriverUpdate(update)));
    return { matchedCount: result.matchedCount, modifiedCount: result.modifiedCount };
  }

  async findOneAndUpdate(filter: Filter, update: Update, options: FindOneAndUpdateOptions = {}): Promise<T | null> {
    assertSupportedFilter(filter);
    assertSupportedUpdate(update);
    const upsert = options.upsert ?? false;
    const driverUpdate = asDriverUpdate(upsert ? withUpsertId(filter, update) : update);
    const driverOptions = {
      // The driver defaults to 'before'; the port defaults to 'after'.
      returnDocument: options.returnDocument ?? 'after',
      upsert,
      includeResultMetadata: false,
      ...(options.sort && { sort: options.sort }),
    } as const;
    return this.run(
      async () => (await this.driver.findOneAndUpdate(asDriverFilter(filter), driverUpdate, driverOptions)) as unknown as T | null,
      upsert,
    );
  }

  async deleteOne(filter: Filter): Promise<number> {
    assertSupportedFilter(filter);
    return (await this.run(() => this.driver.deleteOne(asDriverFilter(filter)))).deletedCount;
  }

  async deleteMany(filter: Filter): Promise<number> {
    assertSupportedFilter(filter);
    return (await this.run(() => this.driver.deleteMany(asDriverFilter(filter)))).deletedCount;
  }

  async createIndex(spec: IndexSpec): Promise<void> {
    await this.run(() => ensureIndex(this.driver, spec, INDEX_BUILD));
  }

  /**
   * `upsert`: two upserts that both find nothing both insert, and the second fails with E11000 (MongoDB retries
   * that itself only when the filter is exactly the unique key's equalities). On NeDB the second would have seen
   * the first's document, so it is asked again once: it now matches and updates, or the clash was real.
   */
  private async run<R>(operation: () => Promise<R>, upsert = false): Promise<R> {
    try {
      this.assertOpen();
      return await operation();
    } catch (error) {
      const translated = translateMongoError(error, this.name);
      if (upsert && isDuplicateKey(translated)) return this.run(operation);
      throw translated;
    }
  }
}

function withId<T>(doc: NewDocument<T>): StoredDocument {
  return { ...(doc as Record<string, unknown>), _id: doc._id ?? randomUUID() };
}

function asDriverFilter(filter: Filter): DriverFilter<StoredDocument> {
  return toMongoFilter(filter) as DriverFilter<StoredDocument>;
}

function asDriverUpdate(update: Update): UpdateFilter<StoredDocument> {
  return toMongoUpdate(update) as UpdateFilter<StoredDocument>;
}
