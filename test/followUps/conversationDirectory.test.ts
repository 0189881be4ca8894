import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationDirectory, type ConversationEntry, TOUCH_EVERY_MS } from '../../services/conversations';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Collection, Database } from '../../services/store/types';
import type { ConversationRecord } from '../../services/tickets/types';

describe('the conversation directory, touched on every customer message', () => {
  let db: Database;
  let entries: Collection<ConversationEntry>;
  let directory: ConversationDirectory;
  const start = new Date('2026-03-02T10:00:00Z');
  const later = (ms: number) => new Date(start.getTime() + ms);
  const record = (at: Date, fields: Partial<ConversationRecord> = {}): ConversationRecord => ({
    channelId: 'facebook',
    serviceUrl: 'https://facebook.botframework.com/',
    conversationId: 'c1',
    userId: 'u1',
    botId: 'b1',
    lastCustomerMessageAt: at,
    ...fields,
  });
  const stored = async () => (await directory.get('facebook', 'c1'))!.lastCustomerMessageAt;

  beforeEach(async () => {
    db = await openNedbDatabase(':memory:');
    entries = db.collection<ConversationEntry>('conversations');
    directory = new ConversationDirectory(entries);
  });
  afterEach(() => db.close());

  it('stores the last message time at most a minute early, so a channel window never looks open when it is not', async () => {
    await directory.touch(record(start), start);
    const soon = later(TOUCH_EVERY_MS - 1);
    await directory.touch(record(soon), soon);
    // Not written again: the stored time is earlier than the real one by less than a minute.
    expect(await stored()).toEqual(start);
    const afterAMinute = later(TOUCH_EVERY_MS);
    await directory.touch(record(afterAMinute), afterAMinute);
    expect(await stored()).toEqual(afterAMinute);
  });

  it('writes at once when where the conversation is reached changes', async () => {
    await directory.touch(record(start), start);
    const soon = later(1000);
    await directory.touch(record(soon, { serviceUrl: 'https://new.example/' }), soon);
    expect(await directory.get('facebook', 'c1')).toMatchObject({ serviceUrl: 'https://new.example/', lastCustomerMessageAt: soon });
  });

  it('writes again when the entry is new to this process, e.g. after a restart', async () => {
    await directory.touch(record(start), start);
    const restarted = new ConversationDirectory(entries);
    const soon = later(1000);
    await restarted.touch(record(soon), soon);
    expect(await stored()).toEqual(soon);
  });
});
