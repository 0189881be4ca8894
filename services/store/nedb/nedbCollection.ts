import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type Datastore from '@seald-io/nedb';
import { assertStorableDocument, assertSupportedFilter, assertSupportedUpdate, splitSetOnInsert } from '../portRules';
import type {
  Collection,
  Document,
  Filter,
  FindOneAndUpdateOptions,
  FindOptions,
  IndexSpec,
  Update,
  UpdateResult,
} from '../types';
import { Mutex } from './mutex';
import { toNedbFilter } from './nedbFilter';
import { translateNedbError } from './nedbErrors';
import { upsertedDocument } from './upsertedDocument';

export type StoredDocument = Record<string, unknown> & { _id: string };
type NewDocument<T> = Omit<T, '_id'> & { _id?: string };
type PendingInsert = { doc: StoredDocument; resolve: (doc: unknown) => void; reject: (error: unknown) => void };

/**
 * One NeDB datastore behind the Collection port. NeDB returns deep copies, so callers get plain
 * objects with real Date values. Every write holds `writeLock`, so a read-then-write sequence
 * (findOneAndUpdate, upserts, modified counts) never interleaves with another write.
 */
export class NedbCollection<T extends Document> implements Collection<T> {
  private readonly writeLock = new Mutex();
  /** insertOne calls waiting for the write lock; taken as one batch when it is their turn. */
  private pendingInserts: PendingInsert[] = [];

  constructor(
    private readonly name: string,
    private readonly store: Datastore<StoredDocument>,
    /** Resolves once the datafile is loaded; rejects when it failed to load or the database is closed. */
    private readonly whenUsable: () => Promise<void>,
  ) {}

  async insertOne(doc: NewDocument<T>): Promise<T> {
    assertStorableDocument(doc);
    // Group commit: NeDB appends to its datafile (open, write, close) once per insert call, and every
    // write is serialised, so under concurrency the file round-trips, not the CPU, set the pace.
    return this.read(
      () =>
        new Promise<T>((resolve, reject) => {
          this.pendingInserts.push({ doc: { ...doc, _id: doc._id ?? randomUUID() } as StoredDocument, resolve: resolve as (doc: unknown) => void, reject });
          if (this.pendingInserts.length === 1) void this.writeLock.runExclusive(() => this.flushInserts());
        }),
    );
  }

  async insertMany(docs: Array<NewDocument<T>>): Promise<T[]> {
    docs.forEach(assertStorableDocument);
    // One at a time, stopping at the first clash: the same outcome as MongoDB's ordered insertMany.
    return this.write(async () => {
      const stored: T[] = [];
      for (const doc of docs) stored.push(await this.insert(doc));
      return stored;
    });
  }

  async findOne(filter: Filter): Promise<T | null> {
    assertSupportedFilter(filter);
    return this.read(async () => (await this.store.findOneAsync(toNedbFilter(filter))) as unknown as T | null);
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    assertSupportedFilter(filter);
    return this.read(async () => (await this.findSorted(filter, options)) as unknown as T[]);
  }

  async countDocuments(filter: Filter): Promise<number> {
    assertSupportedFilter(filter);
    return this.read(async () => (await this.store.countAsync(toNedbFilter(filter))) as unknown as number);
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    assertSupportedFilter(filter);
    assertSupportedUpdate(update);
    return this.write(async () => {
      const before = (await this.store.findOneAsync(toNedbFilter(filter))) as unknown as StoredDocument | null;
      if (!before) {
        if (!options.upsert) return { matchedCount: 0, modifiedCount: 0 };
        const inserted = await this.insertUpserted(filter, update);
        return { matchedCount: 0, modifiedCount: 0, upsertedId: inserted._id };
      }
      const after = await this.applyToMatch(before, update);
      return { matchedCount: 1, modifiedCount: isDeepStrictEqual(before, after) ? 0 : 1 };
    });
  }

  async updateMany(filter: Filter, update: Update): Promise<UpdateResult> {
    assertSupportedFilter(filter);
    assertSupportedUpdate(update);
    const nedbFilter = toNedbFilter(filter);
    const { onMatch } = splitSetOnInsert(update);
    return this.write(async () => {
      const before = (await this.store.findAsync(nedbFilter)) as unknown as StoredDocument[];
      if (before.length === 0 || Object.keys(onMatch).length === 0) return { matchedCount: before.length, modifiedCount: 0 };
      const result = await this.store.updateAsync(nedbFilter, onMatch, { multi: true, returnUpdatedDocs: true });
      const beforeById = new Map(before.map((doc) => [doc._id, doc]));
      const after = result.affectedDocuments as unknown as StoredDocument[];
      const modifiedCount = after.filter((doc) => !isDeepStrictEqual(beforeById.get(doc._id), doc)).length;
      return { matchedCount: before.length, modifiedCount };
    });
  }

  async findOneAndUpdate(filter: Filter, update: Update, options: FindOneAndUpdateOptions = {}): Promise<T | null> {
    assertSupportedFilter(filter);
    assertSupportedUpdate(update);
    const returnBefore = options.returnDocument === 'before';
    return this.write(async () => {
      const [before] = (await this.findSorted(filter, { sort: options.sort, limit: 1 })) as unknown as StoredDocument[];
      if (!before) {
        if (!options.upsert) return null;
        const inserted = await this.insertUpserted(filter, update);
        // MongoDB has no "before" for a document it just created.
        return returnBefore ? null : (inserted as unknown as T);
      }
      const after = await this.applyToMatch(before, update);
      return (returnBefore ? before : after) as unknown as T;
    });
  }

  async deleteOne(filter: Filter): Promise<number> {
    assertSupportedFilter(filter);
    return this.write(() => this.store.removeAsync(toNedbFilter(filter), { multi: false }));
  }

  async deleteMany(filter: Filter): Promise<number> {
    assertSupportedFilter(filter);
    return this.write(() => this.store.removeAsync(toNedbFilter(filter), { multi: true }));
  }

  async createIndex(spec: IndexSpec): Promise<void> {
    const fields = Object.keys(spec.fields);
    // NeDB indexes have no direction; the sort order of a query does not depend on one.
    const fieldName = fields.length === 1 ? fields[0] : fields;
    // NeDB uses a compound index only for an equality on every one of its fields; ours serve MongoDB's
    // equality-plus-range or sort queries, so on NeDB a non-unique one would only cost memory and writes.
    if (fields.length > 1 && !spec.unique) return;
    return this.write(() => this.store.ensureIndexAsync({ fieldName, unique: spec.unique, sparse: spec.sparse }));
  }

  /** Rewrites the append-only datafile to one line per live document; waits for writes already queued. */
  compactDatafile(): Promise<void> {
    return this.writeLock.runExclusive(() => this.store.compactDatafileAsync());
  }

  /** Inserts the waiting batch with one datafile append; on a unique clash (NeDB rolls the whole batch back) one by one, so only the clashing insert fails. */
  private async flushInserts(): Promise<void> {
    const batch = this.pendingInserts;
    this.pendingInserts = [];
    if (batch.length > 1) {
      try {
        const stored = (await this.store.insertAsync(batch.map((pending) => pending.doc))) as unknown as StoredDocument[];
        batch.forEach((pending, i) => pending.resolve(stored[i]));
        return;
      } catch (error) {
        if ((error as { errorType?: unknown })?.errorType !== 'uniqueViolated') {
          batch.forEach((pending) => pending.reject(error));
          return;
        }
      }
    }
    for (const pending of batch) {
      try {
        pending.resolve(await this.store.insertAsync(pending.doc));
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  private async insert(doc: NewDocument<T>): Promise<T> {
    const stored = await this.store.insertAsync({ ...doc, _id: doc._id ?? randomUUID() } as StoredDocument);
    return stored as unknown as T;
  }

  private async insertUpserted(filter: Filter, update: Update): Promise<StoredDocument> {
    const doc = upsertedDocument(filter, update);
    assertStorableDocument(doc);
    return (await this.store.insertAsync(doc)) as unknown as StoredDocument;
  }

  /** Applies the update to one matched document; `$setOnInsert` only matters when inserting. */
  private async applyToMatch(before: StoredDocument, update: Update): Promise<StoredDocument> {
    const { onMatch } = splitSetOnInsert(update);
    // An empty NeDB update would replace the whole document with `{}`.
    if (Object.keys(onMatch).length === 0) return before;
    const result = await this.store.updateAsync({ _id: before._id }, onMatch, { returnUpdatedDocs: true });
    return result.affectedDocuments as unknown as StoredDocument;
  }

  private findSorted(filter: Filter, options: FindOptions) {
    let cursor = this.store.findAsync(toNedbFilter(filter));
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return cursor;
  }

  private async read<R>(operation: () => Promise<R>): Promise<R> {
    try {
      await this.whenUsable();
      return await operation();
    } catch (error) {
      throw translateNedbError(error, this.name);
    }
  }

  private write<R>(operation: () => Promise<R>): Promise<R> {
    return this.read(() => this.writeLock.runExclusive(operation));
  }
}
