/**
 * The platform-DM channels (X, Instagram): one PlatformDmAdapter each, fed by the social area's webhooks,
 * registered with the ProactiveSender so follow-ups and agent replies reach those conversations.
 */
import type { ConversationState, Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Logger } from '../services/log';
import { conversationKey } from '../services/conversations';
import type { OneAtATime } from '../services/oneAtATime';
import { withoutBold } from '../services/social/messageParts';
import type { SocialArea } from '../services/social/wireSocial';
import type { DirectMessage, DmSender, OutgoingDm } from '../services/social/types';
import { installTurnErrorHandler } from './adapter';
import { PlatformDmAdapter } from './platformDmAdapter';
import type { ProactiveSender } from './proactiveSender';

export const X_CHANNEL_ID = 'x';
export const INSTAGRAM_CHANNEL_ID = 'instagram';

/** X's own id for a one-to-one DM conversation: both user ids, lower first. */
export function xConversationId(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

/** Instagram has no conversation id in its webhook: the customer's Instagram-scoped id and ours, like Messenger's `<psid>-<page>`. */
export function instagramConversationId(senderId: string, accountId: string): string {
  return `${senderId}-${accountId}`;
}

/** X DMs are plain text: markdown emphasis dropped, suggested replies written out. */
export function textForX(message: OutgoingDm): string {
  const text = withoutBold(message.text).trim();
  return message.choices.length > 0 ? `${text}\n\nReply with: ${message.choices.map((choice) => choice.title).join(' / ')}` : text;
}

export function xDmSender(client: { sendDirectMessage(participantId: string, text: string): Promise<{ id: string }> }): DmSender {
  return { send: (recipientId, message) => client.sendDirectMessage(recipientId, textForX(message)) };
}

export interface DmChannelsDeps {
  social: Pick<SocialArea, 'x' | 'instagram' | 'onDirectMessage'>;
  sender: ProactiveSender;
  turnsInOrder: OneAtATime;
  run: (context: TurnContext) => Promise<void>;
  brandName: string;
  serviceUrls: { x: string; instagram: string };
  logger: Logger;
  middleware: Middleware[];
  conversationState: ConversationState;
  dialogState: StatePropertyAccessor;
}

/** Builds the adapters for the platforms that can send DMs and routes each inbound DM to its own, in order per conversation. */
export function wireDmChannels(deps: DmChannelsDeps): Map<string, PlatformDmAdapter> {
  const { social, sender, turnsInOrder, run } = deps;
  const shared = { brandName: deps.brandName, middleware: deps.middleware };
  const adapters = new Map<DirectMessage['platform'], PlatformDmAdapter>();
  if (social.x) {
    adapters.set('x', new PlatformDmAdapter({ ...shared, channelId: X_CHANNEL_ID, sender: xDmSender(social.x.client), conversationId: xConversationId, brandUserId: social.x.brandUserId, serviceUrl: deps.serviceUrls.x }));
  }
  if (social.instagram) {
    adapters.set('instagram', new PlatformDmAdapter({ ...shared, channelId: INSTAGRAM_CHANNEL_ID, sender: social.instagram.sender, conversationId: instagramConversationId, brandUserId: social.instagram.accountId, serviceUrl: deps.serviceUrls.instagram }));
  }
  for (const adapter of adapters.values()) {
    installTurnErrorHandler(adapter, deps.logger, deps.conversationState, deps.dialogState);
    sender.register(adapter.channelId, adapter);
  }
  social.onDirectMessage(async (dm) => {
    const adapter = adapters.get(dm.platform);
    if (!adapter) return false;
    await turnsInOrder.run(conversationKey(adapter.channelId, adapter.conversationIdOf(dm.senderId)), () => adapter.processDirectMessage(dm, run));
    return true;
  });
  return adapters;
}
