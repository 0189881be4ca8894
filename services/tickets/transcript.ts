/** What was said in each conversation, both ways, for agents, audits and exports. */
import type { Collection } from '../store/types';
import type { Clock } from '../clock';
import type { Actor, TranscriptEntry } from './types';
import { LineSequence, TRANSCRIPT_ORDER, TRANSCRIPT_ORDER_NEWEST_FIRST } from './transcriptOrder';

/** Longest message text kept; a 10,000-character paste is kept whole, a megabyte is not. */
const MAX_TEXT = 20_000;

export class Transcripts {
  private readonly sequence = new LineSequence();

  constructor(
    private readonly entries: Collection<TranscriptEntry>,
    private readonly clock: Clock,
  ) {}

  static indexes(entries: Collection<TranscriptEntry>): Promise<void>[] {
    return [
      // MongoDB: the readers' filter then their whole sort, so no read sorts in memory.
      entries.createIndex({ fields: { conversationId: 1, at: 1, seq: 1, _id: 1 } }),
      entries.createIndex({ fields: { ticketRef: 1, at: 1, seq: 1, _id: 1 } }),
      // The embedded engine uses a compound index only when every one of its fields is in the filter.
      entries.createIndex({ fields: { conversationId: 1 } }),
      entries.createIndex({ fields: { ticketRef: 1 }, sparse: true }),
    ];
  }

  async record(entry: Omit<TranscriptEntry, '_id' | 'at' | 'seq'> & { at?: Date }): Promise<void> {
    const at = entry.at ?? this.clock.now();
    // Taken when called, before any await: lines keep the order their writers asked for.
    await this.entries.insertOne({ ...entry, text: entry.text.slice(0, MAX_TEXT), at, seq: this.sequence.next(at) });
  }

  /** Ties earlier lines of a conversation to the ticket they led to. */
  async linkConversation(conversationId: string, ticketRef: string): Promise<void> {
    await this.entries.updateMany({ conversationId, ticketRef: { $exists: false } }, { $set: { ticketRef } });
  }

  /** Frees a customer's line from the ticket it was filed under, so the next ticket to open takes it (it began a new report). */
  async unlinkLine(conversationId: string, activityId: string): Promise<void> {
    await this.entries.updateOne({ conversationId, activityId, direction: 'in' }, { $unset: { ticketRef: '' } });
  }

  /** The latest `limit` lines, oldest first: a Messenger thread lasts for years, and the newest words are the ones needed. */
  async forConversation(conversationId: string, limit = 500): Promise<TranscriptEntry[]> {
    // The order is total, so the newest `limit` read backwards and turned round are exactly the last page.
    return (await this.entries.find({ conversationId }, { sort: TRANSCRIPT_ORDER_NEWEST_FIRST, limit })).reverse();
  }

  forTicket(ticketRef: string, limit = 2000): Promise<TranscriptEntry[]> {
    return this.entries.find({ ticketRef }, { sort: TRANSCRIPT_ORDER, limit });
  }
}

export function actorOfCustomer(userId: string, name?: string): Actor {
  return { kind: 'customer', id: userId, ...(name && { name }) };
}
