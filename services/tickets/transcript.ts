/** What was said in each conversation, both ways, for agents, audits and exports. */
import type { Collection } from '../store/types';
import type { Clock } from '../clock';
import type { Actor, TranscriptEntry } from './types';

/** Longest message text kept; a 10,000-character paste is kept whole, a megabyte is not. */
const MAX_TEXT = 20_000;

export class Transcripts {
  constructor(
    private readonly entries: Collection<TranscriptEntry>,
    private readonly clock: Clock,
  ) {}

  static indexes(entries: Collection<TranscriptEntry>): Promise<void>[] {
    return [
      entries.createIndex({ fields: { conversationId: 1, at: 1 } }),
      entries.createIndex({ fields: { ticketRef: 1, at: 1 } }),
      // The embedded engine uses a compound index only when every one of its fields is in the filter.
      entries.createIndex({ fields: { conversationId: 1 } }),
      entries.createIndex({ fields: { ticketRef: 1 }, sparse: true }),
    ];
  }

  async record(entry: Omit<TranscriptEntry, '_id' | 'at'> & { at?: Date }): Promise<void> {
    await this.entries.insertOne({ ...entry, text: entry.text.slice(0, MAX_TEXT), at: entry.at ?? this.clock.now() });
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
    // Skipping the oldest keeps lines of the same instant in the order they were written (a reversed sort would swap them).
    const total = await this.entries.countDocuments({ conversationId });
    return this.entries.find({ conversationId }, { sort: { at: 1 }, limit, skip: Math.max(0, total - limit) });
  }

  forTicket(ticketRef: string, limit = 2000): Promise<TranscriptEntry[]> {
    return this.entries.find({ ticketRef }, { sort: { at: 1 }, limit });
  }
}

export function actorOfCustomer(userId: string, name?: string): Actor {
  return { kind: 'customer', id: userId, ...(name && { name }) };
}
