/**
 * A resolved or closed ticket needs no person any more: its wait in the queue ends (whoever resolved it:
 * console, events API, follow-ups), so the customer's next message reaches the normal flow (rating, status).
 * A hold ends too, unless the holder resolved it themself: they are still in the chat and may say goodbye
 * before handing back (the idle sweep hands back for them if they forget); ended by someone else, the customer
 * hears only the follow-up's resolved/closed notice, not a hand-back nobody made. An external agent hub's handoff ends as well.
 */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { isActive } from '../tickets/lifecycle';
import type { TicketChange, TicketService } from '../tickets/ticketService';
import { type Actor, SYSTEM_ACTOR } from '../tickets/types';
import type { CustomerMessenger } from './customerMessenger';
import type { LiveEvents } from './liveEvents';
import type { HandoffQueue, HandoffRecord } from './queue';

export interface TicketEndingDeps {
  queue: HandoffQueue;
  tickets: TicketService;
  messenger: CustomerMessenger;
  events: LiveEvents;
  clock: Clock;
  logger: Logger;
}

export class HandoffOnTicketEnd {
  constructor(private readonly deps: TicketEndingDeps) {}

  /** TicketService listener: every status change into resolved or closed. */
  readonly onChange = async (change: TicketChange): Promise<void> => {
    if (change.action !== 'ticket.status_changed' || isActive(change.ticket.status)) return;
    const record = await this.deps.queue.get(change.ticket.ref);
    if (record?.state === 'waiting') await this.endWait(record, change.actor, change.ticket.status);
    else if (record?.state === 'held') await this.endHold(record, change.actor, change.ticket.status);
    else if (record?.state === 'external') await this.endHubHandoff(record, change.actor, change.ticket.status);
  };

  /**
   * The relay's check before answering a waiting customer: the listener runs after the write, so a message
   * right after a resolution may still find the wait open. Returns true when the wait was (or is now) over.
   */
  async settleWait(record: HandoffRecord): Promise<boolean> {
    const ticket = await this.deps.tickets.get(record.ticketRef);
    if (!ticket || isActive(ticket.status)) return false;
    await this.endWait(record, SYSTEM_ACTOR, ticket.status);
    return true;
  }

  private async endWait(record: HandoffRecord, actor: Actor, status: string): Promise<void> {
    const ended = await this.deps.queue.records.findOneAndUpdate(
      { _id: record._id, state: 'waiting' },
      { $set: { state: 'ended', endedBy: 'ticket_ended', updatedAt: this.deps.clock.now() } },
    );
    if (!ended) return;
    await this.deps.tickets.audit.append(record.ticketRef, { actor, action: 'handoff.queue_ended', note: `the ticket is ${status}` });
    this.deps.events.publish({ type: 'queue.changed' });
  }

  /**
   * An external agent hub had the conversation: the handoff ends here and the bot answers the customer again.
   * The Bot Framework handoff protocol has no bot → hub message for "ended", so the hub is not told: the log
   * and the audit trail say so for the team. The customer hears one message, the follow-up's resolved/closed notice.
   */
  private async endHubHandoff(record: HandoffRecord, actor: Actor, status: string): Promise<void> {
    const now = this.deps.clock.now();
    const ended = await this.deps.queue.records.findOneAndUpdate(
      { _id: record._id, state: 'external' },
      { $set: { state: 'ended', endedBy: 'ticket_ended', botResumePending: true, external: { state: 'ticket_ended', at: now, message: `the ticket is ${status}` }, updatedAt: now } },
    );
    if (!ended) return;
    const hubState = record.external?.state ?? 'initiated';
    this.deps.logger.warn({ ref: record.ticketRef, status, hubState }, 'ticket ended while an external agent hub had the conversation; the handoff protocol cannot tell the hub, so the handoff ended on our side only');
    await this.deps.tickets.mutate(record.ticketRef, actor, 'handoff.hub_ended', () => ({
      patch: { heldBy: null },
      before: { heldBy: 'External agent hub', hub: hubState },
      after: { heldBy: 'bot' },
      note: `the ticket is ${status}; the agent hub was not told (the handoff protocol has no message for it)`,
    }));
    this.deps.events.publish({ type: 'alert', ref: record.ticketRef, level: 'hub', message: `${record.ticketRef} is ${status}: the external agent hub's conversation ended on our side (the hub is not told)` });
    this.deps.events.publish({ type: 'queue.changed' });
  }

  /**
   * Someone else (a supervisor) resolved or closed it while a person chatted: the hold ends, but nobody handed the
   * customer back, so the customer is not told so. Their one message is the follow-up's resolved/closed notice, which
   * waits while a person holds the chat and goes out once this clears `heldBy` (the action wakes it). The holder is
   * told on the console who ended it.
   */
  private async endHold(record: HandoffRecord, actor: Actor, status: string): Promise<void> {
    const holder = record.holder;
    // The holder resolving it is still in the chat: they hand back when they are done.
    if (!holder || actor.id === holder.id) return;
    const ended = await this.deps.queue.records.findOneAndUpdate(
      { _id: record._id, state: 'held', 'holder.id': holder.id },
      { $set: { state: 'ended', endedBy: 'ticket_ended', botResumePending: true, updatedAt: this.deps.clock.now() }, $unset: { holder: '', heldSince: '', lastAgentActivityAt: '' } },
    );
    if (!ended) return;
    const by = actor.name ?? (actor.kind === 'agent' ? 'A supervisor' : actor.kind === 'customer' ? 'The customer' : 'Another system');
    await this.deps.tickets.mutate(record.ticketRef, actor, HOLD_ENDED_WITH_TICKET, () => ({
      patch: { heldBy: null },
      before: { heldBy: holder.name },
      after: { heldBy: 'bot' },
      note: `the ticket is ${status}; ${holder.name} was chatting and did not hand back, so the customer gets the ${status} notice only`,
    }));
    this.deps.events.publish({
      type: 'alert',
      ref: record.ticketRef,
      level: 'takeover',
      agentId: holder.id,
      message: `${by} ${status === 'closed' ? 'closed' : 'resolved'} ${record.ticketRef} while ${holder.name} was chatting; the customer is sent the ${status} notice and the bot has the conversation again`,
    });
    this.deps.events.publish({ type: 'queue.changed' });
  }
}

/** The audit action of a hold ended by someone else resolving or closing the ticket (not a hand-back). */
export const HOLD_ENDED_WITH_TICKET = 'handoff.ended_with_ticket';
