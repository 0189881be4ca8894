/**
 * People in the customer's conversation: claim (takeover), reply, hand back, transfer, and the idle
 * sweep. The hold is one atomic write on the handoff record; the ticket mirrors it (heldBy, assignee)
 * through TicketService so every step is on the audit trail under the agent's id.
 */
import type { AgentAccounts, AgentProfile } from '../agents/accounts';
import { agentRefOf, roleRank } from '../agents/accounts';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { isActive } from '../tickets/lifecycle';
import type { TicketService } from '../tickets/ticketService';
import { type Actor, BOT_ACTOR, SUPPORT_TIERS as SUPPORT_TIER_ORDER, type SupportTier, SYSTEM_ACTOR } from '../tickets/types';
import type { CustomerMessenger } from './customerMessenger';
import { HandoffError } from './errors';
import type { LiveEvents } from './liveEvents';
import { tellBackToBot } from './backToBot';
import { requireTier } from './changeRights';
import { handoffSay } from './messages';
import type { HandoffQueue, HandoffRecord, Holder } from './queue';
import type { Filter } from '../store/types';
import { promisedWait, type StaffedHours } from './staffedHours';

export interface TakeoverDeps {
  queue: HandoffQueue;
  tickets: TicketService;
  accounts: AgentAccounts;
  messenger: CustomerMessenger;
  events: LiveEvents;
  clock: Clock;
  logger: Logger;
  idleMs: number;
  /** Staffed hours: a wait told at night says when the team is back. */
  hours: StaffedHours;
}

export function agentActor(agent: Pick<AgentProfile, '_id' | 'name'>): Actor {
  return { kind: 'agent', id: agent._id, name: agent.name };
}

const holderOf = (agent: AgentProfile): Holder => ({ id: agent._id, name: agent.name, role: agent.role });

export class Takeover {
  constructor(private readonly deps: TakeoverDeps) {}

  /** Takes the conversation; someone else's hold is only taken with `force` (an explicit takeover). */
  async claim(ref: string, agent: AgentProfile, options: { force?: boolean } = {}): Promise<HandoffRecord> {
    const ticket = await this.deps.tickets.require(ref);
    // A ticket from a public post with no DM has nobody to chat with: taking it over would only silence nothing.
    if (!ticket.conversation) throw new HandoffError('NO_CONVERSATION', `${ref} has no conversation with the customer to take over (no direct message yet)`);
    requireTier(ticket, agent);
    const record = (await this.deps.queue.get(ref)) ?? (await this.deps.queue.enqueue(ticket, 'taken up by an agent'));
    if (record.state === 'held' && record.holder?.id === agent._id) return record;
    if (record.state === 'external') throw new HandoffError('EXTERNAL_HUB', 'An external agent hub has this conversation');
    if (record.state === 'held' && !options.force) {
      throw new HandoffError('HELD_BY_OTHER', `${record.holder?.name} is handling this conversation; take it over explicitly to write`, record.holder);
    }
    if (record.state === 'held' && record.holder && roleRank(agent.role) < roleRank(record.holder.role ?? 'agent')) {
      throw new HandoffError('OUTRANKED', `${record.holder.name} is a ${record.holder.role}; only a ${record.holder.role} or above can take the conversation over from them`, record.holder);
    }
    const now = this.deps.clock.now();
    const claimed = await this.deps.queue.records.findOneAndUpdate(
      { _id: ref, state: record.state, ...(record.holder ? { 'holder.id': record.holder.id } : { holder: { $exists: false } }) },
      { $set: { state: 'held', holder: holderOf(agent), heldSince: now, lastAgentActivityAt: now, customerWaiting: true, updatedAt: now } },
    );
    if (!claimed) {
      const current = await this.deps.queue.get(ref);
      throw new HandoffError('HELD_BY_OTHER', 'Someone else took this conversation a moment ago', current?.holder);
    }
    const previous = record.state === 'held' ? record.holder : undefined;
    const updated = await this.deps.tickets.mutate(ref, agentActor(agent), previous ? 'handoff.taken_over' : 'handoff.claimed', () => ({
      patch: { heldBy: agentRefOf(agent), assignee: agentRefOf(agent) },
      before: { heldBy: previous?.name ?? null },
      after: { heldBy: agent.name },
    }));
    if (previous) {
      this.deps.events.publish({ type: 'alert', ref, level: 'takeover', message: `${agent.name} took over ${ref} from ${previous.name}` });
    }
    await this.deps.messenger.tell(updated, handoffSay.joined(agent.name), `joined:${ref}:${agent._id}:${now.getTime()}`, BOT_ACTOR);
    this.deps.events.publish({ type: 'queue.changed' });
    return claimed;
  }

  /** The agent's message to the customer: only the holder writes, or a supervisor stepping in. */
  async reply(ref: string, agent: AgentProfile, text: string, clientMessageId: string): Promise<{ sent: boolean }> {
    const record = await this.requireWriter(ref, agent);
    const ticket = await this.deps.tickets.require(ref);
    const actor = agentActor(agent);
    const sent = await this.deps.messenger.send(ticket, text, `agent:${ref}:${clientMessageId}`, actor);
    if (!sent) return { sent };
    await this.touch(record, agent);
    await this.deps.tickets.recordFirstResponse(ref, actor);
    await this.deps.tickets.audit.append(ref, { actor, action: 'handoff.agent_replied', after: { chars: text.length } });
    this.deps.events.publish({ type: 'agent.message', ref, text, at: this.deps.clock.now().toISOString(), agentId: agent._id, name: agent.name });
    return { sent };
  }

  async agentTyping(ref: string, agent: AgentProfile): Promise<void> {
    const record = await this.requireWriter(ref, agent);
    await this.touch(record, agent);
    await this.deps.messenger.typing(await this.deps.tickets.require(ref));
  }

  /** Counts as activity for the idle timer (notes, status changes by the holder): one conditional write, no read. */
  async noteActivity(ref: string, agent: AgentProfile): Promise<void> {
    await this.deps.queue.records.updateOne({ _id: ref, state: 'held', 'holder.id': agent._id }, { $set: { lastAgentActivityAt: this.deps.clock.now() } });
  }

  /** The bot has the conversation again; the customer is told and can carry on with it. */
  async handBack(ref: string, agent: AgentProfile): Promise<void> {
    const record = await this.requireWriter(ref, agent);
    const ended = await this.deps.queue.records.findOneAndUpdate(
      { _id: ref, state: 'held', 'holder.id': record.holder!.id },
      { $set: { state: 'ended', endedBy: 'hand_back', botResumePending: true, updatedAt: this.deps.clock.now() }, $unset: { holder: '', heldSince: '', lastAgentActivityAt: '' } },
    );
    if (!ended) throw new HandoffError('HELD_BY_OTHER', 'The conversation changed hands a moment ago');
    await tellBackToBot(this.deps, ref, record.holder!.name, agentActor(agent));
    this.deps.events.publish({ type: 'queue.changed' });
  }

  /** To a named colleague (they hold it at once) or to a tier (back in the queue for that tier). */
  async transfer(ref: string, agent: AgentProfile, to: { agentId: string } | { tier: SupportTier }): Promise<void> {
    // An unknown ticket is a 404, not a "you do not hold it".
    const ticket = await this.deps.tickets.require(ref);
    const record = await this.deps.queue.get(ref);
    const isHolder = record?.state === 'held' && record.holder?.id === agent._id;
    const supervisor = roleRank(agent.role) >= roleRank('supervisor');
    if (!isHolder && !supervisor) {
      throw new HandoffError('NOT_HELD', 'Only the agent holding the conversation, or a supervisor, can transfer it', record?.holder);
    }
    if ('tier' in to && !supervisor && roleRank(to.tier) > roleRank(ticket.tier ?? 'agent') + 1) {
      throw new HandoffError('INVALID_TRANSFER', `Transfer one tier up (to the ${SUPPORT_TIER_ORDER[roleRank(ticket.tier ?? 'agent') + 1] ?? 'top'} tier); only a supervisor can send a ticket further`);
    }
    const now = this.deps.clock.now();
    if ('agentId' in to) {
      if (to.agentId === agent._id) throw new HandoffError('INVALID_TRANSFER', 'You cannot transfer a conversation to yourself; pick a colleague or a tier');
      const target = await this.deps.accounts.get(to.agentId);
      if (!target) throw new HandoffError('NO_SUCH_AGENT', 'There is no active agent with that id');
      requireTier(ticket, target);
      if (!record) await this.deps.queue.enqueue(ticket, 'transferred');
      await this.deps.queue.records.updateOne(
        { _id: ref },
        { $set: { state: 'held', holder: holderOf(target), heldSince: now, lastAgentActivityAt: now, customerWaiting: true, updatedAt: now } },
      );
      const updated = await this.deps.tickets.mutate(ref, agentActor(agent), 'handoff.transferred', () => ({
        patch: { heldBy: agentRefOf(target), assignee: agentRefOf(target) },
        before: { heldBy: record?.holder?.name ?? null },
        after: { heldBy: target.name },
      }));
      this.deps.events.publish({ type: 'alert', ref, level: 'takeover', message: `${agent.name} transferred ${ref} to ${target.name}` });
      await this.deps.messenger.tell(updated, handoffSay.transferredTo(target.name), `transfer:${ref}:${updated.version}`, BOT_ACTOR);
    } else {
      if (!record) await this.deps.queue.enqueue(ticket, `transferred to ${to.tier}`);
      await this.deps.queue.records.updateOne({ _id: ref }, { $set: { state: 'waiting', updatedAt: now }, $unset: { holder: '', heldSince: '', lastAgentActivityAt: '' } });
      const updated = await this.deps.tickets.mutate(ref, agentActor(agent), 'handoff.transferred', () => ({
        patch: { heldBy: null, tier: to.tier },
        before: { tier: ticket.tier ?? 'agent', heldBy: record?.holder?.name ?? null },
        after: { tier: to.tier },
      }));
      await this.deps.messenger.tell(updated, handoffSay.transferredToTier, `transfer:${ref}:${updated.version}`, BOT_ACTOR);
    }
    this.deps.events.publish({ type: 'queue.changed' });
  }

  /** Holds whose agent went quiet go back to the front of the queue; the customer is told. */
  async sweepIdle(): Promise<string[]> {
    const cutoff = new Date(this.deps.clock.now().getTime() - this.deps.idleMs);
    const idle = await this.deps.queue.records.find({ state: 'held', lastAgentActivityAt: { $lt: cutoff } });
    const why = (holder: string) => `${holder} was idle for over ${Math.round(this.deps.idleMs / 60_000)} minutes`;
    return this.returnHolds(idle, { lastAgentActivityAt: { $lt: cutoff } }, why);
  }

  /** An agent whose account is disabled (offboarding) leaves now: their conversations go back to the queue at once. */
  async releaseHoldsOf(agentId: string): Promise<string[]> {
    const held = await this.deps.queue.records.find({ state: 'held', 'holder.id': agentId });
    return this.returnHolds(held, {}, (holder) => `${holder}'s account was disabled`);
  }

  /**
   * Each hold still as found (same holder, `stillTrue`) goes back to the queue and the customer is told; a
   * ticket already resolved or closed goes back to the bot instead, as nobody needs to pick it up.
   */
  private async returnHolds(records: HandoffRecord[], stillTrue: Filter, why: (holder: string) => string): Promise<string[]> {
    const returned: string[] = [];
    for (const record of records) {
      const released = await this.deps.queue.records.findOneAndUpdate(
        { _id: record._id, state: 'held', 'holder.id': record.holder!.id, ...stillTrue },
        { $set: { state: 'waiting', updatedAt: this.deps.clock.now() }, $unset: { holder: '', heldSince: '', lastAgentActivityAt: '' } },
      );
      if (!released) continue;
      const holder = record.holder!.name;
      const current = await this.deps.tickets.require(record.ticketRef);
      if (!isActive(current.status)) {
        await this.deps.queue.records.updateOne({ _id: record._id, state: 'waiting' }, { $set: { state: 'ended', endedBy: 'hand_back', botResumePending: true } });
        await tellBackToBot(this.deps, record.ticketRef, holder, SYSTEM_ACTOR, `${why(holder)} and the ticket is ${current.status}`);
        returned.push(record.ticketRef);
        continue;
      }
      const ticket = await this.deps.tickets.mutate(record.ticketRef, SYSTEM_ACTOR, 'handoff.idle_returned', () => ({
        patch: { heldBy: null },
        before: { heldBy: holder },
        after: { heldBy: null },
        note: why(holder),
      }));
      const place = (await this.deps.queue.position(record.ticketRef)) ?? { position: 1, waitMs: this.deps.queue.estimateWaitMs(1) };
      const when = promisedWait(this.deps.clock.now(), place.waitMs, this.deps.hours);
      await this.deps.messenger.tell(ticket, handoffSay.idleReturned(place.position, when), `idle:${record.ticketRef}:${ticket.version}`, BOT_ACTOR);
      this.deps.events.publish({ type: 'alert', ref: record.ticketRef, level: 'idle', message: `${record.ticketRef} went back to the queue: ${why(holder)}` });
      returned.push(record.ticketRef);
    }
    if (returned.length) this.deps.events.publish({ type: 'queue.changed' });
    return returned;
  }

  private async requireWriter(ref: string, agent: AgentProfile): Promise<HandoffRecord> {
    const record = await this.deps.queue.get(ref);
    // No hold record may mean no such ticket: that is a 404 (TICKET_NOT_FOUND), not a 409.
    if (!record) await this.deps.tickets.require(ref);
    if (record?.state !== 'held') throw new HandoffError('NOT_HELD', 'Take the conversation over first');
    if (record.holder?.id !== agent._id && roleRank(agent.role) < roleRank('supervisor')) {
      throw new HandoffError('HELD_BY_OTHER', `${record.holder?.name} is handling this conversation; take it over explicitly to write`, record.holder);
    }
    return record;
  }

  private async touch(record: HandoffRecord, agent: AgentProfile): Promise<void> {
    if (record.holder?.id !== agent._id) return;
    await this.deps.queue.records.updateOne({ _id: record._id, 'holder.id': agent._id }, { $set: { lastAgentActivityAt: this.deps.clock.now() } });
  }
}
