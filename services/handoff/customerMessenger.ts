/**
 * Agent and handoff messages to the customer: through the ConversationSender (the adapter that owns the
 * channel), recorded in the transcript under who said it, and at most once per idempotency key, so a
 * retried request (double click, network retry) never messages the customer twice.
 */
import type { Clock } from '../clock';
import { ChannelSendError, type ConversationDirectory, type ConversationSender } from '../conversations';
import { DomainError } from '../errors';
import type { Logger } from '../log';
import type { Collection, Document } from '../store/types';
import { isDuplicateKey } from '../store/types';
import type { Transcripts } from '../tickets/transcript';
import type { Actor, ConversationRecord, Ticket } from '../tickets/types';
import { dmWindow } from '../followUps/windows';

interface OutboxEntry extends Document {
  state: 'sending' | 'sent' | 'failed';
  ticketRef: string;
  at: Date;
}

const RETRY_DELAYS_MS = [250, 1000];

export class CustomerMessenger {
  constructor(
    private readonly deps: {
      sender: ConversationSender;
      directory: ConversationDirectory;
      transcripts: Transcripts;
      outbox: Collection<OutboxEntry>;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** Sends once per key; returns false when this key was already sent. Throws CHANNEL_UNREACHABLE when it cannot be delivered. */
  async send(ticket: Ticket, text: string, idempotencyKey: string, from: Actor): Promise<boolean> {
    const conversation = await this.conversationOf(ticket);
    // Messenger and Instagram take a person's reply for 7 days after the customer's last message (tagged), the bot's for 24 hours.
    const window = dmWindow({ channelId: conversation.channelId, lastCustomerMessageAt: conversation.lastCustomerMessageAt, now: this.deps.clock.now(), author: from.kind === 'agent' ? 'human' : 'automated' });
    if (!window.open) throw new DomainError('CHANNEL_WINDOW_CLOSED', `${window.reason}. Reach the customer by e-mail or phone if they gave them.`);
    if (!(await this.reserve(idempotencyKey, ticket.ref))) return false;
    try {
      await this.deliver(conversation, text, idempotencyKey, from, window.tag);
    } catch (error) {
      await this.deps.outbox.updateOne({ _id: idempotencyKey }, { $set: { state: 'failed' } });
      throw new DomainError('CHANNEL_UNREACHABLE', `Could not reach the customer of ${ticket.ref}`, { cause: error });
    }
    await this.deps.outbox.updateOne({ _id: idempotencyKey }, { $set: { state: 'sent' } });
    await this.deps.transcripts.record({
      conversationId: conversation.conversationId,
      channelId: conversation.channelId,
      ticketRef: ticket.ref,
      direction: 'out',
      actor: from,
      text,
    });
    return true;
  }

  /** Best effort: a message the customer should get but whose failure must not undo the action (hand-back notices). */
  async tell(ticket: Ticket, text: string, idempotencyKey: string, from: Actor): Promise<void> {
    try {
      await this.send(ticket, text, idempotencyKey, from);
    } catch (error) {
      this.deps.logger.warn({ err: error, ref: ticket.ref }, 'could not tell the customer');
    }
  }

  async typing(ticket: Ticket): Promise<void> {
    const conversation = await this.conversationOf(ticket).catch(() => undefined);
    if (conversation) await this.deps.sender.typing?.(conversation);
  }

  private async conversationOf(ticket: Ticket): Promise<ConversationRecord> {
    const stored = ticket.conversation;
    if (!stored) throw new DomainError('CHANNEL_UNREACHABLE', `Ticket ${ticket.ref} has no conversation to write into`);
    // The directory is refreshed on every inbound message, so its serviceUrl is the freshest.
    return (await this.deps.directory.get(stored.channelId, stored.conversationId)) ?? stored;
  }

  private async reserve(key: string, ticketRef: string): Promise<boolean> {
    try {
      await this.deps.outbox.insertOne({ _id: key, state: 'sending', ticketRef, at: this.deps.clock.now() });
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // A failed earlier attempt may be retried; a sent or in-flight one may not.
      const retried = await this.deps.outbox.findOneAndUpdate({ _id: key, state: 'failed' }, { $set: { state: 'sending' } });
      return retried !== null;
    }
  }

  private async deliver(conversation: ConversationRecord, text: string, idempotencyKey: string, from: Actor, tag?: 'HUMAN_AGENT'): Promise<void> {
    const speaker = from.kind === 'agent' ? { kind: 'agent' as const, id: from.id, ...(from.name && { name: from.name }) } : { kind: 'bot' as const, id: from.id };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.sender.send(conversation, { text, idempotencyKey, from: speaker, ...(tag && { tag }) });
        return;
      } catch (error) {
        const transient = error instanceof ChannelSendError && error.kind === 'transient';
        if (!transient || attempt >= RETRY_DELAYS_MS.length) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      }
    }
  }
}
