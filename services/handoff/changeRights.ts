/**
 * Who may change a ticket's status or priority (closing it included). Reading and notes stay open to every
 * agent; a change is refused on a ticket escalated above the agent's role, and while someone else chats
 * with the customer, unless a supervisor or above steps in: closing it would end that person's hold and
 * hand the customer back to the bot mid-conversation.
 */
import { type AgentProfile, roleRank } from '../agents/accounts';
import type { TicketService } from '../tickets/ticketService';
import { HandoffError } from './errors';
import type { HandoffQueue } from './queue';

export async function requireChangeRights(deps: { tickets: TicketService; queue: HandoffQueue }, ref: string, agent: AgentProfile): Promise<void> {
  const ticket = await deps.tickets.require(ref);
  const tier = ticket.tier ?? 'agent';
  if (roleRank(agent.role) < roleRank(tier)) {
    throw new HandoffError('TIER_TOO_LOW', `${ref} is escalated to the ${tier} tier: you can read it and add notes, but only a ${tier} or above can change its status or priority`);
  }
  const record = await deps.queue.get(ref);
  const holder = record?.state === 'held' ? record.holder : undefined;
  if (holder && holder.id !== agent._id && roleRank(agent.role) < roleRank('supervisor')) {
    throw new HandoffError(
      'HELD_CHANGE_NEEDS_SUPERVISOR',
      `${holder.name} is chatting with the customer on ${ref}: add an internal note, or ask a supervisor to change its status or priority`,
      holder,
    );
  }
}
