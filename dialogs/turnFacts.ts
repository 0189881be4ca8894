/** Facts about the current turn, translated from the SDK's activity into the domain's own records. */
import type { TurnContext } from 'botbuilder';
import { regionOfLocale, type CountryCode } from '../services/recognition/contact';
import type { ConversationRecord, CustomerIdentity } from '../services/tickets/types';

export function customerOf(context: TurnContext): CustomerIdentity {
  const { channelId, from } = context.activity;
  return { channelId, userId: from.id, ...(from.name && { name: from.name }) };
}

export function conversationRecordOf(context: TurnContext, at: Date): ConversationRecord {
  const { activity } = context;
  return {
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    conversationId: activity.conversation.id,
    userId: activity.from.id,
    ...(activity.from.name && { userName: activity.from.name }),
    botId: activity.recipient?.id ?? 'bot',
    ...(activity.recipient?.name && { botName: activity.recipient.name }),
    ...(activity.conversation.tenantId && { tenantId: activity.conversation.tenantId }),
    ...(activity.locale && { locale: activity.locale }),
    lastCustomerMessageAt: at,
  };
}

/** The country of the customer's device locale ("en-GB" → GB): their local phone numbers are read there too. */
export function customerRegionOf(context: TurnContext): CountryCode | undefined {
  return regionOfLocale(context.activity.locale);
}

/**
 * The ticket an e-mail thread is bound to: once a thread has one, nothing else answers in it (another thread's
 * ticket, or its survey, is answered in that thread). Other channels are not bound: undefined.
 */
export function threadTicketOf(context: TurnContext, data: { ticketRef?: string }): string | undefined {
  return context.activity.channelId === 'email' ? data.ticketRef : undefined;
}

/** The inbound activity's identity: a channel's retry of the same activity has the same key. */
export function activityKey(context: TurnContext): string | undefined {
  const { activity } = context;
  return activity.id ? `${activity.channelId}:${activity.conversation.id}:${activity.id}` : undefined;
}
