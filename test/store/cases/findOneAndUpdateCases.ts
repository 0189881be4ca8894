import { beforeEach, expect, it } from 'vitest';
import { DuplicateKeyError, type Collection, type Document } from '../../../services/store/types';
import type { StoreUnderTest } from '../contractCases';
import { day } from './findCases';

interface Job extends Document {
  status: string;
  priority: number;
  leasedUntil?: Date;
  owner?: string;
  createdAt?: Date;
}

export function findOneAndUpdateCases(store: StoreUnderTest): void {
  let jobs: Collection<Job>;
  beforeEach(async () => {
    jobs = store.freshCollection<Job>();
    await jobs.insertMany([
      { _id: 'low', status: 'queued', priority: 1 },
      { _id: 'high', status: 'queued', priority: 9 },
      { _id: 'done', status: 'done', priority: 5 },
    ]);
  });

  it('returns the document after the update by default', async () => {
    const after = await jobs.findOneAndUpdate({ _id: 'low' }, { $set: { status: 'running' } });
    expect(after).toEqual({ _id: 'low', status: 'running', priority: 1 });
  });

  it('returns the document before the update when asked', async () => {
    const before = await jobs.findOneAndUpdate({ _id: 'low' }, { $set: { status: 'running' } }, { returnDocument: 'before' });
    expect(before).toEqual({ _id: 'low', status: 'queued', priority: 1 });
    expect(await jobs.findOne({ _id: 'low' })).toMatchObject({ status: 'running' });
  });

  it('updates the first match in sort order', async () => {
    const claimed = await jobs.findOneAndUpdate({ status: 'queued' }, { $set: { status: 'running' } }, { sort: { priority: -1 } });
    expect(claimed?._id).toBe('high');
    const next = await jobs.findOneAndUpdate({ status: 'queued' }, { $set: { status: 'running' } }, { sort: { priority: -1 } });
    expect(next?._id).toBe('low');
  });

  it('returns null and writes nothing when nothing matches', async () => {
    expect(await jobs.findOneAndUpdate({ status: 'missing' }, { $set: { status: 'running' } })).toBeNull();
    expect(await jobs.countDocuments({ status: 'running' })).toBe(0);
  });

  it('inserts on upsert and returns the new document, or null when asked for the one before', async () => {
    const created = await jobs.findOneAndUpdate(
      { _id: 'fresh', status: 'queued' },
      { $set: { priority: 3 }, $setOnInsert: { createdAt: day(1) } },
      { upsert: true },
    );
    expect(created).toEqual({ _id: 'fresh', status: 'queued', priority: 3, createdAt: day(1) });
    const before = await jobs.findOneAndUpdate({ _id: 'other' }, { $set: { status: 'queued', priority: 0 } }, { upsert: true, returnDocument: 'before' });
    expect(before).toBeNull();
    expect(await jobs.findOne({ _id: 'other' })).toEqual({ _id: 'other', status: 'queued', priority: 0 });
  });

  it('keeps an existing document free of $setOnInsert fields on upsert', async () => {
    const after = await jobs.findOneAndUpdate({ _id: 'low' }, { $set: { priority: 2 }, $setOnInsert: { createdAt: day(1) } }, { upsert: true });
    expect(after).toEqual({ _id: 'low', status: 'queued', priority: 2 });
  });

  it('reports a duplicate key when an upsert filter excludes an existing _id', async () => {
    const attempt = jobs.findOneAndUpdate({ _id: 'done', status: 'queued' }, { $set: { priority: 1 } }, { upsert: true });
    await expect(attempt).rejects.toBeInstanceOf(DuplicateKeyError);
  });

  it('lets exactly one of 50 concurrent claims on one lease win', async () => {
    const now = new Date();
    const later = new Date(now.getTime() + 60_000);
    await jobs.insertOne({ _id: 'lease', status: 'idle', priority: 0, leasedUntil: new Date(now.getTime() - 1_000) });
    const claims = await Promise.all(
      Array.from({ length: 50 }, (_, worker) =>
        jobs.findOneAndUpdate({ _id: 'lease', leasedUntil: { $lt: now } }, { $set: { leasedUntil: later, owner: `worker-${worker}` } }),
      ),
    );
    const winners = claims.filter((claim) => claim !== null);
    expect(winners).toHaveLength(1);
    expect(await jobs.findOne({ _id: 'lease' })).toMatchObject({ owner: winners[0]?.owner, leasedUntil: later });
  });

  it('hands each queued job to exactly one of many concurrent workers', async () => {
    await jobs.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: `job-${i}`, status: 'ready', priority: i })));
    const claims = await Promise.all(
      Array.from({ length: 25 }, (_, worker) =>
        jobs.findOneAndUpdate({ status: 'ready' }, { $set: { status: 'taken', owner: `worker-${worker}` } }, { sort: { priority: 1 } }),
      ),
    );
    const claimedIds = claims.filter((claim) => claim !== null).map((claim) => claim._id);
    expect(claimedIds).toHaveLength(10);
    expect(new Set(claimedIds).size).toBe(10);
    expect(await jobs.countDocuments({ status: 'ready' })).toBe(0);
  });
}
