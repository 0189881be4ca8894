/**
 * Who may change a ticket's status or priority (closing it included), or escalate it. Reading and notes stay
 * open to every agent; a change is refused on a ticket escalated above the agent's role, and while someone
 * else chats with the customer (a colleague, or an external agent hub), unless a supervisor or above steps in:
 * closing or escalating it would end that person's hold and hand the customer on mid-conversation.
 * The console shows the same rule up front (web/agent/console.js, renderConversation).
 */
import { type AgentProfile, roleRank } from '../agents/accounts';
import type { TicketService } from '../tickets/ticketService';
import type { Ticket } from '../tickets/types';
import { HandoffError } from './errors';
import type { HandoffQueue } from './queue';

type Deps = { tickets: TicketService; queue: HandoffQueue };

export async function requireChangeRights(deps: Deps, ref: string, agent: AgentProfile): Promise<void> {
  requireTier(await deps.tickets.require(ref), agent, 'change its status or priority');
  await requireHoldRights(deps, ref, agent, 'change its status or priority');
}

/** Nobody below a ticket's tier acts on it; `what` names the act refused, when the agent may still read it and add notes. */
export function requireTier(ticket: Pick<Ticket, 'ref' | 'tier'>, agent: Pick<AgentProfile, 'role'>, what?: string): void {
  const tier = ticket.tier ?? 'agent';
  if (roleRank(agent.role) >= roleRank(tier)) return;
  const rest = what ? `: you can read it and add notes, but only a ${tier} or above can ${what}` : '';
  throw new HandoffError('TIER_TOO_LOW', `${ticket.ref} is escalated to the ${tier} tier${rest}`);
}

/** The holder, or a supervisor or above, may act on a ticket while someone chats with its customer; `what` names the act refused. */
export async function requireHoldRights(deps: Pick<Deps, 'queue'>, ref: string, agent: AgentProfile, what: string): Promise<void> {
  if (roleRank(agent.role) >= roleRank('supervisor')) return;
  const record = await deps.queue.get(ref);
  const holder = record?.state === 'held' && record.holder?.id !== agent._id ? record.holder : undefined;
  const chatting = record?.state === 'external' ? 'An external agent hub' : holder?.name;
  if (chatting) {
    throw new HandoffError('HELD_CHANGE_NEEDS_SUPERVISOR', `${chatting} is chatting with the customer on ${ref}: add an internal note, or ask a supervisor to ${what}`, holder);
  }
}
