/**
 * External agent hubs (Dynamics 365 Omnichannel, LivePerson, Genesys…) speak the Bot Framework handoff
 * protocol: we send `handoff.initiate` with the transcript instead of queueing in our console, and the
 * hub answers with `handoff.status` events. Every status is accepted (the protocol has no "reject"); ones
 * we do not know are recorded on the audit trail and otherwise ignored.
 */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Transcripts } from '../tickets/transcript';
import type { TicketService } from '../tickets/ticketService';
import { BOT_ACTOR, type ConversationRecord, type Ticket, type TranscriptEntry } from '../tickets/types';
import type { CustomerMessenger } from './customerMessenger';
import type { LiveEvents } from './liveEvents';
import { handoffSay } from './messages';
import type { HandoffQueue, HandoffRecord } from './queue';

export const HANDOFF_STATUS_EVENT = 'handoff.status';

/** What the hub is told about the case, beside the transcript. */
export interface HubContext {
  ticketRef: string;
  reason: string;
  priority: string;
  tier: string;
  customerName?: string;
  description?: string;
}

/** The port to the hub; bots/handoffProtocol.ts implements it with the SDK's EventFactory. */
export interface HandoffHub {
  initiate(conversation: ConversationRecord, context: HubContext, transcript: TranscriptEntry[]): Promise<void>;
}

const HUB_ACTOR = { kind: 'system' as const, id: 'agent-hub', name: 'External agent hub' };

export class ExternalHandoff {
  constructor(
    private readonly deps: {
      hub: HandoffHub;
      queue: HandoffQueue;
      tickets: TicketService;
      transcripts: Transcripts;
      messenger: CustomerMessenger;
      events: LiveEvents;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** Sends handoff.initiate once per request; returns what the customer is told. */
  async initiate(ticket: Ticket, reason: string): Promise<string> {
    if (!ticket.conversation) return handoffSay.hubFailed(ticket.ref);
    const record = await this.deps.queue.enqueue(ticket, reason);
    if (record.state === 'external') return handoffSay.hubConnecting(ticket.ref);
    const now = this.deps.clock.now();
    await this.deps.queue.records.updateOne({ _id: ticket.ref }, { $set: { state: 'external', external: { state: 'initiated', at: now }, updatedAt: now } });
    const transcript = await this.deps.transcripts.forConversation(ticket.conversation.conversationId);
    try {
      await this.deps.hub.initiate(
        ticket.conversation,
        {
          ticketRef: ticket.ref,
          reason,
          priority: ticket.priority,
          tier: ticket.tier ?? 'agent',
          ...(ticket.customer.name && { customerName: ticket.customer.name }),
          ...(ticket.description && { description: ticket.description }),
        },
        transcript,
      );
    } catch (error) {
      this.deps.logger.error({ err: error, ref: ticket.ref }, 'handoff.initiate could not be sent');
      await this.end(ticket.ref, 'failed', 'handoff.initiate could not be sent');
      return handoffSay.hubFailed(ticket.ref);
    }
    await this.deps.tickets.mutate(ticket.ref, BOT_ACTOR, 'handoff.hub_initiated', () => ({ patch: {}, after: { messages: transcript.length } }));
    return handoffSay.hubConnecting(ticket.ref);
  }

  /**
   * A `handoff.status` from the hub. Never throws for a state it does not know. A handoff that already ended
   * (failed, completed) stays ended: a late or redelivered status is logged and changes nothing.
   */
  async onStatus(channelId: string, conversationId: string, state: unknown, message?: unknown): Promise<void> {
    // One conversation may have had several tickets handed off: the live handoff, else the one that ended last (a late status).
    const records = await this.deps.queue.records.find({ channelId, conversationId, state: { $in: ['external', 'ended'] } }, { sort: { updatedAt: -1 } });
    const record = records.find((candidate) => candidate.state === 'external') ?? records[0];
    if (!record) {
      this.deps.logger.warn({ channelId, state }, 'handoff.status for a conversation with no hub handoff');
      return;
    }
    const label = typeof state === 'string' ? state.slice(0, 40) : 'unknown';
    const detail = typeof message === 'string' ? message.slice(0, 500) : undefined;
    const now = this.deps.clock.now();
    if (record.state === 'ended') return this.ignoreLate(record, label);
    if (label === 'accepted') {
      // Conditional on the record still being live, so a `failed` landing meanwhile is not undone.
      const accepted = await this.deps.queue.records.findOneAndUpdate({ _id: record._id, state: 'external' }, { $set: { external: { state: label, at: now }, updatedAt: now } });
      if (!accepted) return this.ignoreLate(record, label);
      await this.deps.tickets.mutate(record.ticketRef, HUB_ACTOR, 'handoff.hub_accepted', () => ({ patch: { heldBy: { id: HUB_ACTOR.id, name: HUB_ACTOR.name } } }));
    } else if (label === 'failed' || label === 'completed') {
      const ticket = await this.end(record.ticketRef, label, detail);
      if (!ticket) return this.ignoreLate(record, label);
      // Once per handoff: only the delivery that ended it gets here, so a redelivered status tells nobody twice.
      const told = label === 'failed' ? handoffSay.hubFailed(ticket.ref) : handoffSay.hubCompleted(ticket.ref);
      await this.deps.messenger.tell(ticket, told, `hub-${label}:${ticket.ref}:${ticket.version}`, BOT_ACTOR);
    } else {
      await this.deps.tickets.audit.append(record.ticketRef, { actor: HUB_ACTOR, action: 'handoff.hub_status', after: { state: label }, ...(detail && { note: detail }) });
    }
    this.deps.events.publish({ type: 'alert', ref: record.ticketRef, level: 'hub', message: `Agent hub: ${label} for ${record.ticketRef}` });
  }

  private ignoreLate(record: HandoffRecord, label: string): void {
    this.deps.logger.warn({ ref: record.ticketRef, state: label, ended: record.external?.state ?? record.endedBy ?? 'ended' }, 'handoff.status for a handoff that already ended; ignored');
  }

  /** Ends the live hub handoff; null when it had already ended (nothing is written then). */
  private async end(ref: string, state: 'failed' | 'completed', message?: string): Promise<Ticket | null> {
    const now = this.deps.clock.now();
    // A completed handoff is a hand-back: the customer's "thanks" afterwards gets the short answer, as after a console agent.
    const ended = await this.deps.queue.records.findOneAndUpdate(
      { _id: ref, state: 'external' },
      { $set: { state: 'ended', botResumePending: true, external: { state, at: now, ...(message && { message }) }, updatedAt: now, ...(state === 'completed' && { endedBy: 'hand_back' as const }) } },
    );
    if (!ended) return null;
    return this.deps.tickets.mutate(ref, HUB_ACTOR, `handoff.hub_${state}`, () => ({ patch: { heldBy: null }, ...(message && { note: message }) }));
  }
}
