/**
 * Conversations waiting for a person, ordered by the SLA timer that runs out first, and the hold
 * record of each one an agent (or an external hub) has. One record per ticket (`_id` = ticket ref):
 * `findOneAndUpdate` on it is the claim, so two agents can never both hold a conversation.
 */
import type { Clock } from '../clock';
import type { Collection, Document } from '../store/types';
import { isDuplicateKey } from '../store/types';
import type { Role } from '../agents/accounts';
import { isActive } from '../tickets/lifecycle';
import type { AgentRef, Priority, SupportTier, Ticket, TicketStatus } from '../tickets/types';

export type HandoffState = 'waiting' | 'held' | 'external' | 'ended';
export const LIVE_STATES: HandoffState[] = ['waiting', 'held', 'external'];

export interface Holder extends AgentRef {
  role: Role;
}

export interface HandoffRecord extends Document {
  ticketRef: string;
  channelId?: string;
  conversationId?: string;
  state: HandoffState;
  reason: string;
  queuedAt: Date;
  /** The customer asked and is waiting in the chat: the bot steps back. False when the system queued it (priority, sentiment, SLA). */
  customerWaiting: boolean;
  holder?: Holder;
  heldSince?: Date;
  lastAgentActivityAt?: Date;
  /** When the customer was last told their place in line (so they are not told on every message). */
  lastToldPositionAt?: Date;
  external?: { state: string; at: Date; message?: string };
  /** Why the record ended; a hand-back lets the bot answer the customer's "thanks" briefly afterwards. */
  endedBy?: 'hand_back' | 'left_queue' | 'ticket_ended';
  /** A person (agent or hub) handed back and the customer has not written since: the bot's question from before the hold is dropped then. */
  botResumePending?: boolean;
  updatedAt: Date;
}

export interface QueueItem {
  ref: string;
  state: HandoffState;
  reason: string;
  queuedAt: Date;
  waitingMs: number;
  /** The SLA timer that matters now: first response until someone answered, then resolution. */
  due: { kind: 'first_response' | 'resolution'; at: Date; inMs: number };
  priority: Priority;
  tier: SupportTier;
  status: TicketStatus;
  customerName?: string;
  channelId: string;
  holder?: Holder;
  heldSince?: Date;
  escalatedAt?: Date;
}

export function slaDue(ticket: Ticket, now: Date): QueueItem['due'] {
  const kind = ticket.firstResponseAt ? 'resolution' : 'first_response';
  const at = kind === 'resolution' ? ticket.sla.resolutionDueAt : ticket.sla.firstResponseDueAt;
  return { kind, at, inMs: new Date(at).getTime() - now.getTime() };
}

export class HandoffQueue {
  constructor(
    readonly records: Collection<HandoffRecord>,
    /** Read-only view of tickets (one query per listing); every write goes through TicketService. */
    private readonly tickets: Collection<Ticket>,
    private readonly clock: Clock,
    private readonly minutesPerPlace: number,
  ) {}

  static indexes(records: Collection<HandoffRecord>): Promise<void>[] {
    return [records.createIndex({ fields: { state: 1 } }), records.createIndex({ fields: { conversationId: 1 } })];
  }

  /** Puts the ticket's conversation in line; a conversation already waiting or held keeps its place. */
  async enqueue(ticket: Ticket, reason: string, options: { customerWaiting?: boolean } = {}): Promise<HandoffRecord> {
    const now = this.clock.now();
    const customerWaiting = options.customerWaiting ?? true;
    const fresh = {
      ticketRef: ticket.ref,
      ...(ticket.conversation && { channelId: ticket.conversation.channelId, conversationId: ticket.conversation.conversationId }),
      state: 'waiting' as const,
      reason,
      queuedAt: now,
      customerWaiting,
      updatedAt: now,
    };
    const reopened = await this.records.findOneAndUpdate(
      { _id: ticket.ref, state: 'ended' },
      { $set: fresh, $unset: { holder: '', heldSince: '', lastAgentActivityAt: '', lastToldPositionAt: '', external: '', endedBy: '', botResumePending: '' } },
    );
    if (reopened) return reopened;
    try {
      return await this.records.insertOne({ _id: ticket.ref, ...fresh });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Already in line (perhaps queued by the system a moment ago): a customer now asking keeps the place and waits in the chat.
      if (customerWaiting) {
        const upgraded = await this.records.findOneAndUpdate({ _id: ticket.ref, state: 'waiting' }, { $set: { customerWaiting: true, reason } });
        if (upgraded) return upgraded;
      }
      return (await this.records.findOne({ _id: ticket.ref }))!;
    }
  }

  get(ref: string): Promise<HandoffRecord | null> {
    return this.records.findOne({ _id: ref });
  }

  /** The live hold or wait of a conversation, if a person (or hub) is involved in it. */
  forConversation(channelId: string, conversationId: string): Promise<HandoffRecord | null> {
    return this.records.findOne({ channelId, conversationId, state: { $in: LIVE_STATES } });
  }

  /**
   * What a customer's message meets, in one query: the live hold or wait, else an ended one the bot has not
   * resumed from yet (a person handed back since the customer last wrote).
   */
  async forCustomerTurn(channelId: string, conversationId: string): Promise<HandoffRecord | null> {
    const found = await this.records.find({ channelId, conversationId, $or: [{ state: { $in: LIVE_STATES } }, { botResumePending: true }] });
    return found.find((record) => record.state !== 'ended') ?? found[0] ?? null;
  }

  /** True once per hand-back: the turn that gets it resets the bot's dialog. */
  async takeBotResume(ref: string): Promise<boolean> {
    return (await this.records.findOneAndUpdate({ _id: ref, state: 'ended', botResumePending: true }, { $unset: { botResumePending: '' } })) !== null;
  }

  /** The conversation's most recent ended record, if it ended by a hand-back since `since`. */
  async handedBackSince(channelId: string, conversationId: string, since: Date): Promise<HandoffRecord | null> {
    const [latest] = await this.records.find({ channelId, conversationId, state: 'ended' }, { sort: { updatedAt: -1 }, limit: 1 });
    return latest?.endedBy === 'hand_back' && new Date(latest.updatedAt) >= since ? latest : null;
  }

  /** Waiting conversations first (most urgent SLA first), then the ones held, for the console. */
  async list(): Promise<{ waiting: QueueItem[]; active: QueueItem[] }> {
    const records = await this.records.find({ state: { $in: LIVE_STATES } });
    const now = this.clock.now();
    const tickets = new Map((await this.tickets.find({ _id: { $in: records.map((record) => record.ticketRef) } })).map((ticket) => [ticket._id, ticket]));
    const items = records.flatMap((record) => {
      const ticket = tickets.get(record.ticketRef);
      return ticket ? [itemOf(record, ticket, now)] : [];
    });
    const bySla = (a: QueueItem, b: QueueItem) => a.due.inMs - b.due.inMs || a.queuedAt.getTime() - b.queuedAt.getTime();
    // A resolved or closed ticket no longer waits for anyone, even if its record has not been ended yet.
    const waiting = items.filter((item) => item.state === 'waiting' && isActive(item.status));
    return { waiting: waiting.sort(bySla), active: items.filter((item) => item.state !== 'waiting').sort(bySla) };
  }

  /** 1-based place in line and a rough wait; null when the ticket is not waiting. */
  async position(ref: string): Promise<{ position: number; waitMs: number } | null> {
    const { waiting } = await this.list();
    const index = waiting.findIndex((item) => item.ref === ref);
    return index < 0 ? null : { position: index + 1, waitMs: this.estimateWaitMs(index + 1) };
  }

  estimateWaitMs(position: number): number {
    return position * this.minutesPerPlace * 60_000;
  }
}

function itemOf(record: HandoffRecord, ticket: Ticket, now: Date): QueueItem {
  return {
    ref: ticket.ref,
    state: record.state,
    reason: record.reason,
    queuedAt: record.queuedAt,
    waitingMs: now.getTime() - new Date(record.queuedAt).getTime(),
    due: slaDue(ticket, now),
    priority: ticket.priority,
    tier: ticket.tier ?? 'agent',
    status: ticket.status,
    ...(ticket.customer.name && { customerName: ticket.customer.name }),
    channelId: ticket.channelId,
    ...(record.holder && { holder: record.holder }),
    ...(record.heldSince && { heldSince: record.heldSince }),
    ...(ticket.escalatedAt && { escalatedAt: ticket.escalatedAt }),
  };
}
