/**
 * Writes into a stored conversation outside a turn, through the adapter that owns its channel
 * (CloudAdapter for Azure Bot Service channels; others, such as the X DM adapter, register themselves).
 */
import { type BotAdapter, type ConversationReference, MessageFactory, type TurnContext } from 'botbuilder';
import { ChannelSendError, type ConversationSender, type OutboundMessage } from '../services/conversations';
import { OutcomeUnknownError } from '../services/followUps/outcomeUnknown';
import type { ConversationRecord } from '../services/tickets/types';

export function referenceOf(record: ConversationRecord): Partial<ConversationReference> {
  return {
    channelId: record.channelId,
    serviceUrl: record.serviceUrl,
    conversation: { id: record.conversationId, isGroup: false, conversationType: 'personal', name: '', ...(record.tenantId && { tenantId: record.tenantId }) },
    user: { id: record.userId, name: record.userName ?? '' },
    bot: { id: record.botId, name: record.botName ?? '' },
    ...(record.locale && { locale: record.locale }),
  };
}

type Continue = (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

export class ProactiveSender implements ConversationSender {
  private readonly byChannel = new Map<string, Continue>();

  /** `fallback` continues conversations of every channel no adapter registered for (Azure Bot Service). */
  constructor(private readonly fallback: Continue) {}

  static forCloudAdapter(adapter: { continueConversationAsync(appId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> }, appId: string): ProactiveSender {
    return new ProactiveSender((reference, logic) => adapter.continueConversationAsync(appId, reference, logic));
  }

  register(channelId: string, adapter: Pick<BotAdapter, 'continueConversation'>): void {
    this.byChannel.set(channelId, (reference, logic) => adapter.continueConversation(reference, logic));
  }

  async send(conversation: ConversationRecord, message: OutboundMessage): Promise<{ activityId?: string }> {
    const activity = message.suggestions?.length ? MessageFactory.suggestedActions(message.suggestions, message.text) : MessageFactory.text(message.text);
    // Messenger (through the Bot Connector) and the Instagram adapter both read Meta's tag from channelData.
    if (message.tag) activity.channelData = { messaging_type: 'MESSAGE_TAG', tag: message.tag };
    let activityId: string | undefined;
    await this.continueWith(conversation, async (context) => {
      activityId = (await context.sendActivity(activity))?.id;
    });
    return activityId ? { activityId } : {};
  }

  async typing(conversation: ConversationRecord): Promise<void> {
    await this.continueWith(conversation, async (context) => {
      await context.sendActivity({ type: 'typing' });
    }).catch(() => undefined);
  }

  private async continueWith(conversation: ConversationRecord, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const run = this.byChannel.get(conversation.channelId) ?? this.fallback;
    // Errors are caught inside the turn: the adapter would otherwise hand them to onTurnError and the caller
    // would never learn that the channel refused (403 blocked → fall back to e-mail).
    let failure: unknown;
    try {
      await run(referenceOf(conversation), async (context) => {
        try {
          await logic(context);
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure ??= error;
    }
    // A send that timed out may have arrived: its callers must not treat it as a failure worth retrying.
    if (failure instanceof OutcomeUnknownError) throw failure;
    if (failure !== undefined) throw toChannelSendError(failure);
  }
}

/** 403/404 mean the customer blocked us or the conversation is gone; 429/5xx/network errors are worth a retry. */
export function toChannelSendError(error: unknown): ChannelSendError {
  if (error instanceof ChannelSendError) return error;
  const status = (error as { statusCode?: number; status?: number })?.statusCode ?? (error as { status?: number })?.status;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 403 || status === 404) return new ChannelSendError('gone', status, message, { cause: error });
  if (status === undefined || status === 408 || status === 429 || status >= 500) return new ChannelSendError('transient', status, message, { cause: error });
  return new ChannelSendError('rejected', status, message, { cause: error });
}
