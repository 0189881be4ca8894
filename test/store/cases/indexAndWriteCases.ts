import { expect, it } from 'vitest';
import { DuplicateKeyError, isDuplicateKey, type Document } from '../../../services/store/types';
import type { StoreUnderTest } from '../contractCases';
import { day } from './findCases';

interface Ticket extends Document {
  ref?: string;
  openedBy?: string;
  ticketRef?: string;
  seq?: number;
  at?: Date;
  status?: string;
}

export function indexAndWriteCases(store: StoreUnderTest): void {
  it('gives a document without _id a random string id and returns what it stored', async () => {
    const tickets = store.freshCollection<Ticket>();
    const stored = await tickets.insertOne({ ref: 'T-1', at: day(1) });
    expect(typeof stored._id).toBe('string');
    expect(stored._id.length).toBeGreaterThan(10);
    expect(stored).toEqual({ _id: stored._id, ref: 'T-1', at: day(1) });
    expect(await tickets.findOne({ _id: stored._id })).toEqual(stored);
  });

  it('refuses a second document with the same _id, keeping the cause', async () => {
    const tickets = store.freshCollection<Ticket>();
    await tickets.insertOne({ _id: 'same', ref: 'T-1' });
    const error = await tickets.insertOne({ _id: 'same', ref: 'T-2' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DuplicateKeyError);
    expect(isDuplicateKey(error)).toBe(true);
    expect((error as Error).cause).toBeDefined();
  });

  it('enforces a unique index on inserts and on updates', async () => {
    const tickets = store.freshCollection<Ticket>();
    await tickets.createIndex({ fields: { ref: 1 }, unique: true });
    await tickets.insertOne({ _id: 'one', ref: 'T-1' });
    await tickets.insertOne({ _id: 'two', ref: 'T-2' });
    await expect(tickets.insertOne({ ref: 'T-1' })).rejects.toBeInstanceOf(DuplicateKeyError);
    await expect(tickets.updateOne({ _id: 'two' }, { $set: { ref: 'T-1' } })).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await tickets.findOne({ _id: 'two' })).toMatchObject({ ref: 'T-2' });
  });

  it('lets a sparse unique index ignore documents without the field', async () => {
    const tickets = store.freshCollection<Ticket>();
    await tickets.createIndex({ fields: { openedBy: 1 }, unique: true, sparse: true });
    await tickets.insertMany([{ ref: 'no-opener-1' }, { ref: 'no-opener-2' }, { openedBy: 'activity-1' }]);
    await expect(tickets.insertOne({ openedBy: 'activity-1' })).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await tickets.countDocuments({})).toBe(3);
  });

  it('enforces a compound unique index on the combination only', async () => {
    const events = store.freshCollection<Ticket>();
    await events.createIndex({ fields: { ticketRef: 1, seq: 1 }, unique: true });
    await events.insertMany([
      { ticketRef: 'T-1', seq: 1 },
      { ticketRef: 'T-1', seq: 2 },
      { ticketRef: 'T-2', seq: 1 },
    ]);
    await expect(events.insertOne({ ticketRef: 'T-1', seq: 1 })).rejects.toBeInstanceOf(DuplicateKeyError);
  });

  it('accepts the same index twice', async () => {
    const tickets = store.freshCollection<Ticket>();
    await tickets.createIndex({ fields: { ref: 1 }, unique: true });
    await expect(tickets.createIndex({ fields: { ref: 1 }, unique: true })).resolves.toBeUndefined();
  });

  it('refuses a unique index over data that already holds duplicates', async () => {
    const tickets = store.freshCollection<Ticket>();
    await tickets.insertMany([{ ref: 'T-1' }, { ref: 'T-1' }]);
    await expect(tickets.createIndex({ fields: { ref: 1 }, unique: true })).rejects.toBeInstanceOf(DuplicateKeyError);
  });

  it('inserts many in order and stops at the first clash, keeping the ones before it', async () => {
    const tickets = store.freshCollection<Ticket>();
    const attempt = tickets.insertMany([{ _id: 'a' }, { _id: 'b' }, { _id: 'a' }, { _id: 'c' }]);
    await expect(attempt).rejects.toBeInstanceOf(DuplicateKeyError);
    expect((await tickets.find({}, { sort: { _id: 1 } })).map((ticket) => ticket._id)).toEqual(['a', 'b']);
    expect(await tickets.insertMany([])).toEqual([]);
  });

  it('refuses documents whose field names contain "." or start with "$"', async () => {
    const tickets = store.freshCollection<Document & Record<string, unknown>>();
    await expect(tickets.insertOne({ 'a.b': 1 })).rejects.toMatchObject({ code: 'INVALID_OPERATION' });
    await expect(tickets.insertOne({ nested: [{ $x: 1 }] })).rejects.toMatchObject({ code: 'INVALID_OPERATION' });
    await expect(tickets.insertMany([{ ok: 1 }, { 'bad.key': 1 }])).rejects.toMatchObject({ code: 'INVALID_OPERATION' });
    expect(await tickets.countDocuments({})).toBe(0);
  });

  it('deletes one match with deleteOne and all matches with deleteMany', async () => {
    const tickets = store.freshCollection<Ticket>();
    await tickets.insertMany([{ status: 'spam' }, { status: 'spam' }, { status: 'spam' }, { status: 'open' }]);
    expect(await tickets.deleteOne({ status: 'spam' })).toBe(1);
    expect(await tickets.countDocuments({ status: 'spam' })).toBe(2);
    expect(await tickets.deleteMany({ status: 'spam' })).toBe(2);
    expect(await tickets.deleteMany({ status: 'spam' })).toBe(0);
    expect(await tickets.deleteOne({ status: 'nope' })).toBe(0);
    expect(await tickets.countDocuments({})).toBe(1);
  });
}
