/**
 * X direct messages as a Bot Framework adapter, so they run through the same middleware, bot and dialogs
 * as every other channel (channelId `x`). The four verbs: verify (done at the webhook door), to-activity
 * (`processDirectMessage`), from-activity (`sendActivities` → X DM endpoint), continue (`continueConversation`).
 */
import {
  type Activity,
  ActivityTypes,
  BotAdapter,
  type ConversationReference,
  type ConversationState,
  type Middleware,
  type ResourceResponse,
  type StatePropertyAccessor,
  TurnContext,
} from 'botbuilder';
import type { Logger } from '../services/log';
import type { DirectMessage } from '../services/social/types';
import { say } from '../dialogs/messages';

export const X_CHANNEL_ID = 'x';

/** The one call the adapter needs from the X API client. */
export interface XDmSender {
  sendDirectMessage(participantId: string, text: string): Promise<{ id: string }>;
}

export interface XDmAdapterOptions {
  client: XDmSender;
  brandUserId: string;
  brandName: string;
  /** Stored as the conversation's serviceUrl (the X API base); informational for this channel. */
  serviceUrl: string;
  logger: Logger;
  middleware?: Middleware[];
  /** For the turn-error handler: clear a broken dialog stack like the CloudAdapter's handler does. */
  conversationState?: ConversationState;
  dialogState?: StatePropertyAccessor;
}

/** X's own id for a one-to-one DM conversation: both user ids, lower first. */
export function xConversationId(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

export class XDmAdapter extends BotAdapter {
  constructor(private readonly options: XDmAdapterOptions) {
    super();
    for (const middleware of options.middleware ?? []) this.use(middleware);
    this.onTurnError = async (context, error) => {
      options.logger.error({ err: error, channelId: X_CHANNEL_ID, activityType: context.activity.type }, 'turn failed');
      try {
        if (context.activity.type === ActivityTypes.Message) await context.sendActivity(say.turnError);
        if (options.dialogState) await options.dialogState.delete(context);
        await options.conversationState?.saveChanges(context, true);
      } catch (cleanupError) {
        options.logger.error({ err: cleanupError }, 'could not clean up after a failed turn');
      }
    };
  }

  /** One inbound DM → one turn. The activity id is the DM event id, so a redelivery is dropped by middleware. */
  async processDirectMessage(dm: DirectMessage, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      id: dm.eventId,
      channelId: X_CHANNEL_ID,
      serviceUrl: this.options.serviceUrl,
      timestamp: dm.sentAt,
      localTimestamp: dm.sentAt,
      from: { id: dm.senderId, name: dm.senderName ?? dm.senderHandle ?? '' },
      recipient: { id: this.options.brandUserId, name: this.options.brandName },
      conversation: { id: xConversationId(dm.senderId, this.options.brandUserId), isGroup: false, conversationType: 'personal', name: '' },
      text: dm.text,
      channelData: { ...(dm.senderHandle && { senderHandle: dm.senderHandle }) },
    };
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await new Promise((resolve) => setTimeout(resolve, typeof activity.value === 'number' ? activity.value : 1000));
        responses.push({ id: '' });
        continue;
      }
      const text = activity.type === ActivityTypes.Message ? textForX(activity) : '';
      // Typing indicators, events and empty messages have no X DM counterpart.
      if (!text) {
        responses.push({ id: '' });
        continue;
      }
      const recipient = activity.recipient?.id ?? context.activity.from?.id;
      if (!recipient) throw new Error('X DM without a recipient');
      const { id } = await this.options.client.sendDirectMessage(recipient, text);
      responses.push({ id });
    }
    return responses;
  }

  async updateActivity(): Promise<void> {
    throw new Error('X direct messages cannot be edited');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('X direct messages cannot be deleted by the bot');
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

/** X DMs are plain text: markdown emphasis dropped, suggested replies written out. */
export function textForX(activity: Partial<Activity>): string {
  const text = (activity.text ?? '').replace(/\*\*(.+?)\*\*/g, '$1').trim();
  const choices = (activity.suggestedActions?.actions ?? []).map((action) => action.title ?? String(action.value ?? '')).filter(Boolean);
  return choices.length > 0 ? `${text}\n\nReply with: ${choices.join(' / ')}` : text;
}
