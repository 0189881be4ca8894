import { beforeEach, expect, it } from 'vitest';
import type { Collection, Document } from '../../../services/store/types';
import type { StoreUnderTest } from '../contractCases';
import { day } from './findCases';

type Loose = Document & Record<string, unknown>;

export function updateCases(store: StoreUnderTest): void {
  let docs: Collection<Loose>;
  beforeEach(async () => {
    docs = store.freshCollection<Loose>();
    await docs.insertOne({ _id: 'x', n: 5, at: day(10), tags: ['a'], meta: { owner: 'ann', stale: true }, status: 'open' });
  });

  const stored = async (): Promise<Loose | null> => docs.findOne({ _id: 'x' });

  it('applies $set on top-level and dotted paths, and $unset', async () => {
    await docs.updateOne({ _id: 'x' }, { $set: { status: 'closed', 'meta.owner': 'bob', 'meta.deep.level': 2 }, $unset: { 'meta.stale': '' } });
    expect(await stored()).toMatchObject({ status: 'closed', meta: { owner: 'bob', deep: { level: 2 } } });
    expect((await stored())?.meta).not.toHaveProperty('stale');
  });

  it('increments with $inc, creating a missing counter', async () => {
    await docs.updateOne({ _id: 'x' }, { $inc: { n: 2, retries: 1 } });
    expect(await stored()).toMatchObject({ n: 7, retries: 1 });
  });

  it('appends with $push, one value or several with $each, and creates the array when missing', async () => {
    await docs.updateOne({ _id: 'x' }, { $push: { tags: 'b', log: 'created' } });
    await docs.updateOne({ _id: 'x' }, { $push: { tags: { $each: ['c', 'a'] } } });
    expect(await stored()).toMatchObject({ tags: ['a', 'b', 'c', 'a'], log: ['created'] });
  });

  it('adds only missing values with $addToSet, alone or with $each', async () => {
    await docs.updateOne({ _id: 'x' }, { $addToSet: { tags: 'a' } });
    await docs.updateOne({ _id: 'x' }, { $addToSet: { tags: { $each: ['a', 'b', 'b'] } } });
    expect((await stored())?.tags).toEqual(['a', 'b']);
  });

  it('keeps the smaller or larger value with $min and $max, for numbers and Dates', async () => {
    await docs.updateOne({ _id: 'x' }, { $min: { n: 3, at: day(12) }, $max: { peak: 9 } });
    expect(await stored()).toMatchObject({ n: 3, at: day(10), peak: 9 });
    await docs.updateOne({ _id: 'x' }, { $max: { n: 4, at: day(12) } });
    const after = await stored();
    expect(after).toMatchObject({ n: 4, at: day(12) });
    expect(after?.at).toBeInstanceOf(Date);
  });

  it('reports matched and actually modified documents', async () => {
    expect(await docs.updateOne({ _id: 'x' }, { $set: { status: 'open' } })).toEqual({ matchedCount: 1, modifiedCount: 0 });
    expect(await docs.updateOne({ _id: 'x' }, { $set: { status: 'closed' } })).toEqual({ matchedCount: 1, modifiedCount: 1 });
    expect(await docs.updateOne({ _id: 'nope' }, { $set: { status: 'closed' } })).toEqual({ matchedCount: 0, modifiedCount: 0 });
    expect(await docs.countDocuments({})).toBe(1);
  });

  it('updates every match with updateMany and counts only real changes', async () => {
    await docs.insertMany([{ _id: 'y', status: 'open' }, { _id: 'z', status: 'closed' }]);
    expect(await docs.updateMany({ status: 'open' }, { $set: { flagged: true } })).toEqual({ matchedCount: 2, modifiedCount: 2 });
    expect(await docs.updateMany({ status: 'open' }, { $set: { flagged: true } })).toEqual({ matchedCount: 2, modifiedCount: 0 });
    expect(await docs.countDocuments({ flagged: true })).toBe(2);
  });

  it('upserts a document built from the filter equalities, $setOnInsert and the other operators', async () => {
    const result = await docs.updateOne(
      { _id: 'new', 'customer.userId': 'u9', n: { $gt: 5 } },
      { $set: { status: 'open' }, $setOnInsert: { createdAt: day(1) }, $inc: { count: 1 }, $push: { history: 'created' } },
      { upsert: true },
    );
    expect(result).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'new' });
    expect(await docs.findOne({ _id: 'new' })).toEqual({
      _id: 'new',
      customer: { userId: 'u9' },
      status: 'open',
      createdAt: day(1),
      count: 1,
      history: ['created'],
    });
  });

  it('ignores $setOnInsert when the upsert finds an existing document', async () => {
    const result = await docs.updateOne(
      { _id: 'x' },
      // MongoDB refuses one path in both $set and $setOnInsert, so they name different fields.
      { $set: { status: 'closed' }, $setOnInsert: { origin: 'upsert', createdAt: day(1) } },
      { upsert: true },
    );
    expect(result).toEqual({ matchedCount: 1, modifiedCount: 1 });
    const after = await stored();
    expect(after).toMatchObject({ status: 'closed', n: 5 });
    expect(after).not.toHaveProperty('createdAt');
    expect(after).not.toHaveProperty('origin');
  });

  it('leaves a matched document untouched when the update only has $setOnInsert', async () => {
    const before = await stored();
    expect(await docs.updateOne({ _id: 'x' }, { $setOnInsert: { createdAt: day(1) } }, { upsert: true })).toEqual({
      matchedCount: 1,
      modifiedCount: 0,
    });
    expect(await stored()).toEqual(before);
  });

  it('gives an upserted document a string id when the filter names none', async () => {
    const result = await docs.updateOne({ externalId: 'e-1' }, { $set: { status: 'new' } }, { upsert: true });
    expect(typeof result.upsertedId).toBe('string');
    expect(await docs.findOne({ externalId: 'e-1' })).toMatchObject({ _id: result.upsertedId, status: 'new' });
  });

  it('refuses replacement documents, unknown operators and unstorable field names', async () => {
    for (const update of [
      { status: 'replaced' },
      {},
      { $rename: { status: 'state' } },
      { $set: { 'tags.$': 'b' } },
      { $set: { meta: { 'a.b': 1 } } },
      { $set: { meta: { $bad: 1 } } },
    ]) {
      await expect(docs.updateOne({ _id: 'x' }, update), JSON.stringify(update)).rejects.toMatchObject({ code: 'INVALID_OPERATION' });
    }
    expect(await stored()).toMatchObject({ status: 'open', n: 5 });
  });
}
