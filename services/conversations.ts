/**
 * Where each customer conversation can be reached, and the port to write into it later.
 * The directory is touched on inbound messages, so channel windows (Messenger's 24 h) are measured
 * from the customer's last message: to the minute, and never later than it really was.
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

/**
 * A conversation touched this recently with the same details is not written again: in a lively chat that
 * saves a write per message, and the stored time is at most this much earlier than the real one, so a
 * window computed from it closes early, never late.
 */
export const TOUCH_EVERY_MS = 60_000;
/** Conversations whose last write is remembered; beyond this the oldest is forgotten (and simply written again). */
const REMEMBERED_TOUCHES = 10_000;

export class ConversationDirectory {
  /** Per conversation, when this process last wrote it and with which details. */
  private readonly lastTouch = new Map<string, { at: number; details: string }>();

  constructor(private readonly entries: Collection<ConversationEntry>) {}

  static indexes(entries: Collection<ConversationEntry>): Promise<void>[] {
    return [entries.createIndex({ fields: { ticketRef: 1 }, sparse: true }), entries.createIndex({ fields: { userId: 1 } })];
  }

  async touch(record: ConversationRecord, at: Date): Promise<void> {
    const key = conversationKey(record.channelId, record.conversationId);
    const { lastCustomerMessageAt: _changesEveryTime, ...rest } = record;
    const details = JSON.stringify(rest);
    const last = this.lastTouch.get(key);
    if (last && last.details === details && at.getTime() - last.at < TOUCH_EVERY_MS) return;
    await this.entries.updateOne({ _id: key }, { $set: { ...record, updatedAt: at } }, { upsert: true });
    this.lastTouch.delete(key);
    this.lastTouch.set(key, { at: at.getTime(), details });
    if (this.lastTouch.size > REMEMBERED_TOUCHES) this.lastTouch.delete(this.lastTouch.keys().next().value!);
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
  /** Meta's HUMAN_AGENT tag: a person's own reply after Messenger's/Instagram's 24 hours, up to 7 days. */
  tag?: 'HUMAN_AGENT';
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
