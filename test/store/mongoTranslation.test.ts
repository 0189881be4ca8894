/**
 * Unit tests of what the MongoDB engine sends to the driver, checked on a minimal stand-in of the driver's
 * Collection. They prove the translation only, not MongoDB's answers (see mongo.contract.test.ts for those).
 */
import { MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { ensureIndex } from '../../services/store/mongo/mongoIndexes';
import { toMongoFilter, toMongoUpdate } from '../../services/store/mongo/mongoTranslate';
import { DuplicateKeyError } from '../../services/store/types';
import { collectionOver, standInDriver } from './support/standInDriver';

const duplicateKey = () => new MongoServerError({ errmsg: 'E11000 duplicate key error', code: 11000 });
const indexConflict = () =>
  new MongoServerError({ errmsg: 'An existing index has the same name as the requested index', code: 86, codeName: 'IndexKeySpecsConflict' });

describe('MongoDB filter translation (unit, no server)', () => {
  it('turns an equality with undefined into a condition no document meets, as NeDB reads it (the client would drop it and match everything)', () => {
    expect(toMongoFilter({ ticketRef: undefined, status: 'open' })).toEqual({ ticketRef: { $in: [] }, status: 'open' });
    expect(toMongoFilter({ $or: [{ a: undefined }, { b: 1 }] })).toEqual({ $or: [{ a: { $in: [] } }, { b: 1 }] });
  });

  it('reads undefined inside operators the way NeDB does', () => {
    expect(toMongoFilter({ f: { $in: [undefined, 1] }, g: { $nin: [undefined] } })).toEqual({ f: { $in: [1] }, g: { $nin: [] } });
    expect(toMongoFilter({ f: { $ne: undefined } })).toEqual({ f: { $nin: [] } });
    expect(toMongoFilter({ f: { $gte: 0, $lt: undefined } })).toEqual({ f: { $in: [] } });
    expect(toMongoFilter({ f: { $exists: undefined } })).toEqual({ f: { $exists: false } });
  });

  it('leaves filters without undefined as they are', () => {
    const at = new Date('2024-01-01T00:00:00Z');
    const filter = { _id: 'x', at: { $lt: at }, name: /^a/i, note: null, $and: [{ n: { $in: [1, 2] } }] };
    expect(toMongoFilter(filter)).toEqual(filter);
  });

  it('sends deleteMany with an undefined value as a filter that deletes nothing', async () => {
    const { calls, driver } = standInDriver({ deleteMany: [{ deletedCount: 0 }] });
    await collectionOver(driver).deleteMany({ conversationId: undefined });
    expect(calls).toEqual([{ method: 'deleteMany', args: [{ conversationId: { $in: [] } }] }]);
  });
});

describe('MongoDB update translation (unit, no server)', () => {
  it('turns $set of undefined into $unset, as NeDB leaves such a field absent (the client would keep the old value)', () => {
    expect(toMongoUpdate({ $set: { status: 'open', assignee: undefined } })).toEqual({ $set: { status: 'open' }, $unset: { assignee: '' } });
    expect(toMongoUpdate({ $set: { assignee: undefined }, $unset: { note: '' } })).toEqual({ $unset: { note: '', assignee: '' } });
  });

  it('unsets a path given with an undefined value in $unset, and drops undefined $setOnInsert fields', () => {
    expect(toMongoUpdate({ $unset: { note: undefined } })).toEqual({ $unset: { note: '' } });
    expect(toMongoUpdate({ $setOnInsert: { a: undefined, b: 1 }, $inc: { n: 1 } })).toEqual({ $setOnInsert: { b: 1 }, $inc: { n: 1 } });
    expect(toMongoUpdate({ $setOnInsert: { a: undefined } })).toEqual({ $setOnInsert: {} });
  });
});

describe('MongoDB upserts (unit, stand-in driver collection)', () => {
  it('asks an upsert again once when it lost an insert race with E11000, and returns the second answer', async () => {
    const { calls, driver } = standInDriver({ updateOne: [duplicateKey(), { matchedCount: 1, modifiedCount: 1, upsertedId: null }] });
    const result = await collectionOver(driver).updateOne({ _id: 'k', kind: 'a' }, { $set: { n: 1 } }, { upsert: true });
    expect(result).toEqual({ matchedCount: 1, modifiedCount: 1 });
    expect(calls.map((call) => call.method)).toEqual(['updateOne', 'updateOne']);
    expect(calls[1]?.args).toEqual(calls[0]?.args);
  });

  it('reports DUPLICATE_KEY when the second try of an upsert clashes too (a real clash, as on NeDB)', async () => {
    const { calls, driver } = standInDriver({ findOneAndUpdate: [duplicateKey(), duplicateKey()] });
    const attempt = collectionOver(driver).findOneAndUpdate({ _id: 'k', until: { $lt: new Date() } }, { $set: { n: 1 } }, { upsert: true });
    await expect(attempt).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(calls).toHaveLength(2);
  });

  it('does not retry a plain update that hits a unique index', async () => {
    const { calls, driver } = standInDriver({ updateOne: [duplicateKey()] });
    await expect(collectionOver(driver).updateOne({ _id: 'k' }, { $set: { ref: 'T-1' } })).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(calls).toHaveLength(1);
  });

  it('takes the upserted _id from an equality inside $and instead of naming a second one', async () => {
    const { calls, driver } = standInDriver({ updateOne: [{ matchedCount: 0, modifiedCount: 0, upsertedId: 'k' }] });
    await collectionOver(driver).updateOne({ $and: [{ _id: 'k' }, { kind: 'a' }] }, { $set: { n: 1 } }, { upsert: true });
    expect(calls[0]?.args[1]).toEqual({ $set: { n: 1 } });
  });
});

describe('MongoDB index creation (unit, stand-in driver collection)', () => {
  it('sends only the options that are set (MongoDB 5.0 before 5.0.28 told sparse:false apart from none)', async () => {
    const { calls, driver } = standInDriver({ createIndex: ['at_1'] });
    await ensureIndex(driver as never, { fields: { at: 1 }, unique: false, sparse: false });
    expect(calls).toEqual([{ method: 'createIndex', args: [{ at: 1 }, {}] }]);
  });

  it('replaces an index whose options changed between releases instead of stopping start-up on IndexKeySpecsConflict', async () => {
    const { calls, driver } = standInDriver({
      createIndex: [indexConflict(), 'ticketRef_1'],
      indexes: [[{ v: 2, key: { _id: 1 }, name: '_id_' }, { v: 2, key: { ticketRef: 1 }, name: 'ticketRef_1' }]],
    });
    await ensureIndex(driver as never, { fields: { ticketRef: 1 }, sparse: true });
    expect(calls.map((call) => [call.method, ...call.args])).toEqual([
      ['createIndex', { ticketRef: 1 }, { sparse: true }],
      ['indexes'],
      ['dropIndex', 'ticketRef_1'],
      ['createIndex', { ticketRef: 1 }, { sparse: true }],
    ]);
  });

  it('keeps an equal index that exists under another name (IndexOptionsConflict) and drops nothing', async () => {
    const { calls, driver } = standInDriver({
      createIndex: [new MongoServerError({ errmsg: 'Index already exists with a different name: by_ref', code: 85 })],
      indexes: [[{ v: 2, key: { ref: 1 }, name: 'by_ref', unique: true }]],
    });
    await ensureIndex(driver as never, { fields: { ref: 1 }, unique: true });
    expect(calls.map((call) => call.method)).toEqual(['createIndex', 'indexes']);
  });

  it('puts the old index back and reports the failure when the new one cannot be built (duplicates under a new unique index)', async () => {
    const { calls, driver } = standInDriver({
      createIndex: [indexConflict(), duplicateKey(), 'ref_1'],
      indexes: [[{ v: 2, key: { ref: 1 }, name: 'ref_1' }]],
    });
    await expect(ensureIndex(driver as never, { fields: { ref: 1 }, unique: true })).rejects.toMatchObject({ code: 11000 });
    expect(calls.map((call) => [call.method, ...call.args]).slice(2)).toEqual([
      ['dropIndex', 'ref_1'],
      ['createIndex', { ref: 1 }, { unique: true }],
      ['createIndex', { ref: 1 }, { name: 'ref_1' }],
    ]);
  });
});
