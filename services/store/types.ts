/**
 * The storage port. Repositories speak MongoDB's query language (filter and update documents);
 * each engine (embedded NeDB file, MongoDB) is a thin adapter that executes them.
 * Only operators both engines run identically are allowed: see the contract suite in test/store/.
 */
/**
 * Filter documents: plain equality (also on dotted paths such as 'customer.userId'), $in, $nin, $lt, $lte,
 * $gt, $gte, $ne, $exists, $regex (a RegExp object, flags "i" and "m" only), and $or / $and. An undefined value
 * equals nothing (as on NeDB). Anything else is refused with
 * INVALID_OPERATION by both engines (see portRules.ts).
 */
export type Filter = Record<string, unknown>;
/**
 * Update documents: $set, $unset, $inc, $push (with $each), $addToSet, $min, $max, $setOnInsert (with upsert).
 * No path may appear twice or inside another (MongoDB refuses it); `$set` of undefined leaves the field absent.
 */
export type Update = Record<string, unknown>;
export type SortSpec = Record<string, 1 | -1>;

export interface Document {
  _id: string;
}

export interface FindOptions {
  sort?: SortSpec;
  limit?: number;
  skip?: number;
}

export interface FindOneAndUpdateOptions {
  sort?: SortSpec;
  upsert?: boolean;
  /** Which version of the document to return; defaults to 'after'. */
  returnDocument?: 'before' | 'after';
}

export interface UpdateResult {
  matchedCount: number;
  modifiedCount: number;
  upsertedId?: string;
}

export interface IndexSpec {
  fields: Record<string, 1 | -1>;
  unique?: boolean;
  /**
   * Documents missing the field are left out of the index (so uniqueness ignores them). Use it on optional
   * string fields: NeDB keeps all documents lacking the field in one tree node that every update of such a
   * document scans. Not on Date fields: NeDB 4 leaves every Date value out of a sparse index.
   */
  sparse?: boolean;
}

export interface Collection<T extends Document> {
  /** Inserts; a document without `_id` gets a random string id. Throws DuplicateKeyError on a unique index clash. */
  insertOne(doc: Omit<T, '_id'> & { _id?: string }): Promise<T>;
  /** Inserts in order and stops at the first clash: the documents before it stay stored (on both engines). */
  insertMany(docs: Array<Omit<T, '_id'> & { _id?: string }>): Promise<T[]>;
  findOne(filter: Filter): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  countDocuments(filter: Filter): Promise<number>;
  /** `modifiedCount` counts documents whose content actually changed, as MongoDB does. */
  updateOne(filter: Filter, update: Update, options?: { upsert?: boolean }): Promise<UpdateResult>;
  updateMany(filter: Filter, update: Update): Promise<UpdateResult>;
  /** Atomic find-and-modify: the primitive for leases and claims. Returns null when nothing matched (and no upsert). */
  findOneAndUpdate(filter: Filter, update: Update, options?: FindOneAndUpdateOptions): Promise<T | null>;
  deleteOne(filter: Filter): Promise<number>;
  deleteMany(filter: Filter): Promise<number>;
  createIndex(spec: IndexSpec): Promise<void>;
}

export interface ArchiveOptions {
  /** Date fields that range queries filter on (e.g. `receivedAt`). */
  rangeFields?: string[];
  /** Documents per segment file on the embedded engine. */
  segmentSize?: number;
}

export interface Database {
  readonly engine: 'nedb' | 'mongodb';
  collection<T extends Document>(name: string): Collection<T>;
  /**
   * A collection for documents that pile up without end (the public-post archive). MongoDB: a plain
   * collection. Embedded engine: held in segment files with bounded memory; lookups by `_id`, by an
   * indexed field or by a range of `rangeFields` stay quick, other queries read every segment.
   */
  archive<T extends Document>(name: string, options?: ArchiveOptions): Collection<T>;
  /** Resolves when the store answers; rejects otherwise (used by /readyz). */
  ping(): Promise<void>;
  /** Flushes and releases the engine; safe to call twice. Later operations reject with STORE_UNAVAILABLE. */
  close(): Promise<void>;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'DUPLICATE_KEY' | 'STORE_UNAVAILABLE' | 'INVALID_OPERATION' | 'ETAG_CONFLICT',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export class DuplicateKeyError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DUPLICATE_KEY', message, options);
    this.name = 'DuplicateKeyError';
  }
}

export function isDuplicateKey(error: unknown): error is DuplicateKeyError {
  return error instanceof StoreError && error.code === 'DUPLICATE_KEY';
}
