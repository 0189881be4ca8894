import { beforeEach, expect, it } from 'vitest';
import type { Collection, Document, Filter } from '../../../services/store/types';
import type { StoreUnderTest } from '../contractCases';

interface Ticket extends Document {
  n: number;
  at: Date;
  status: string;
  customer: { userId: string; name: string };
  tags?: string[];
  note?: string | null;
  ticketRef?: string;
}

export const day = (n: number): Date => new Date(Date.UTC(2024, 0, n, 12, 0, 0));

const SEED: Ticket[] = [
  { _id: 'a', n: 1, at: day(1), status: 'open', customer: { userId: 'u1', name: 'Ann' }, tags: ['red', 'blue'] },
  { _id: 'b', n: 2, at: day(2), status: 'closed', customer: { userId: 'u2', name: 'Bob' }, tags: ['green'], note: null },
  { _id: 'c', n: 3, at: day(3), status: 'open', customer: { userId: 'u1', name: 'Cid' }, ticketRef: 'T-1' },
  { _id: 'd', n: 4, at: day(4), status: 'waiting', customer: { userId: 'u3', name: 'dora' }, tags: [], note: 'call back' },
];

export function findCases(store: StoreUnderTest): void {
  let tickets: Collection<Ticket>;
  beforeEach(async () => {
    tickets = store.freshCollection<Ticket>();
    await tickets.insertMany(SEED);
  });

  const idsOf = async (filter: Filter): Promise<string[]> =>
    (await tickets.find(filter, { sort: { _id: 1 } })).map((ticket) => ticket._id);

  it('sorts, skips and limits', async () => {
    const page = await tickets.find({}, { sort: { n: -1 }, skip: 1, limit: 2 });
    expect(page.map((ticket) => ticket._id)).toEqual(['c', 'b']);
  });

  it('sorts on a nested field and on several keys', async () => {
    expect((await tickets.find({}, { sort: { 'customer.name': 1 } })).map((t) => t._id)).toEqual(['a', 'b', 'c', 'd']);
    expect((await tickets.find({}, { sort: { status: 1, n: -1 } })).map((t) => t._id)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('sorts a document missing a tie-breaking key first among its ties, and a fully reversed sort reads exactly backwards', async () => {
    // Transcript lines rely on this: lines written before `seq` existed lack it (services/tickets/transcriptOrder.ts).
    const lines = store.freshCollection<Document & { at: Date; seq?: number }>();
    await lines.insertMany([
      { _id: 'new-2', at: day(5), seq: 20 },
      { _id: 'old-b', at: day(5) },
      { _id: 'new-1', at: day(5), seq: 10 },
      { _id: 'later', at: day(6), seq: 1 },
      { _id: 'old-a', at: day(5) },
      { _id: 'earlier', at: day(4), seq: 99 },
    ]);
    const order = ['earlier', 'old-a', 'old-b', 'new-1', 'new-2', 'later'];
    expect((await lines.find({}, { sort: { at: 1, seq: 1, _id: 1 } })).map((line) => line._id)).toEqual(order);
    expect((await lines.find({}, { sort: { at: -1, seq: -1, _id: -1 }, limit: 4 })).map((line) => line._id)).toEqual(order.slice(-4).reverse());
  });

  it('matches plain equality on top-level, nested and Date fields', async () => {
    expect(await idsOf({ status: 'open' })).toEqual(['a', 'c']);
    expect(await idsOf({ 'customer.userId': 'u1' })).toEqual(['a', 'c']);
    expect(await idsOf({ at: day(2) })).toEqual(['b']);
  });

  it('matches an array field when any element equals the value', async () => {
    expect(await idsOf({ tags: 'blue' })).toEqual(['a']);
    expect(await idsOf({ tags: { $in: ['green', 'red'] } })).toEqual(['a', 'b']);
  });

  it('matches $in on scalars and Dates', async () => {
    expect(await idsOf({ status: { $in: ['open', 'waiting'] } })).toEqual(['a', 'c', 'd']);
    expect(await idsOf({ at: { $in: [day(1), day(3)] } })).toEqual(['a', 'c']);
  });

  it('compares numbers and Dates with $lt, $lte, $gt and $gte', async () => {
    expect(await idsOf({ n: { $gt: 1, $lte: 3 } })).toEqual(['b', 'c']);
    expect(await idsOf({ n: { $gte: 3 } })).toEqual(['c', 'd']);
    expect(await idsOf({ at: { $gte: day(2), $lt: day(4) } })).toEqual(['b', 'c']);
    expect(await idsOf({ at: { $lt: day(2) } })).toEqual(['a']);
  });

  it('treats $ne and $nin on an array field as "no element equals", as MongoDB does', async () => {
    expect(await idsOf({ status: { $ne: 'open' } })).toEqual(['b', 'd']);
    expect(await idsOf({ tags: { $ne: 'red' } })).toEqual(['b', 'c', 'd']);
    expect(await idsOf({ status: { $nin: ['open'] } })).toEqual(['b', 'd']);
    expect(await idsOf({ tags: { $nin: ['red', 'green'] } })).toEqual(['c', 'd']);
  });

  it('lets null stand for "null or missing", and $ne null for "present and not null"', async () => {
    expect(await idsOf({ note: null })).toEqual(['a', 'b', 'c']);
    expect(await idsOf({ note: { $ne: null } })).toEqual(['d']);
    expect(await idsOf({ note: { $in: [null, 'call back'] } })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('tells present fields from missing ones with $exists', async () => {
    expect(await idsOf({ ticketRef: { $exists: true } })).toEqual(['c']);
    expect(await idsOf({ ticketRef: { $exists: false } })).toEqual(['a', 'b', 'd']);
    // A stored null counts as present.
    expect(await idsOf({ note: { $exists: true } })).toEqual(['b', 'd']);
  });

  it('combines conditions with $or and $and', async () => {
    expect(await idsOf({ $or: [{ status: 'closed' }, { 'customer.userId': 'u3' }] })).toEqual(['b', 'd']);
    expect(await idsOf({ $and: [{ n: { $gt: 1 } }, { n: { $lt: 4 } }] })).toEqual(['b', 'c']);
    expect(await idsOf({ status: 'open', $or: [{ n: 1 }, { n: 4 }] })).toEqual(['a']);
  });

  it('matches a RegExp given with $regex or as the value', async () => {
    expect(await idsOf({ 'customer.name': { $regex: /^c/i } })).toEqual(['c']);
    expect(await idsOf({ 'customer.name': /^[ab]/i })).toEqual(['a', 'b']);
  });

  it('counts documents matching a filter', async () => {
    expect(await tickets.countDocuments({})).toBe(4);
    expect(await tickets.countDocuments({ status: 'open' })).toBe(2);
    expect(await tickets.countDocuments({ status: 'nope' })).toBe(0);
  });

  it('returns null from findOne when nothing matches', async () => {
    expect(await tickets.findOne({ status: 'nope' })).toBeNull();
    expect(await tickets.findOne({ _id: 'c' })).toMatchObject({ _id: 'c', ticketRef: 'T-1' });
  });

  it('returns Dates as Date instances, also inside nested objects and arrays', async () => {
    const events = store.freshCollection<Document & { at: Date; meta: { due: Date }; history: Date[] }>();
    await events.insertOne({ _id: 'e', at: day(5), meta: { due: day(6) }, history: [day(7)] });
    const found = await events.findOne({ _id: 'e' });
    expect(found?.at).toBeInstanceOf(Date);
    expect(found?.meta.due).toBeInstanceOf(Date);
    expect(found?.history[0]).toBeInstanceOf(Date);
    expect(found).toEqual({ _id: 'e', at: day(5), meta: { due: day(6) }, history: [day(7)] });
  });

  it('refuses filter operators that not every engine runs', async () => {
    for (const filter of [
      { n: { $eq: 1 } },
      { n: { $not: { $gt: 1 } } },
      { $where: 'this.n > 1' },
      { 'customer.name': { $regex: '^c' } },
      { $or: [] },
    ]) {
      await expect(tickets.find(filter), JSON.stringify(filter)).rejects.toMatchObject({ code: 'INVALID_OPERATION' });
    }
  });
}
