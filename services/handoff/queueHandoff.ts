/**
 * The HumanHandoff port the dialogs call when a customer asks for a person: puts the conversation in
 * the console's queue (or hands it to an external hub) and answers with the place in line and a rough
 * wait, or, outside staffed hours, when the team is back.
 */
import type { Clock } from '../clock';
import type { TicketService } from '../tickets/ticketService';
import type { Actor, Ticket } from '../tickets/types';
import type { LiveEvents } from './liveEvents';
import { handoffSay } from './messages';
import type { ExternalHandoff } from './protocol';
import type { HandoffQueue } from './queue';
import { describeNextStaffed, isStaffed, promisedWait, type StaffedHours } from './staffedHours';
import type { HumanHandoff } from './types';

export class QueueHandoff implements HumanHandoff {
  constructor(
    private readonly deps: { queue: HandoffQueue; tickets: TicketService; events: LiveEvents; clock: Clock; hours: StaffedHours; external?: ExternalHandoff },
  ) {}

  async request(ticket: Ticket, reason: string): Promise<string> {
    if (this.deps.external) return this.deps.external.initiate(ticket, reason);
    const record = await this.deps.queue.enqueue(ticket, reason);
    this.deps.events.publish({ type: 'queue.changed' });
    if (record.state === 'held' && record.holder) return handoffSay.joined(record.holder.name);
    const now = this.deps.clock.now();
    if (!isStaffed(now, this.deps.hours)) return handoffSay.outsideHours(ticket.ref, describeNextStaffed(now, this.deps.hours));
    await this.deps.queue.records.updateOne({ _id: ticket.ref }, { $set: { lastToldPositionAt: now } });
    const place = (await this.deps.queue.position(ticket.ref)) ?? { position: 1, waitMs: this.deps.queue.estimateWaitMs(1) };
    return handoffSay.queued(ticket.ref, place.position, promisedWait(now, place.waitMs, this.deps.hours));
  }

  /** The customer no longer wants to wait ("cancel"): out of the queue, the bot serves them again. */
  async leave(ref: string, customer: Actor): Promise<string | undefined> {
    const left = await this.deps.queue.records.findOneAndUpdate({ _id: ref, state: 'waiting' }, { $set: { state: 'ended', endedBy: 'left_queue', updatedAt: this.deps.clock.now() } });
    if (!left) return undefined;
    await this.deps.tickets.audit.append(ref, { actor: customer, action: 'handoff.left_queue' });
    this.deps.events.publish({ type: 'queue.changed' });
    return handoffSay.leftQueue(ref);
  }

  /** While waiting the customer may keep writing: tell them their place again, at most once a minute. */
  async whileWaiting(ref: string): Promise<string | undefined> {
    const now = this.deps.clock.now();
    const record = await this.deps.queue.records.findOneAndUpdate(
      { _id: ref, state: 'waiting', $or: [{ lastToldPositionAt: { $exists: false } }, { lastToldPositionAt: { $lt: new Date(now.getTime() - 60_000) } }] },
      { $set: { lastToldPositionAt: now } },
    );
    if (!record) return undefined;
    if (!isStaffed(now, this.deps.hours)) return `Thanks, the team will see that when they're back ${describeNextStaffed(now, this.deps.hours)}.`;
    const place = await this.deps.queue.position(ref);
    return place ? handoffSay.stillWaiting(place.position, promisedWait(now, place.waitMs, this.deps.hours)) : undefined;
  }
}
