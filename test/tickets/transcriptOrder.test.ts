import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/clock';
import { openDatabase } from '../../services/store/openDatabase';
import type { Collection, Database } from '../../services/store/types';
import { Transcripts } from '../../services/tickets/transcript';
import { LineSequence } from '../../services/tickets/transcriptOrder';
import { BOT_ACTOR, type TranscriptEntry } from '../../services/tickets/types';
import { tempDataDir } from '../support/testApp';

const customer = { kind: 'customer', id: 'fb-1' } as const;
/** One turn and a burst of follow-ups, all in the same millisecond of a clock that does not move. */
const WRITTEN = ['Did my refund go through?', 'Let me check that for you.', 'Yes, it was sent on Monday.', 'Anything else?', 'yes', 'Where is my parcel?'];

let db: Database;
let docs: Collection<TranscriptEntry>;
let transcripts: Transcripts;
const clock = new ManualClock('2026-03-02T10:00:00.000Z');

let held: Array<() => Promise<void>> = [];

/**
 * NeDB returns ties in the order documents were stored, which would hide a missing tie-breaker; MongoDB
 * promises no order for ties. So the lines are stored in the reverse of the order they were written.
 */
function storingBackwards(collection: Collection<TranscriptEntry>): Collection<TranscriptEntry> {
  return new Proxy(collection, {
    get(target, property, receiver) {
      if (property !== 'insertOne') return Reflect.get(target, property, receiver);
      return (doc: TranscriptEntry) => new Promise((resolve, reject) => held.push(() => target.insertOne(doc).then(resolve, reject)));
    },
  });
}

beforeEach(async () => {
  db = await openDatabase({ dataDir: tempDataDir('transcript-order-') });
  docs = db.collection<TranscriptEntry>('transcripts');
  await Promise.all(Transcripts.indexes(docs));
  held = [];
  transcripts = new Transcripts(storingBackwards(docs), clock);
});
afterEach(() => db.close());

/** A turn and a burst of follow-ups, recorded one after another, stored last first. */
async function writeTurns(): Promise<void> {
  const writing = WRITTEN.map((text, i) => {
    const inbound = i === 0 || text === 'yes' || text.startsWith('Where');
    return transcripts.record({ conversationId: 'c1', channelId: 'facebook', ticketRef: 'T-1', direction: inbound ? 'in' : 'out', actor: inbound ? customer : BOT_ACTOR, text });
  });
  for (const store of held.reverse()) await store();
  await Promise.all(writing);
}

const texts = (lines: TranscriptEntry[]) => lines.map((line) => line.text);

describe('transcript order', () => {
  it('lines written in the same millisecond read back in the order they were written, by conversation and by ticket', async () => {
    await writeTurns();
    expect(new Set((await docs.find({})).map((line) => line.at.getTime())).size).toBe(1);
    expect(texts(await transcripts.forConversation('c1'))).toEqual(WRITTEN);
    expect(texts(await transcripts.forTicket('T-1'))).toEqual(WRITTEN);
  });

  it('when a conversation is longer than the limit, the newest lines come back oldest first, in written order', async () => {
    await writeTurns();
    expect(texts(await transcripts.forConversation('c1', 4))).toEqual(WRITTEN.slice(-4));
    expect(texts(await transcripts.forConversation('c1', 1))).toEqual(['Where is my parcel?']);
    expect(texts(await transcripts.forTicket('T-1', 3))).toEqual(WRITTEN.slice(0, 3));
  });

  it('lines from before the sequence existed read by time, before the new lines of their millisecond', async () => {
    const at = clock.now();
    await docs.insertMany([
      { _id: 'old-earlier', conversationId: 'c1', channelId: 'facebook', ticketRef: 'T-1', direction: 'in', actor: customer, text: 'old, a second before', at: new Date(at.getTime() - 1000) },
      { _id: 'old-same-ms', conversationId: 'c1', channelId: 'facebook', ticketRef: 'T-1', direction: 'in', actor: customer, text: 'old, same millisecond', at },
    ]);
    await writeTurns();
    await docs.insertOne({ _id: 'old-later', conversationId: 'c1', channelId: 'facebook', ticketRef: 'T-1', direction: 'out', actor: BOT_ACTOR, text: 'old, a second after', at: new Date(at.getTime() + 1000) });
    const expected = ['old, a second before', 'old, same millisecond', ...WRITTEN, 'old, a second after'];
    expect(texts(await transcripts.forConversation('c1'))).toEqual(expected);
    expect(texts(await transcripts.forTicket('T-1'))).toEqual(expected);
    expect(texts(await transcripts.forConversation('c1', 3))).toEqual(expected.slice(-3));
  });

  it('the sequence never repeats or goes back, even when the clock does, and follows time when it moves on', () => {
    const now = new Date('2026-03-02T10:00:00.000Z');
    const sequence = new LineSequence();
    const first = sequence.next(now);
    const again = sequence.next(now);
    const backwards = sequence.next(new Date(now.getTime() - 60_000));
    const invalid = sequence.next(new Date(Number.NaN));
    expect(again).toBeGreaterThan(first);
    expect(backwards).toBeGreaterThan(again);
    expect(invalid).toBeGreaterThan(backwards);
    // A line of a later millisecond on another instance (which has written little) sorts after these: seq carries time.
    expect(new Date(now.getTime() + 1).getTime() * 1000).toBeGreaterThan(invalid);
  });
});
