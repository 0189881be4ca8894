/**
 * Where each customer conversation can be reached, and the port to write into it later.
 * The directory is touched on every inbound message, so channel windows (Messenger's 24 h) are
 * measured from the customer's real last message.
 */
import type { Collection, Document } from './store/types';
import type { ConversationRecord } from './tickets/types';

export interface ConversationEntry extends Document, ConversationRecord {
  ticketRef?: string;
  updatedAt: Date;
}

export function conversationKey(channelId: string, conversationId: string): string {
  return `${channelId}:${conversationId}`;
}

export class ConversationDirectory {
  constructor(private readonly entries: Collection<ConversationEntry>) {}

  static indexes(entries: Collection<ConversationEntry>): Promise<void>[] {
    return [entries.createIndex({ fields: { ticketRef: 1 }, sparse: true }), entries.createIndex({ fields: { userId: 1 } })];
  }

  async touch(record: ConversationRecord, at: Date): Promise<void> {
    await this.entries.updateOne(
      { _id: conversationKey(record.channelId, record.conversationId) },
      { $set: { ...record, updatedAt: at } },
      { upsert: true },
    );
  }

  async linkTicket(channelId: string, conversationId: string, ticketRef: string): Promise<void> {
    await this.entries.updateOne({ _id: conversationKey(channelId, conversationId) }, { $set: { ticketRef } });
  }

  get(channelId: string, conversationId: string): Promise<ConversationEntry | null> {
    return this.entries.findOne({ _id: conversationKey(channelId, conversationId) });
  }
}

export interface OutboundMessage {
  text: string;
  /** Same key, same message: a retry after a timeout must not message the customer twice. */
  idempotencyKey: string;
  /** Suggested replies shown as buttons where the channel supports them. */
  suggestions?: string[];
  /** Who is speaking, for the transcript. */
  from?: { kind: 'bot' | 'agent'; id: string; name?: string };
}

/** Writes into an existing conversation outside a turn (follow-ups, agent replies). */
export interface ConversationSender {
  send(conversation: ConversationRecord, message: OutboundMessage): Promise<{ activityId?: string }>;
  /** Shows "typing…" where the channel supports it; never throws. */
  typing?(conversation: ConversationRecord): Promise<void>;
}

/** Raised by senders: `gone` (403/404: blocked, deleted) moves follow-ups to e-mail/SMS; `transient` retries. */
export class ChannelSendError extends Error {
  constructor(
    readonly kind: 'gone' | 'transient' | 'rejected',
    readonly status: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChannelSendError';
  }
}
