/** Ticket steps shared by the interruptions and the report dialog. */
import type { TurnContext } from 'botbuilder';
import { isActive } from '../services/tickets/lifecycle';
import { findTicketRef } from '../services/tickets/ticketRef';
import type { ContactDetails, Ticket } from '../services/tickets/types';
import { actorOfCustomer } from '../services/tickets/transcript';
import type { DialogServices, ReportDraft } from './dialogServices';
import { asksAboutOrderOnly } from './intents';
import { say } from './messages';
import { activityKey, conversationRecordOf, customerOf, threadTicketOf } from './turnFacts';

export function customerActor(context: TurnContext) {
  return actorOfCustomer(context.activity.from.id, context.activity.from.name);
}

/** Opens the ticket from what the conversation gathered; a retried activity returns the same ticket. */
export async function openTicket(context: TurnContext, services: DialogServices, draft: ReportDraft, humanRequestedReason?: string): Promise<Ticket> {
  const data = await services.conversationData.get(context, {});
  const key = activityKey(context);
  const contact = draft.contact && (draft.contact.email || draft.contact.phone) ? (draft.contact as ContactDetails) : undefined;
  const ticket = await services.tickets.open(
    {
      customer: customerOf(context),
      source: data.publicPost ? 'public_post' : sourceOfChannel(context.activity.channelId),
      ...(draft.orderNumber && { orderNumber: draft.orderNumber }),
      ...(contact && { contact: { ...contact, consent: contact.consent ?? false } }),
      ...(draft.description && { description: draft.description }),
      ...(draft.subject && { subject: draft.subject }),
      ...(draft.language && { language: draft.language }),
      ...(data.publicPost && { publicPost: data.publicPost }),
      conversation: conversationRecordOf(context, new Date(context.activity.timestamp ?? Date.now())),
      ...(humanRequestedReason && { humanRequestedReason }),
      ...(key && { openedBy: key }),
    },
    customerActor(context),
  );
  data.ticketRef = ticket.ref;
  delete data.draft;
  return ticket;
}

function sourceOfChannel(channelId: string): 'web' | 'email' | 'dm' {
  if (channelId === 'webchat' || channelId === 'directline') return 'web';
  return channelId === 'email' ? 'email' : 'dm';
}

/**
 * A second report about an order that already has an active ticket goes onto that ticket, so the team
 * sees one history and the customer keeps one reference. Returns null when there is no such ticket.
 */
export async function addToActiveTicketForOrder(context: TurnContext, services: DialogServices, draft: ReportDraft): Promise<Ticket | null> {
  if (!draft.orderNumber) return null;
  const existing = await services.tickets.activeForOrder(customerOf(context), draft.orderNumber);
  if (!existing) return null;
  const updated = await services.tickets.addCustomerUpdate(existing.ref, draft.description ?? '', customerActor(context));
  const data = await services.conversationData.get(context, {});
  data.ticketRef = updated.ref;
  delete data.draft;
  return updated;
}

/** The ticket this conversation is about: the one it opened, else the customer's latest active one. */
export async function currentTicket(context: TurnContext, services: DialogServices): Promise<Ticket | null> {
  const data = await services.conversationData.get(context, {});
  const customer = customerOf(context);
  if (data.ticketRef) {
    const ticket = await services.tickets.getForCustomer(data.ticketRef, customer);
    if (ticket && isActive(ticket.status)) return ticket;
    if (threadTicketOf(context, data)) return null;
  }
  return services.tickets.latestActiveForCustomer(customer);
}

/** "agent": records the request on the current ticket, or on a new one holding what we have so far; `preface` is said before the handoff answer. */
export async function requestHuman(context: TurnContext, services: DialogServices, reason: string, preface?: string): Promise<void> {
  const existing = await currentTicket(context, services);
  let ticket: Ticket;
  if (existing) {
    ticket = await services.tickets.requestHuman(existing.ref, reason, customerActor(context));
    (await services.conversationData.get(context, {})).ticketRef = ticket.ref;
  } else {
    const data = await services.conversationData.get(context, {});
    ticket = await openTicket(context, services, data.draft ?? {}, reason);
  }
  const answer = await services.handoff.request(ticket, reason);
  // `preface` (the acknowledgement in the customer's language) and the handoff answer go as one message.
  await context.sendActivity(preface ? `${preface}\n\n${answer}` : answer);
}

const WANTS_STATUS = Symbol('wantsStatus');

/**
 * Whether a message detected as "status" really asks for one: "where is my order" from a customer who has
 * no ticket at all is their problem (the order has not come), so the dialog takes it as a report instead.
 */
export async function wantsStatus(context: TurnContext, services: DialogServices): Promise<boolean> {
  if (!asksAboutOrderOnly(context.activity.text, services.ticketPrefix)) return true;
  // The greeting (MainDialog.opening) and the dialog both ask this of one message: one store read per turn.
  const known = context.turnState.get(WANTS_STATUS) as boolean | undefined;
  if (known !== undefined) return known;
  const [anyTicket] = await services.tickets.listForCustomer(customerOf(context), 1);
  context.turnState.set(WANTS_STATUS, anyTicket !== undefined);
  return anyTicket !== undefined;
}

/** "status" / "where is CS-7K3M9Q": only ever the customer's own tickets. */
export async function replyWithStatus(context: TurnContext, services: DialogServices): Promise<void> {
  const customer = customerOf(context);
  const asked = findTicketRef(context.activity.text ?? '', services.ticketPrefix);
  if (asked) {
    const ticket = await services.tickets.getForCustomer(asked, customer);
    await context.sendActivity(ticket ? say.ticketStatus(ticket) : say.ticketNotFound(asked));
    return;
  }
  const tickets = await services.tickets.listForCustomer(customer, 3);
  if (tickets.length === 0) {
    await context.sendActivity(say.noTickets);
    return;
  }
  await context.sendActivity(tickets.map((ticket) => say.ticketStatus(ticket)).join('\n\n'));
}
