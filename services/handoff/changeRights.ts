/**
 * Who may change a ticket's status or priority (closing it included), or escalate it. Reading and notes stay
 * open to every agent; a change is refused on a ticket escalated above the agent's role, and while someone
 * else chats with the customer (a colleague, or an external agent hub), unless a supervisor or above steps in:
 * closing or escalating it would end that person's hold and hand the customer on mid-conversation.
 */
import { type AgentProfile, roleRank } from '../agents/accounts';
import type { TicketService } from '../tickets/ticketService';
import { HandoffError } from './errors';
import type { HandoffQueue } from './queue';

type Deps = { tickets: TicketService; queue: HandoffQueue };

export async function requireChangeRights(deps: Deps, ref: string, agent: AgentProfile): Promise<void> {
  const ticket = await deps.tickets.require(ref);
  const tier = ticket.tier ?? 'agent';
  if (roleRank(agent.role) < roleRank(tier)) {
    throw new HandoffError('TIER_TOO_LOW', `${ref} is escalated to the ${tier} tier: you can read it and add notes, but only a ${tier} or above can change its status or priority`);
  }
  await requireHoldRights(deps, ref, agent, 'change its status or priority');
}

/** The holder, or a supervisor or above, may act on a ticket while someone chats with its customer; `what` names the act refused. */
export async function requireHoldRights(deps: Pick<Deps, 'queue'>, ref: string, agent: AgentProfile, what: string): Promise<void> {
  if (roleRank(agent.role) >= roleRank('supervisor')) return;
  const record = await deps.queue.get(ref);
  if (record?.state === 'external') {
    throw new HandoffError('HELD_CHANGE_NEEDS_SUPERVISOR', `An external agent hub is chatting with the customer on ${ref}: add an internal note, or ask a supervisor to ${what}`);
  }
  const holder = record?.state === 'held' ? record.holder : undefined;
  if (holder && holder.id !== agent._id) {
    throw new HandoffError('HELD_CHANGE_NEEDS_SUPERVISOR', `${holder.name} is chatting with the customer on ${ref}: add an internal note, or ask a supervisor to ${what}`, holder);
  }
}
