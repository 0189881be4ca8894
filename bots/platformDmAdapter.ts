/**
 * A platform's direct messages (X, Instagram) as a Bot Framework adapter, so they run through the same
 * middleware, bot and dialogs as every other channel. The four verbs: verify (done at the webhook door),
 * to-activity (`processDirectMessage`), from-activity (`sendActivities` → the platform's DmSender),
 * continue (`continueConversation`). What differs per platform comes in as options.
 */
import {
  type Activity,
  ActivityTypes,
  BotAdapter,
  type ConversationReference,
  type Middleware,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder';
import { OutcomeUnknownError } from '../services/followUps/outcomeUnknown';
import { isOutcomeUnknown, PlatformError } from '../services/social/platformHttp';
import type { DirectMessage, DmSender, OutgoingDm } from '../services/social/types';

export interface PlatformDmAdapterOptions {
  /** The activity's channelId (`x`, `instagram`); the ProactiveSender finds this adapter by it. */
  channelId: string;
  sender: DmSender;
  /** The platform's conversation id for a one-to-one DM between the customer and the brand. */
  conversationId: (senderId: string, brandUserId: string) => string;
  brandUserId: string;
  brandName: string;
  /** Stored as the conversation's serviceUrl (the platform API base); informational for these channels. */
  serviceUrl: string;
  middleware?: Middleware[];
}

export class PlatformDmAdapter extends BotAdapter {
  constructor(private readonly options: PlatformDmAdapterOptions) {
    super();
    for (const middleware of options.middleware ?? []) this.use(middleware);
  }

  get channelId(): string {
    return this.options.channelId;
  }

  /** The conversation a DM from this sender belongs to (for ordering turns and finding the directory entry). */
  conversationIdOf(senderId: string): string {
    return this.options.conversationId(senderId, this.options.brandUserId);
  }

  /** One inbound DM → one turn. The activity id is the platform's message id, so a redelivery is dropped by middleware. */
  async processDirectMessage(dm: DirectMessage, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const isEvent = dm.kind === 'event';
    const activity: Partial<Activity> = {
      type: isEvent ? ActivityTypes.Event : ActivityTypes.Message,
      ...(isEvent && { name: dm.referral ? 'referral' : 'postback' }),
      id: dm.eventId,
      channelId: this.options.channelId,
      serviceUrl: this.options.serviceUrl,
      timestamp: dm.sentAt,
      localTimestamp: dm.sentAt,
      from: { id: dm.senderId, name: dm.senderName ?? dm.senderHandle ?? '' },
      recipient: { id: this.options.brandUserId, name: this.options.brandName },
      conversation: { id: this.conversationIdOf(dm.senderId), isGroup: false, conversationType: 'personal', name: '' },
      ...(!isEvent && { text: dm.text }),
      ...(dm.files?.length && { attachments: dm.files.map((file) => ({ contentType: file.type, ...(file.url && { contentUrl: file.url }) })) }),
      // Where the DM-link interceptor reads a referral on Messenger: `referral.ref`, or `postback.referral.ref`.
      channelData: {
        sender: { id: dm.senderId },
        recipient: { id: dm.recipientId },
        ...(dm.senderHandle && { senderHandle: dm.senderHandle }),
        ...(dm.referral && (dm.postback ? { postback: { ...dm.postback, referral: dm.referral } } : { referral: dm.referral })),
        ...(dm.postback && !dm.referral && { postback: dm.postback }),
      },
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
      const message = activity.type === ActivityTypes.Message ? outgoingOf(activity) : undefined;
      // Typing indicators, events and empty messages have no DM counterpart.
      if (!message) {
        responses.push({ id: '' });
        continue;
      }
      const recipient = activity.recipient?.id ?? context.activity.from?.id;
      if (!recipient) throw new Error(`${this.options.channelId} DM without a recipient`);
      try {
        responses.push(await this.options.sender.send(recipient, message));
      } catch (error) {
        // It may have arrived: callers (follow-ups, agent replies) must never send it again.
        if (isOutcomeUnknown(error) || (error instanceof PlatformError && error.code === 'PLATFORM_OUTCOME_UNKNOWN')) {
          throw new OutcomeUnknownError(`${this.options.channelId} DM: ${(error as Error).message}`, { cause: error });
        }
        throw error;
      }
    }
    return responses;
  }

  async updateActivity(): Promise<void> {
    throw new Error(`${this.options.channelId} direct messages cannot be edited`);
  }

  async deleteActivity(): Promise<void> {
    throw new Error(`${this.options.channelId} direct messages cannot be deleted by the bot`);
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

/** A message activity → what the platform sender formats; undefined when there is nothing to say. */
export function outgoingOf(activity: Partial<Activity>): OutgoingDm | undefined {
  const text = (activity.text ?? '').trim();
  const choices = (activity.suggestedActions?.actions ?? [])
    .map((action) => ({ title: action.title ?? String(action.value ?? ''), value: String(action.value ?? action.title ?? '') }))
    .filter((choice) => choice.title);
  if (!text && choices.length === 0) return undefined;
  const tag = (activity.channelData as { tag?: unknown } | undefined)?.tag === 'HUMAN_AGENT' ? ('HUMAN_AGENT' as const) : undefined;
  return { text, choices, ...(tag && { tag }) };
}
