/** Turn middleware: drop channel retries, keep the transcript, keep the conversation directory fresh. */
import type { Activity, Attachment, Middleware, ResourceResponse, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { ConversationData } from '../dialogs/dialogServices';
import type { Clock } from '../services/clock';
import type { ConversationDirectory } from '../services/conversations';
import type { Collection, Document } from '../services/store/types';
import { isDuplicateKey } from '../services/store/types';
import type { Transcripts } from '../services/tickets/transcript';
import { actorOfCustomer } from '../services/tickets/transcript';
import { BOT_ACTOR, type TranscriptFile } from '../services/tickets/types';
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

/**
 * Records both sides of every message, and where the customer can be reached. A line belongs to the
 * conversation's ticket as it stands when it is said, so a ticket's record (export, disputes) holds what was
 * said after it opened too; lines said while a new report is being gathered are linked when its ticket opens.
 */
export class RecordConversation implements Middleware {
  constructor(
    private readonly transcripts: Transcripts,
    private readonly directory: ConversationDirectory,
    private readonly conversationData: StatePropertyAccessor<ConversationData>,
    private readonly clock: Clock,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type === 'message') {
      const now = this.clock.now();
      const files = filesOf(activity.attachments);
      const filedUnder = await this.currentTicket(context);
      // Two collections, two independent writes: no reason to wait for one before starting the other.
      await Promise.all([
        this.directory.touch(conversationRecordOf(context, now), now),
        this.transcripts.record({
          conversationId: activity.conversation.id,
          channelId: activity.channelId,
          ...filedUnder,
          direction: 'in',
          actor: actorOfCustomer(activity.from.id, activity.from.name),
          text: activity.text ?? '',
          ...(files.length > 0 && { files }),
          ...(activity.id && { activityId: activity.id }),
          at: now,
        }),
      ]);
      context.onSendActivities(async (ctx, activities, sendNext) => {
        const responses: ResourceResponse[] = await sendNext();
        await this.recordOutbound(ctx, activities);
        return responses;
      });
      await next();
      // This message began a new report: it belongs to the ticket that report will open, not to the last one.
      if (filedUnder.ticketRef && activity.id && (await this.currentTicket(context)).ticketRef === undefined) {
        await this.transcripts.unlinkLine(activity.conversation.id, activity.id);
      }
      return;
    }
    await next();
  }

  /** The conversation's ticket, unless a new report is under way (its lines wait for its own ticket). */
  private async currentTicket(context: TurnContext): Promise<{ ticketRef?: string }> {
    const data = await this.conversationData.get(context, {});
    return data.ticketRef && !data.draft ? { ticketRef: data.ticketRef } : {};
  }

  private async recordOutbound(context: TurnContext, activities: Partial<Activity>[]): Promise<void> {
    const filedUnder = await this.currentTicket(context);
    for (const sent of activities) {
      if (sent.type !== 'message' || !sent.text) continue;
      await this.transcripts.record({
        conversationId: context.activity.conversation.id,
        channelId: context.activity.channelId,
        ...filedUnder,
        direction: 'out',
        actor: BOT_ACTOR,
        text: sent.text,
      });
    }
  }
}

/** Longest file link kept: channel links are short; anything longer is inline data, not a link. */
const MAX_FILE_URL = 2048;

function filesOf(attachments: Attachment[] | undefined): TranscriptFile[] {
  return (attachments ?? []).slice(0, 20).map((attachment) => {
    const url = attachment.contentUrl;
    return {
      contentType: String(attachment.contentType ?? 'application/octet-stream').slice(0, 200),
      ...(attachment.name && { name: String(attachment.name).slice(0, 300) }),
      ...(typeof url === 'string' && /^https?:\/\//i.test(url) && url.length <= MAX_FILE_URL && { url }),
    };
  });
}
