/**
 * Where MongoDB's client or server would part from NeDB unless the engine (or the port's rules) holds them
 * together: undefined values (the client runs with ignoreUndefined), overlapping update paths (MongoDB error 40),
 * RegExp flags the driver rewrites, upserts racing on one filter, and index options changing between releases.
 */
import { expect, it } from 'vitest';
import type { Document } from '../../../services/store/types';
import type { StoreUnderTest } from '../contractCases';

type Loose = Document & Record<string, unknown>;

export function portabilityCases(store: StoreUnderTest): void {
  it('matches no document with an equality on undefined, so a deleteMany given a missing value deletes nothing', async () => {
    const docs = store.freshCollection<Loose>();
    await docs.insertMany([{ _id: 'a', ref: 'T-1' }, { _id: 'b' }]);
    expect(await docs.deleteMany({ ref: undefined })).toBe(0);
    expect(await docs.updateMany({ ref: undefined }, { $set: { touched: true } })).toEqual({ matchedCount: 0, modifiedCount: 0 });
    expect(await docs.countDocuments({ ref: undefined })).toBe(0);
    expect(await docs.countDocuments({})).toBe(2);
  });

  it('reads undefined inside $ne, $in and $nin as a value nothing equals', async () => {
    const docs = store.freshCollection<Loose>();
    await docs.insertMany([{ _id: 'a', ref: 'T-1' }, { _id: 'b' }, { _id: 'c', ref: null }]);
    const ids = async (filter: Record<string, unknown>) => (await docs.find(filter, { sort: { _id: 1 } })).map((doc) => doc._id);
    expect(await ids({ ref: { $ne: undefined } })).toEqual(['a', 'b', 'c']);
    expect(await ids({ ref: { $in: [undefined, 'T-1'] } })).toEqual(['a']);
    expect(await ids({ ref: { $nin: [undefined] } })).toEqual(['a', 'b', 'c']);
    expect(await ids({ $or: [{ ref: undefined }, { _id: 'b' }] })).toEqual(['b']);
  });

  it('leaves a field set to undefined absent, and unsets a path given with an undefined value', async () => {
    const docs = store.freshCollection<Loose>();
    await docs.insertOne({ _id: 'x', assignee: 'ann', note: 'n', status: 'new' });
    await docs.updateOne({ _id: 'x' }, { $set: { assignee: undefined, status: 'open' } });
    await docs.updateOne({ _id: 'x' }, { $unset: { note: undefined } });
    const after = await docs.findOne({ _id: 'x' });
    expect(after?.assignee).toBeUndefined();
    expect(after?.note).toBeUndefined();
    expect(after?.status).toBe('open');
    expect(await docs.countDocuments({ assignee: { $exists: true } })).toBe(0);
    expect(await docs.countDocuments({ note: { $exists: true } })).toBe(0);
  });

  it('refuses undefined as the operand of $inc, $min, $max, $push and $addToSet', async () => {
    const docs = store.freshCollection<Loose>();
    await docs.insertOne({ _id: 'x', n: 1 });
    for (const update of [{ $inc: { n: undefined } }, { $min: { n: undefined } }, { $max: { n: undefined } }, { $push: { log: undefined } }, { $addToSet: { tags: undefined } }]) {
      await expect(docs.updateOne({ _id: 'x' }, update), Object.keys(update)[0]).rejects.toMatchObject({ code: 'INVALID_OPERATION' });
    }
    expect(await docs.findOne({ _id: 'x' })).toEqual({ _id: 'x', n: 1 });
  });

  it('refuses an update naming one path twice, or a path and a field inside it, as MongoDB does', async () => {
    const docs = store.freshCollection<Loose>();
    await docs.insertOne({ _id: 'x', n: 1, meta: { a: 1 } });
    for (const update of [
      { $set: { n: 5 }, $inc: { n: 1 } },
      { $set: { meta: { b: 2 } }, $unset: { 'meta.a': '' } },
      { $set: { 'meta.a': 3 }, $inc: { 'meta.a.deep': 1 } },
      { $set: { status: 'open' }, $setOnInsert: { status: 'new' } },
    ]) {
      await expect(docs.updateOne({ _id: 'x' }, update, { upsert: true }), JSON.stringify(update)).rejects.toMatchObject({ code: 'INVALID_OPERATION' });
    }
    // Siblings that only share a prefix of their name do not overlap.
    await docs.updateOne({ _id: 'x' }, { $set: { 'meta.a': 2 }, $inc: { 'meta.ab': 1 } });
    expect(await docs.findOne({ _id: 'x' })).toEqual({ _id: 'x', n: 1, meta: { a: 2, ab: 1 } });
  });

  it('refuses RegExp flags other than "i" and "m" (the driver sends "g" as "s" and drops "s", "u" and "y")', async () => {
    const docs = store.freshCollection<Loose>();
    await docs.insertMany([{ _id: 'a', name: 'Ann\nLee' }, { _id: 'b', name: 'bob' }]);
    for (const pattern of [/ann/g, /ann.lee/s, /\p{L}/u, /ann/y]) {
      await expect(docs.find({ name: { $regex: pattern } }), String(pattern)).rejects.toMatchObject({ code: 'INVALID_OPERATION' });
      await expect(docs.find({ name: pattern }), String(pattern)).rejects.toMatchObject({ code: 'INVALID_OPERATION' });
    }
    expect((await docs.find({ name: { $regex: /^lee$/im } })).map((doc) => doc._id)).toEqual(['a']);
  });

  it('lets every one of many concurrent upserts on one filter succeed, leaving one document that counts them all', async () => {
    const docs = store.freshCollection<Loose>();
    // The filter holds more than the unique key, so MongoDB would not retry a lost insert race by itself.
    await Promise.all(Array.from({ length: 20 }, () => docs.updateOne({ _id: 'counter', kind: 'hits' }, { $inc: { n: 1 } }, { upsert: true })));
    await Promise.all(Array.from({ length: 20 }, () => docs.findOneAndUpdate({ _id: 'other', kind: 'hits' }, { $inc: { n: 1 } }, { upsert: true })));
    expect(await docs.find({}, { sort: { _id: 1 } })).toEqual([
      { _id: 'counter', kind: 'hits', n: 20 },
      { _id: 'other', kind: 'hits', n: 20 },
    ]);
  });

  it('creates an upserted document with the _id its filter names inside $and', async () => {
    const docs = store.freshCollection<Loose>();
    const result = await docs.updateOne({ $and: [{ _id: 'k' }, { kind: 'a' }] }, { $set: { n: 1 } }, { upsert: true });
    expect(result.upsertedId).toBe('k');
    expect(await docs.findOne({ _id: 'k' })).toEqual({ _id: 'k', kind: 'a', n: 1 });
  });

  it('accepts an index whose options changed since it was created (an upgrade), and keeps answering queries', async () => {
    const docs = store.freshCollection<Loose>();
    await docs.insertMany([{ _id: 'a', ticketRef: 'T-1' }, { _id: 'b' }]);
    await docs.createIndex({ fields: { ticketRef: 1 } });
    await expect(docs.createIndex({ fields: { ticketRef: 1 }, sparse: true })).resolves.toBeUndefined();
    await expect(docs.createIndex({ fields: { ticketRef: 1 }, sparse: true })).resolves.toBeUndefined();
    expect((await docs.find({ ticketRef: 'T-1' })).map((doc) => doc._id)).toEqual(['a']);
  });

  it('reads limit 0 as "no limit", and an empty $in as matching nothing', async () => {
    const docs = store.freshCollection<Loose>();
    await docs.insertMany([{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }]);
    expect(await docs.find({}, { limit: 0, sort: { _id: 1 } })).toHaveLength(3);
    expect(await docs.find({ _id: { $in: [] } })).toEqual([]);
    expect(await docs.countDocuments({ _id: { $nin: [] } })).toBe(3);
  });
}
