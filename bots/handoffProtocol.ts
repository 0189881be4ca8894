/**
 * The SDK side of the external-hub port: builds `handoff.initiate` with botbuilder's EventFactory (the
 * transcript attached as a Bot Framework Transcript) and sends it into the customer's conversation.
 */
import { type Activity, type ConversationReference, EventFactory, type TurnContext } from 'botbuilder';
import type { HandoffHub, HubContext } from '../services/handoff/protocol';
import type { ConversationRecord, TranscriptEntry } from '../services/tickets/types';
import { referenceOf } from './proactiveSender';

type Continue = (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

export class BotFrameworkHandoffHub implements HandoffHub {
  constructor(private readonly continueConversation: Continue) {}

  async initiate(conversation: ConversationRecord, context: HubContext, transcript: TranscriptEntry[]): Promise<void> {
    await this.continueConversation(referenceOf(conversation), async (turn) => {
      const activities = transcript.map((entry) => transcriptActivity(entry, conversation));
      await turn.sendActivity(EventFactory.createHandoffInitiation(turn, context, { activities }));
    });
  }
}

function transcriptActivity(entry: TranscriptEntry, conversation: ConversationRecord): Activity {
  const customer = { id: conversation.userId, name: conversation.userName ?? '', role: 'user' };
  const us = { id: entry.actor.kind === 'agent' ? entry.actor.id : conversation.botId, name: entry.actor.name ?? conversation.botName ?? '', role: 'bot' };
  return {
    type: 'message',
    text: entry.text,
    timestamp: new Date(entry.at),
    from: entry.direction === 'in' ? customer : us,
    recipient: entry.direction === 'in' ? us : customer,
    conversation: { id: conversation.conversationId, isGroup: false, conversationType: 'personal', name: '' },
    channelId: conversation.channelId,
  } as Activity;
}
