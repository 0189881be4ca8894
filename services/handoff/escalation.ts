/**
 * Escalation: a ticket moves one tier up (agent → supervisor → executive) when someone escalates it, or
 * when an SLA timer has breached or will within the margin. Each timer escalates once: a missed first
 * response brings in a supervisor; a resolution at risk brings in the next tier. The console gets an
 * alert, the audit trail an entry, and the customer is told a senior colleague has it. Under business
 * hours (SLA_CLOCK) the sweep counts staffed time only, so nothing escalates because the team is off.
 */
import { roleRank } from '../agents/accounts';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Collection } from '../store/types';
import type { TicketService } from '../tickets/ticketService';
import { type Actor, BOT_ACTOR, SUPPORT_TIERS, type SupportTier, SYSTEM_ACTOR, type Ticket } from '../tickets/types';
import type { CustomerMessenger } from './customerMessenger';
import { HandoffError } from './errors';
import type { LiveEvents } from './liveEvents';
import { handoffSay } from './messages';
import type { HandoffQueue, Holder } from './queue';

type Timer = 'first_response' | 'resolution';

export interface EscalationDeps {
  tickets: TicketService;
  /** Read-only view of tickets for the sweep's query; every write goes through TicketService. */
  ticketDocs: Collection<Ticket>;
  queue: HandoffQueue;
  messenger: CustomerMessenger;
  events: LiveEvents;
  clock: Clock;
  logger: Logger;
  marginMs: number;
}

export class Escalations {
  constructor(private readonly deps: EscalationDeps) {}

  async escalate(ref: string, actor: Actor, reason: string, timer?: Timer): Promise<Ticket> {
    const now = this.deps.clock.now();
    let next: SupportTier | undefined;
    const ticket = await this.deps.tickets.mutate(ref, actor, 'ticket.escalated', (current) => {
      // Another instance's sweep got there first: each timer escalates once.
      if (timer && current.escalatedFor?.includes(timer)) {
        next = undefined;
        return null;
      }
      const tier = current.tier ?? 'agent';
      next = SUPPORT_TIERS[SUPPORT_TIERS.indexOf(tier) + 1];
      if (!next) throw new HandoffError('TOP_TIER', `${ref} is already with the executive tier`);
      return {
        patch: { tier: next, escalatedAt: now, ...(timer && { escalatedFor: [...(current.escalatedFor ?? []), timer] }) },
        before: { tier },
        after: { tier: next },
        note: reason,
      };
    });
    if (!next) return ticket;
    const leftChat = await this.routeToTier(ticket, next, reason);
    this.deps.events.publish({ type: 'alert', ref, level: 'escalation', tier: next, message: `${ref} escalated to ${next}: ${reason}` });
    this.deps.events.publish({ type: 'queue.changed' });
    // Someone chatting with the customer left: "a senior colleague now has it" would promise a person who has not joined yet;
    // and only the holder escalating it themself "passed it on" (a supervisor or the SLA sweep is not named as them).
    const told = !leftChat ? handoffSay.escalated(ref) : leftChat.id === actor.id ? handoffSay.escalatedFromChat(leftChat.name, ref) : handoffSay.escalatedMovingOn(ref);
    if (ticket.conversation) await this.deps.messenger.tell(ticket, told, `escalated:${ref}:${next}`, BOT_ACTOR);
    return ticket;
  }

  /**
   * Escalates every active ticket whose timer breached or comes due within the margin; returns their refs.
   * "Within the margin" is counted on the SLA clock due times were counted on, and while that clock is
   * stopped (the team is away) nothing escalates: no senior colleague is in to take it either.
   */
  async sweep(): Promise<string[]> {
    const now = this.deps.clock.now();
    const sla = this.deps.tickets.slaClock;
    if (!sla.runsAt(now)) return [];
    const horizon = sla.addCounted(now, this.deps.marginMs);
    const candidates = await this.deps.ticketDocs.find({
      status: { $in: ['open', 'in_progress'] },
      tier: { $ne: 'executive' },
      $or: [{ firstResponseAt: { $exists: false }, 'sla.firstResponseDueAt': { $lte: horizon } }, { 'sla.resolutionDueAt': { $lte: horizon } }],
    });
    const escalated: string[] = [];
    for (const ticket of candidates) {
      const timer = dueTimer(ticket, horizon);
      if (!timer) continue;
      const breached = new Date(timer === 'first_response' ? ticket.sla.firstResponseDueAt : ticket.sla.resolutionDueAt) <= now;
      const what = timer === 'first_response' ? 'first response' : 'resolution';
      try {
        await this.escalate(ticket.ref, SYSTEM_ACTOR, `SLA ${what} ${breached ? 'breached' : `due within ${Math.round(this.deps.marginMs / 60_000)} minutes`}`, timer);
        escalated.push(ticket.ref);
      } catch (error) {
        this.deps.logger.error({ err: error, ref: ticket.ref }, 'SLA escalation failed');
      }
    }
    return escalated;
  }

  /** The ticket waits for its new tier, unless whoever holds it already belongs to that tier; returns a holder who had to leave. */
  private async routeToTier(ticket: Ticket, tier: SupportTier, reason: string): Promise<Holder | undefined> {
    const record = await this.deps.queue.get(ticket.ref);
    if (!record || record.state === 'ended') {
      await this.deps.queue.enqueue(ticket, `escalated: ${reason}`, { customerWaiting: false });
      return undefined;
    }
    if (record.state === 'held' && record.holder && roleRank(record.holder.role) < roleRank(tier)) {
      await this.deps.queue.records.updateOne(
        { _id: ticket.ref, state: 'held' },
        { $set: { state: 'waiting', reason: `escalated: ${reason}`, updatedAt: this.deps.clock.now() }, $unset: { holder: '', heldSince: '', lastAgentActivityAt: '' } },
      );
      await this.deps.tickets.mutate(ticket.ref, SYSTEM_ACTOR, 'handoff.released_for_tier', () => ({
        patch: { heldBy: null },
        before: { heldBy: record.holder!.name },
        after: { heldBy: null, tier },
      }));
      return record.holder;
    }
    return undefined;
  }
}

/** The timer that should escalate now, if any: first response while unanswered, then resolution. */
function dueTimer(ticket: Ticket, horizon: Date): Timer | undefined {
  const done = ticket.escalatedFor ?? [];
  if (!ticket.firstResponseAt && !done.includes('first_response') && new Date(ticket.sla.firstResponseDueAt) <= horizon) return 'first_response';
  if (!done.includes('resolution') && new Date(ticket.sla.resolutionDueAt) <= horizon) return 'resolution';
  return undefined;
}
