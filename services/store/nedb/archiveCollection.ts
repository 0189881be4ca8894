/**
 * An archive collection on the embedded engine: for documents that pile up without end (the public-post
 * archive), with memory that stays flat however many arrive. NeDB holds a whole datafile in memory, so
 * the archive is cut into segment files of `segmentSize` documents under `<dataDir>/<name>.archive/`.
 * Inserts go to the newest segment; only it and a few recently used sealed segments are loaded. Each
 * sealed segment keeps only its summary in memory (Bloom filters per indexed field, date ranges), so
 * lookups by `_id` or an indexed field, and date-range queries, open just the segments that may match.
 * Other queries are answered by opening every segment in turn: correct, slower, bounded in memory.
 * Unique indexes hold across segments. Every operation but the insert itself runs under one lock.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import Datastore from '@seald-io/nedb';
import { compareThings, getDotValue, modify, serialize } from '@seald-io/nedb/lib/model';
import { assertStorableDocument, assertSupportedFilter, assertSupportedUpdate, isOperatorObject, splitSetOnInsert } from '../portRules';
import {
  DuplicateKeyError,
  type ArchiveOptions,
  StoreError,
  type Collection,
  type Document,
  type Filter,
  type FindOneAndUpdateOptions,
  type FindOptions,
  type IndexSpec,
  type Update,
  type UpdateResult,
} from '../types';
import { BloomFilter, type KeyHash } from './bloomFilter';
import { keepAppendHandleOpen } from './keptOpenAppends';
import { Mutex } from './mutex';
import { NedbCollection, type StoredDocument } from './nedbCollection';
import { upsertedDocument } from './upsertedDocument';
import {
  emptySummary,
  fieldsOf,
  fromStored,
  keysOf,
  mayHoldKeys,
  mayMatch,
  noteDocument,
  toStored,
  type IndexKey,
  type SegmentSummary,
  type StoredSummary,
} from './segmentSummary';

export interface ArchiveSegmentOptions extends ArchiveOptions {
  /** Sealed segments kept loaded besides the newest. */
  loadedSegments?: number;
}

interface IndexDeclaration {
  key: IndexKey;
  spec: IndexSpec;
}

interface Loaded {
  collection: NedbCollection<StoredDocument>;
  store: Datastore<StoredDocument>;
  appends: { release(): Promise<void> };
}

class Segment {
  loaded?: Loaded;
  lastUsed = 0;
  /** Inserts handed to the segment and not yet settled; sealing waits for them. */
  inFlight = 0;
  /** The summary on disk is out of date. */
  summaryStale = true;
  /** The datafile has updates or deletes appended since it was last compacted. */
  rewritten = false;
  /** The keys file as parsed (null: absent or torn), so a Bloom "maybe" reads it once; dropped whenever it is rewritten. */
  storedKeys?: Map<IndexKey, Set<string>> | null;

  constructor(
    readonly file: string,
    public summary: SegmentSummary,
  ) {}

  get summaryFile(): string {
    return this.file.replace(/\.db$/, '.summary.json');
  }

  /** Every value of the unique indexes, on disk: a Bloom "maybe" is settled by reading this rather than the whole segment. */
  get keysFile(): string {
    return this.file.replace(/\.db$/, '.keys.json');
  }
}

const DEFAULTS = { segmentSize: 5000, loadedSegments: 2 };
/** Sealed, unloaded segments whose parsed keys file is kept (a redelivered post asks the same few again). */
const KEYS_KEPT = 3;

export class ArchiveCollection<T extends Document> implements Collection<T> {
  private readonly lock = new Mutex();
  private readonly segmentSize: number;
  private readonly rangeFields: string[];
  private readonly loadedLimit: number;
  private readonly indexes: IndexDeclaration[] = [];
  /** The segments holding parsed keys, oldest first. */
  private readonly keysKept: Segment[] = [];
  private segments: Segment[] = [];
  private clock = 0;
  /** Segment files read since the archive was opened. */
  private loads = 0;
  private settled: Array<() => void> = [];
  private readonly opened: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly directory: string,
    options: ArchiveSegmentOptions,
    /** Throws once the database is closed. */
    private readonly assertOpen: () => void,
  ) {
    this.segmentSize = options.segmentSize ?? DEFAULTS.segmentSize;
    this.rangeFields = options.rangeFields ?? [];
    this.loadedLimit = options.loadedSegments ?? DEFAULTS.loadedSegments;
    this.opened = this.lock.runExclusive(() => this.discover());
    this.opened.catch(() => undefined);
  }

  async insertOne(doc: Omit<T, '_id'> & { _id?: string }): Promise<T> {
    // The segment's collection checks the document before storing it.
    const stored = { ...doc, _id: doc._id ?? randomUUID() } as StoredDocument;
    const target = await this.locked(async () => {
      if (this.active.summary.count >= this.segmentSize) await this.startNewSegment();
      await this.assertUniqueInSealed(stored);
      const active = this.active;
      const loaded = await this.load(active);
      active.summary.count++;
      noteDocument(active.summary, stored, this.rangeFields);
      active.summaryStale = true;
      active.inFlight++;
      return { active, loaded };
    });
    // Outside the lock, so concurrent inserts reach NeDB together and share one datafile append.
    try {
      return (await target.loaded.collection.insertOne(stored)) as unknown as T;
    } catch (error) {
      target.active.summary.count--;
      throw error;
    } finally {
      target.active.inFlight--;
      if (target.active.inFlight === 0) this.settled.splice(0).forEach((resolve) => resolve());
    }
  }

  async insertMany(docs: Array<Omit<T, '_id'> & { _id?: string }>): Promise<T[]> {
    docs.forEach(assertStorableDocument);
    const stored: T[] = [];
    for (const doc of docs) stored.push(await this.insertOne(doc));
    return stored;
  }

  async findOne(filter: Filter): Promise<T | null> {
    const [first] = await this.find(filter, { limit: 1 });
    return first ?? null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    assertSupportedFilter(filter);
    return this.locked(async () => (await this.findAcross(filter, options)).map(({ doc }) => doc as unknown as T));
  }

  async countDocuments(filter: Filter): Promise<number> {
    assertSupportedFilter(filter);
    return this.locked(async () => {
      let count = 0;
      for (const segment of this.candidates(filter)) count += await (await this.load(segment)).collection.countDocuments(filter);
      return count;
    });
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    assertSupportedFilter(filter);
    assertSupportedUpdate(update);
    return this.locked(async () => {
      const [match] = await this.findAcross(filter, { limit: 1 });
      if (!match) {
        if (!options.upsert) return { matchedCount: 0, modifiedCount: 0 };
        return this.upsert(filter, update, async (collection) => {
          const result = await collection.updateOne(filter, update, { upsert: true });
          return { result, upsertedId: result.upsertedId };
        });
      }
      await this.assertUniqueAfter(match.doc, update);
      const result = await (await this.load(match.segment)).collection.updateOne({ _id: match.doc._id }, update);
      await this.afterWrite(match.segment, update, [match.doc._id]);
      return result;
    });
  }

  async updateMany(filter: Filter, update: Update): Promise<UpdateResult> {
    assertSupportedFilter(filter);
    assertSupportedUpdate(update);
    return this.locked(async () => {
      const total: UpdateResult = { matchedCount: 0, modifiedCount: 0 };
      const touchesUnique = this.touchesUnique(update);
      for (const segment of this.candidates(filter)) {
        const { collection } = await this.load(segment);
        // The matches are read first only when needed: to check uniqueness, or to note their new values in the summary.
        const matched = touchesUnique || this.touchesTracked(segment, update) ? await collection.find(filter) : [];
        if (touchesUnique) for (const doc of matched) await this.assertUniqueAfterUpdate(doc, update);
        const result = await collection.updateMany(filter, update);
        total.matchedCount += result.matchedCount;
        total.modifiedCount += result.modifiedCount;
        if (result.matchedCount > 0) await this.afterWrite(segment, update, matched.map((doc) => doc._id));
      }
      return total;
    });
  }

  async findOneAndUpdate(filter: Filter, update: Update, options: FindOneAndUpdateOptions = {}): Promise<T | null> {
    assertSupportedFilter(filter);
    assertSupportedUpdate(update);
    return this.locked(async () => {
      const [match] = await this.findAcross(filter, { limit: 1, ...(options.sort && { sort: options.sort }) });
      if (!match) {
        if (!options.upsert) return null;
        return this.upsert(filter, update, async (collection) => {
          // Asked for the new document so its id is known; MongoDB has no "before" for a document it just created.
          const created = await collection.findOneAndUpdate(filter, update, { ...options, returnDocument: 'after', upsert: true });
          return { result: options.returnDocument === 'before' ? null : (created as unknown as T | null), upsertedId: created?._id };
        });
      }
      await this.assertUniqueAfter(match.doc, update);
      const result = await (await this.load(match.segment)).collection.findOneAndUpdate({ _id: match.doc._id }, update, {
        ...(options.returnDocument && { returnDocument: options.returnDocument }),
      });
      await this.afterWrite(match.segment, update, [match.doc._id]);
      return result as unknown as T | null;
    });
  }

  async deleteOne(filter: Filter): Promise<number> {
    assertSupportedFilter(filter);
    return this.locked(async () => {
      const [match] = await this.findAcross(filter, { limit: 1 });
      if (!match) return 0;
      match.segment.rewritten = true;
      return (await this.load(match.segment)).collection.deleteOne({ _id: match.doc._id });
    });
  }

  async deleteMany(filter: Filter): Promise<number> {
    assertSupportedFilter(filter);
    return this.locked(async () => {
      let deleted = 0;
      for (const segment of this.candidates(filter)) {
        const removed = await (await this.load(segment)).collection.deleteMany(filter);
        if (removed > 0) segment.rewritten = true;
        deleted += removed;
      }
      return deleted;
    });
  }

  async createIndex(spec: IndexSpec): Promise<void> {
    const key = Object.keys(spec.fields).join(',');
    return this.locked(async () => {
      if (this.indexes.some((index) => index.key === key)) return;
      // Range fields are pruned by their min/max; a Bloom filter of dates would only cost memory.
      const uncovered = this.rangeFields.includes(key) ? [] : this.segments.filter((segment) => !segment.summary.blooms.has(key));
      this.indexes.push({ key, spec });
      // Segments that already have the index's Bloom filter get the NeDB index when they are next loaded.
      if (uncovered.length === 0) {
        for (const segment of this.segments) if (segment.loaded) await segment.loaded.collection.createIndex(spec);
        return;
      }
      // Only an index no segment knows yet must be checked for duplicates across all of them; otherwise inserts kept it.
      const firstTime = uncovered.length === this.segments.length;
      try {
        await this.indexSegments(key, spec, uncovered, firstTime);
      } catch (error) {
        // A unique index over duplicates is refused, as one datastore would refuse it.
        this.indexes.pop();
        const fieldName = fieldsOf(key).length === 1 ? key : fieldsOf(key);
        for (const segment of this.segments) await segment.loaded?.store.removeIndexAsync(fieldName as string).catch(() => undefined);
        throw error;
      }
    });
  }

  /** Gives segments an index's Bloom filter (and NeDB index); the first time, also checks uniqueness across them. */
  private async indexSegments(key: IndexKey, spec: IndexSpec, segments: Segment[], firstTime: boolean): Promise<void> {
    const seen = spec.unique && firstTime ? new Set<string>() : undefined;
    for (const segment of segments) {
      const loaded = await this.load(segment);
      await loaded.collection.createIndex(spec);
      if (seen) this.collectUniqueKeys(loaded, key, spec, seen);
      this.resummarise(segment, loaded, [...segment.summary.blooms.keys(), key]);
      await this.unloadBeyondLimit();
    }
  }

  /**
   * Rewrites the datafiles of loaded segments that took updates or deletes (the database's compaction
   * timer; privacy erasure, so erased values do not linger in old lines).
   */
  async compactDatafile(): Promise<void> {
    await this.locked(async () => {
      for (const segment of this.segments) {
        if (!segment.loaded || !segment.rewritten) continue;
        await this.waitForInserts(segment);
        await segment.loaded.collection.compactDatafile();
        segment.rewritten = false;
      }
    });
  }

  /** Seals state on disk: every loaded segment compacted and unloaded, summaries written. */
  async close(): Promise<void> {
    await this.lock.runExclusive(async () => {
      await this.opened.catch(() => undefined);
      for (const segment of this.segments) await this.unload(segment);
    });
  }

  async ping(): Promise<void> {
    await this.locked(async () => undefined);
  }

  /** Segment files, how many are held in memory, and how many were read since opening (for tests and operators). */
  async stats(): Promise<{ segments: number; loaded: number; loads: number }> {
    return this.locked(async () => ({ segments: this.segments.length, loaded: this.segments.filter((segment) => segment.loaded).length, loads: this.loads }));
  }

  private get active(): Segment {
    return this.segments.at(-1)!;
  }

  private async locked<R>(operation: () => Promise<R>): Promise<R> {
    this.assertOpen();
    return this.lock.runExclusive(async () => {
      await this.openedOrUnavailable();
      try {
        return await operation();
      } finally {
        await this.unloadBeyondLimit();
      }
    });
  }

  private async openedOrUnavailable(): Promise<void> {
    try {
      await this.opened;
    } catch (error) {
      throw new StoreError('STORE_UNAVAILABLE', `Could not open archive ${this.directory}.`, { cause: error });
    }
  }

  /** Finds the segment files (oldest first) and their summaries; a segment without one is summarised from its file. */
  private async discover(): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true });
    const segmentFiles = async () => (await fs.readdir(this.directory)).filter((file) => /^\d{6}\.db$/.test(file)).sort();
    let files = await segmentFiles();
    if (files.length === 0 && (await this.splitPlainDatafile())) files = await segmentFiles();
    for (const [i, file] of files.entries()) {
      const segment = new Segment(path.join(this.directory, file), emptySummary([], this.segmentSize));
      // The newest segment took inserts after its summary was last written (if ever): always rebuilt.
      const stored = i < files.length - 1 ? await readJson<StoredSummary>(segment.summaryFile) : undefined;
      if (stored) {
        segment.summary = fromStored(stored);
        segment.summaryStale = false;
      } else {
        // Filters for the same indexes as the segment before it, so a restart does not re-index every segment.
        const known = new Set(['_id', ...(this.segments.at(-1)?.summary.blooms.keys() ?? [])]);
        const loaded = await this.load(segment);
        this.resummarise(segment, loaded, [...known], loaded.store.getAllData().length);
      }
      this.segments.push(segment);
      await this.unloadBeyondLimit();
    }
    if (this.segments.length === 0) this.segments.push(this.newSegment(1));
  }

  /**
   * A store written before this collection became an archive has it as one plain datafile beside the
   * folder (`<name>.db`): its documents are cut into segment files once, and the file is kept renamed
   * `<name>.db.archived` (delete it once the archive is known good).
   */
  private async splitPlainDatafile(): Promise<boolean> {
    const plain = `${this.directory.replace(/\.archive$/, '')}.db`;
    if (!(await fs.stat(plain).catch(() => undefined))) return false;
    const store = new Datastore<StoredDocument>({ filename: plain, autoload: false });
    await store.loadDatabaseAsync();
    const docs = store.getAllData();
    for (let start = 0, number = 1; start < docs.length; start += this.segmentSize, number++) {
      const lines = docs.slice(start, start + this.segmentSize).map((doc) => `${serialize(doc)}\n`).join('');
      await fs.writeFile(this.newSegment(number).file, lines);
    }
    await fs.rename(plain, `${plain}.archived`);
    return docs.length > 0;
  }

  private newSegment(number: number): Segment {
    const file = path.join(this.directory, `${String(number).padStart(6, '0')}.db`);
    const bloomed = this.indexes.map((index) => index.key).filter((key) => !this.rangeFields.includes(key));
    return new Segment(file, emptySummary(['_id', ...bloomed], this.segmentSize));
  }

  /**
   * Seals the newest segment (once its inserts have landed) and opens the next. The sealed one stays
   * loaded until it is the least recently used: redeliveries and recent lookups land there most.
   */
  private async startNewSegment(): Promise<void> {
    const sealed = this.active;
    await this.waitForInserts(sealed);
    if (sealed.loaded) await this.persistSummary(sealed, sealed.loaded);
    const number = Number(path.basename(sealed.file, '.db')) + 1;
    this.segments.push(this.newSegment(number));
  }

  private waitForInserts(segment: Segment): Promise<void> {
    if (segment.inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.settled.push(resolve)).then(() => this.waitForInserts(segment));
  }

  private async load(segment: Segment): Promise<Loaded> {
    segment.lastUsed = ++this.clock;
    if (segment.loaded) return segment.loaded;
    this.loads++;
    const store = new Datastore<StoredDocument>({ filename: segment.file, autoload: false });
    try {
      await store.loadDatabaseAsync();
    } catch (error) {
      // One unreadable segment fails the queries that need it, not the whole archive; the file is left as it is.
      throw new StoreError('STORE_UNAVAILABLE', `Could not load archive segment ${segment.file}.`, { cause: error });
    }
    const appends = keepAppendHandleOpen(store);
    const collection = new NedbCollection<StoredDocument>(this.name, store, async () => this.assertOpen());
    for (const { spec } of this.indexes) await collection.createIndex(spec);
    segment.loaded = { store, appends, collection };
    return segment.loaded;
  }

  /** Compacts a segment that was changed, writes its summary when stale, and lets its documents go. */
  private async unload(segment: Segment): Promise<void> {
    const loaded = segment.loaded;
    if (!loaded) return;
    await this.waitForInserts(segment);
    // A segment that only took inserts already holds one line per document.
    if (segment.rewritten) await loaded.collection.compactDatafile();
    await loaded.appends.release();
    if (segment.summaryStale) await this.persistSummary(segment, loaded);
    segment.rewritten = false;
    segment.loaded = undefined;
  }

  private async unloadBeyondLimit(): Promise<void> {
    const sealed = this.segments.slice(0, -1).filter((segment) => segment.loaded && segment.inFlight === 0);
    sealed.sort((a, b) => a.lastUsed - b.lastUsed);
    while (sealed.length > this.loadedLimit) await this.unload(sealed.shift()!);
  }

  private candidates(filter: Filter): Segment[] {
    return this.segments.filter((segment) => mayMatch(segment.summary, filter, this.rangeFields));
  }

  /** Matches across segments, in the order one datastore would give: sorted when asked, else oldest segment first. */
  private async findAcross(filter: Filter, options: FindOptions): Promise<Array<{ doc: StoredDocument; segment: Segment }>> {
    const wanted = options.limit ? (options.skip ?? 0) + options.limit : undefined;
    const byRange = wanted ? this.rangeOrder(filter, options.sort) : undefined;
    const candidates = byRange ? byRange.order(this.candidates(filter)) : this.candidates(filter);
    let found: Array<{ doc: StoredDocument; segment: Segment }> = [];
    for (const segment of candidates) {
      if (wanted && found.length >= wanted) {
        if (!options.sort) break;
        if (byRange && !byRange.mayBeat(segment, found[wanted - 1].doc)) break;
      }
      const { collection } = await this.load(segment);
      const docs = await collection.find(filter, { ...(options.sort && { sort: options.sort }), ...(wanted && { limit: wanted }) });
      found.push(...docs.map((doc) => ({ doc, segment })));
      if (options.sort) found.sort((a, b) => compareBy(options.sort!, a.doc, b.doc));
    }
    found = found.slice(options.skip ?? 0);
    return wanted ? found.slice(0, options.limit) : found;
  }

  /**
   * A limited query sorted first by a range field need not read every segment: visited in that order, the
   * segments after the one whose range cannot beat the current last hit hold nothing better. Descending is
   * always safe (a document without the field sorts last); ascending only when the filter needs the field.
   */
  private rangeOrder(filter: Filter, sort: FindOptions['sort']) {
    const [field, direction] = Object.entries(sort ?? {})[0] ?? [];
    if (!field || !this.rangeFields.includes(field)) return undefined;
    const condition = filter[field];
    const needsField = condition instanceof Date || (isOperatorObject(condition) && ['$gt', '$gte', '$lt', '$lte'].some((operator) => operator in condition));
    if (direction === 1 && !needsField) return undefined;
    const edge = (segment: Segment) => segment.summary.ranges.get(field)?.[direction === 1 ? 0 : 1] ?? (direction === 1 ? Infinity : -Infinity);
    return {
      order: (segments: Segment[]) => [...segments].sort((a, b) => (direction === 1 ? edge(a) - edge(b) : edge(b) - edge(a))),
      mayBeat: (segment: Segment, last: StoredDocument) => {
        const value = getDotValue(last, field);
        if (!(value instanceof Date)) return true;
        return direction === 1 ? edge(segment) <= value.getTime() : edge(segment) >= value.getTime();
      },
    };
  }

  /** An upsert that matched nothing anywhere inserts into the newest segment. */
  private async upsert<R>(
    filter: Filter,
    update: Update,
    write: (collection: NedbCollection<StoredDocument>) => Promise<{ result: R; upsertedId: string | undefined }>,
  ): Promise<R> {
    if (this.active.summary.count >= this.segmentSize) await this.startNewSegment();
    // The document the upsert would create must not clash with one in a sealed segment (the filter matched none of them).
    await this.assertUniqueInSealed(upsertedDocument(filter, update) as StoredDocument);
    const active = this.active;
    const { collection } = await this.load(active);
    const { result, upsertedId } = await write(collection);
    active.summary.count++;
    // Only the created document is new to the summary, as after an insert.
    const created = upsertedId === undefined ? null : await collection.findOne({ _id: upsertedId });
    if (created) noteDocument(active.summary, created, this.rangeFields);
    else this.resummarise(active, active.loaded!);
    active.summaryStale = true;
    return result;
  }

  /**
   * Keeps a segment's summary true after an update that may have changed an indexed or range field. A sealed
   * segment's summary is written at once: after a crash, an old one could say "not here" for the new value.
   */
  private async afterWrite(segment: Segment, update: Update, updatedIds: string[]): Promise<void> {
    segment.rewritten = true;
    if (!this.touchesTracked(segment, update)) return;
    // Bloom filters and ranges only grow, so noting the new values keeps the summary true (old values stay a harmless "maybe").
    const loaded = segment.loaded!;
    for (const doc of await loaded.collection.find({ _id: { $in: updatedIds } })) noteDocument(segment.summary, doc, this.rangeFields);
    // A fresh summary on disk (not stale) means the keys file is fresh too; it changes only with a unique field.
    const keysChanged = segment.summaryStale || this.touchesUnique(update);
    segment.summaryStale = true;
    if (segment !== this.active) await this.persistSummary(segment, loaded, keysChanged);
  }

  private touchesTracked(segment: Segment, update: Update): boolean {
    const tracked = [...segment.summary.blooms.keys()].flatMap(fieldsOf).concat(this.rangeFields);
    return updatedPaths(update).some((changed) => tracked.some((field) => overlaps(changed, field)));
  }

  /** Writes the summary and (unless unchanged) the unique keys of a loaded segment (the keys first: a summary never outlives its keys). */
  private async persistSummary(segment: Segment, loaded: Loaded, withKeys = true): Promise<void> {
    if (withKeys) {
      const keys: Record<IndexKey, string[]> = {};
      const docs = loaded.store.getAllData();
      for (const { key } of this.uniqueIndexes()) keys[key] = docs.flatMap((doc) => keysOf(doc, key) ?? []);
      segment.storedKeys = undefined;
      await writeJson(segment.keysFile, keys);
    }
    await writeJson(segment.summaryFile, toStored(segment.summary));
    segment.summaryStale = false;
  }

  /** Whether a sealed segment may hold one of these unique keys, asked of its keys file when it is not loaded. */
  private async mayHoldUnique(segment: Segment, key: IndexKey, keys: string[] | undefined, hashes: KeyHash[]): Promise<boolean> {
    if (!keys) return true;
    if (!mayHoldKeys(segment.summary, key, hashes)) return false;
    if (segment.loaded) return true;
    if (segment.storedKeys === undefined) {
      const read = await readJson<Record<IndexKey, string[]>>(segment.keysFile);
      segment.storedKeys = read ? new Map(Object.entries(read).map(([index, values]) => [index, new Set(values)])) : null;
      // Memory stays flat: only the few segments asked most recently keep their keys in memory.
      this.keysKept.push(segment);
      if (this.keysKept.length > KEYS_KEPT) this.keysKept.shift()!.storedKeys = undefined;
    }
    const stored = segment.storedKeys?.get(key);
    return !stored || keys.some((k) => stored.has(k));
  }

  /** Rebuilds a loaded segment's summary from its documents, for its index keys (or the ones given). */
  private resummarise(segment: Segment, loaded: Loaded, keys = [...segment.summary.blooms.keys()], count = segment.summary.count): void {
    const fresh = emptySummary(keys, Math.max(this.segmentSize, count));
    for (const doc of loaded.store.getAllData()) noteDocument(fresh, doc, this.rangeFields);
    fresh.count = count;
    segment.summary = fresh;
    segment.summaryStale = true;
  }

  private uniqueIndexes(): IndexDeclaration[] {
    return [{ key: '_id', spec: { fields: { _id: 1 }, unique: true } }, ...this.indexes.filter((index) => index.spec.unique)];
  }

  /** The newest segment's own unique indexes catch clashes inside it; this checks the sealed ones. */
  private async assertUniqueInSealed(doc: StoredDocument, except?: string): Promise<void> {
    for (const { key, spec } of this.uniqueIndexes()) {
      const fields = fieldsOf(key);
      if (spec.sparse && fields.every((field) => getDotValue(doc, field) === undefined)) continue;
      const keys = keysOf(doc, key);
      const hashes = (keys ?? []).map(BloomFilter.hash);
      for (const segment of this.segments) {
        if (segment === this.active && except === undefined) continue;
        if (!(await this.mayHoldUnique(segment, key, keys, hashes))) continue;
        // Only a "maybe" (rare on an insert's hot path) costs a query.
        const filter = Object.fromEntries(fields.map((field) => [field, getDotValue(doc, field) ?? null]));
        const clash = await (await this.load(segment)).collection.findOne(except === undefined ? filter : { ...filter, _id: { $ne: except } });
        if (clash) throw new DuplicateKeyError(`Duplicate key ${JSON.stringify(filter)} in collection "${this.name}".`);
      }
    }
  }

  private touchesUnique(update: Update): boolean {
    const unique = this.uniqueIndexes().flatMap(({ key }) => fieldsOf(key));
    return updatedPaths(update).some((changed) => unique.some((field) => overlaps(changed, field)));
  }

  /** An update that changes a unique field must not make it clash with a document in another segment. */
  private async assertUniqueAfter(before: StoredDocument, update: Update): Promise<void> {
    if (this.touchesUnique(update)) await this.assertUniqueAfterUpdate(before, update);
  }

  /** The same check, for a caller that already knows the update touches a unique field. */
  private async assertUniqueAfterUpdate(before: StoredDocument, update: Update): Promise<void> {
    const after = modify(before, splitSetOnInsert(update).onMatch) as StoredDocument;
    await this.assertUniqueInSealed(after, before._id);
  }

  private collectUniqueKeys(loaded: Loaded, key: IndexKey, spec: IndexSpec, seen: Set<string>): void {
    for (const doc of loaded.store.getAllData()) {
      if (spec.sparse && fieldsOf(key).every((field) => getDotValue(doc, field) === undefined)) continue;
      const combined = JSON.stringify(fieldsOf(key).map((field) => getDotValue(doc, field) ?? null));
      if (seen.has(combined)) throw new DuplicateKeyError(`Duplicate key ${combined} in collection "${this.name}".`);
      seen.add(combined);
    }
  }
}

function compareBy(sort: Record<string, 1 | -1>, a: object, b: object): number {
  for (const [field, direction] of Object.entries(sort)) {
    const order = compareThings(getDotValue(a, field), getDotValue(b, field));
    if (order !== 0) return order * direction;
  }
  return 0;
}

function updatedPaths(update: Update): string[] {
  return Object.values(update).flatMap((fields) => Object.keys(fields as object));
}

function overlaps(changed: string, field: string): boolean {
  return changed === field || field.startsWith(`${changed}.`) || changed.startsWith(`${field}.`);
}

async function readJson<V>(file: string): Promise<V | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as V;
  } catch {
    // Missing or torn (a crash while writing): the caller rebuilds from, or falls back to, the segment itself.
    return undefined;
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  // Write then rename, so a crash leaves the old file or the new one, never half of one.
  await fs.writeFile(`${file}.tmp`, JSON.stringify(value));
  await fs.rename(`${file}.tmp`, file);
}
