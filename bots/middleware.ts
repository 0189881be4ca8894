/** Turn middleware: drop channel retries, keep the transcript, keep the conversation directory fresh. */
import type { Activity, Middleware, ResourceResponse, TurnContext } from 'botbuilder';
import type { Clock } from '../services/clock';
import type { ConversationDirectory } from '../services/conversations';
import type { Collection, Document } from '../services/store/types';
import { isDuplicateKey } from '../services/store/types';
import type { Transcripts } from '../services/tickets/transcript';
import { actorOfCustomer } from '../services/tickets/transcript';
import { BOT_ACTOR } from '../services/tickets/types';
import { activityKey, conversationRecordOf } from '../dialogs/turnFacts';

export interface ProcessedActivity extends Document {
  at: Date;
}

/** A channel that retries an activity (same id) gets no second answer and opens no second ticket. */
export class DropRetriedActivities implements Middleware {
  constructor(
    private readonly processed: Collection<ProcessedActivity>,
    private readonly clock: Clock,
  ) {}

  /** Channels retry within minutes; keys older than that only cost memory and disk. */
  async forgetOlderThan(cutoff: Date): Promise<number> {
    return this.processed.deleteMany({ at: { $lt: cutoff } });
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const key = context.activity.type === 'message' || context.activity.type === 'event' ? activityKey(context) : undefined;
    if (key) {
      try {
        await this.processed.insertOne({ _id: key, at: this.clock.now() });
      } catch (error) {
        if (isDuplicateKey(error)) return;
        throw error;
      }
    }
    try {
      await next();
    } catch (error) {
      // A turn that failed did not do its work: let the channel's retry of this activity through.
      if (key) await this.processed.deleteOne({ _id: key }).catch(() => undefined);
      throw error;
    }
  }
}

/** Records both sides of every message, and where the customer can be reached. */
export class RecordConversation implements Middleware {
  constructor(
    private readonly transcripts: Transcripts,
    private readonly directory: ConversationDirectory,
    private readonly clock: Clock,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type === 'message') {
      const now = this.clock.now();
      // Two collections, two independent writes: no reason to wait for one before starting the other.
      await Promise.all([
        this.directory.touch(conversationRecordOf(context, now), now),
        this.transcripts.record({
          conversationId: activity.conversation.id,
          channelId: activity.channelId,
          direction: 'in',
          actor: actorOfCustomer(activity.from.id, activity.from.name),
          text: activity.text ?? '',
          ...(activity.attachments?.length && { attachments: activity.attachments.length }),
          ...(activity.id && { activityId: activity.id }),
          at: now,
        }),
      ]);
      context.onSendActivities(async (ctx, activities, sendNext) => {
        const responses: ResourceResponse[] = await sendNext();
        await this.recordOutbound(ctx, activities);
        return responses;
      });
    }
    await next();
  }

  private async recordOutbound(context: TurnContext, activities: Partial<Activity>[]): Promise<void> {
    for (const sent of activities) {
      if (sent.type !== 'message' || !sent.text) continue;
      await this.transcripts.record({
        conversationId: context.activity.conversation.id,
        channelId: context.activity.channelId,
        direction: 'out',
        actor: BOT_ACTOR,
        text: sent.text,
      });
    }
  }
}
