import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { isDuplicateKey, StoreError, type Collection, type Database, type Document } from './types';

/** One bot state item (conversation or user state) as the store keeps it. */
export interface BotStateRecord extends Document {
  /** The item without its eTag, as JSON: state may hold keys with "." or "$", which neither engine stores as fields. */
  json: string;
  eTag: string;
  updatedAt: Date;
}

export const BOT_STATE_COLLECTION = 'botState';

export class ETagConflictError extends StoreError {
  constructor(readonly key: string, options?: { cause?: unknown }) {
    super('ETAG_CONFLICT', `Bot state "${key}" was changed by another turn since it was read (eTag conflict).`, options);
    this.name = 'ETagConflictError';
  }
}

/**
 * botbuilder's Storage on top of the store port, with optimistic concurrency: an item written back
 * with the eTag it was read with only replaces that exact version; '*' or no eTag overwrites.
 * Each check is a single conditional write, so two turns racing on one conversation cannot both win.
 */
export class BotStateStorage implements Storage {
  constructor(private readonly records: Collection<BotStateRecord>) {}

  static open(database: Database): BotStateStorage {
    return new BotStateStorage(database.collection<BotStateRecord>(BOT_STATE_COLLECTION));
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    const records = await this.records.find({ _id: { $in: keys } });
    const items: StoreItems = {};
    for (const record of records) items[record._id] = { ...JSON.parse(record.json), eTag: record.eTag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const outcomes = await Promise.allSettled(Object.entries(changes).map(([key, item]) => this.writeItem(key, item)));
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length === 0) return;
    await this.records.deleteMany({ _id: { $in: keys } });
  }

  private async writeItem(key: string, item: Record<string, unknown> | null | undefined): Promise<void> {
    const { eTag: expectedETag, ...state } = item ?? {};
    const next = { json: JSON.stringify(state), eTag: randomUUID(), updatedAt: new Date() };
    if (typeof expectedETag === 'string' && expectedETag !== '' && expectedETag !== '*') {
      await this.replaceVersion(key, expectedETag, next);
    } else {
      await this.overwrite(key, next);
    }
  }

  /** Replaces the stored item only if it still carries `expectedETag`; creates it when there is none yet. */
  private async replaceVersion(key: string, expectedETag: string, next: Omit<BotStateRecord, '_id'>): Promise<void> {
    const replaced = await this.records.updateOne({ _id: key, eTag: expectedETag }, { $set: next });
    if (replaced.matchedCount === 1) return;
    try {
      await this.records.insertOne({ _id: key, ...next });
    } catch (error) {
      // The item exists with another eTag: someone else wrote it after our read.
      if (isDuplicateKey(error)) throw new ETagConflictError(key, { cause: error });
      throw error;
    }
  }

  private async overwrite(key: string, next: Omit<BotStateRecord, '_id'>): Promise<void> {
    try {
      await this.records.updateOne({ _id: key }, { $set: next }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // A concurrent create won the insert; last writer wins, so write over it.
      await this.records.updateOne({ _id: key }, { $set: next });
    }
  }
}
