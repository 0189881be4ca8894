/**
 * Deletions and edits of archived posts. X's developer terms require honouring deletions, and a customer
 * who takes a post down expects it gone: the archive keeps ids and counts but not the words, and a reply
 * not yet sent is cancelled. An edit replaces the archived text, and one that re-triages as nothing to answer
 * ("UPDATE: it arrived, thanks!") cancels the replies not sent yet.
 */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Collection } from '../store/types';
import type { TicketService } from '../tickets/ticketService';
import { SYSTEM_ACTOR } from '../tickets/types';
import { newLinkId } from './refToken';
import { authorKeyOf, type ReplyAuthorClaims } from './replyAuthors';
import type { ReplyQueue } from './replyQueue';
import type { Triage } from './triage';
import { postKeyOf, summaryOf, type SocialPlatform, type SocialPostRecord } from './types';
import { ERASED } from '../privacy/registry';

export interface PostDeletion {
  platform: SocialPlatform;
  postId: string;
  /** When the platform names the author, a deletion is honoured only for that author's post. */
  authorId?: string;
}

export interface PostEdit {
  platform: SocialPlatform;
  postId: string;
  text: string;
  /** The edit's own time, when the webhook gives one (never the original post's): the replay age rule reads it. */
  eventAt?: Date;
}

/** The brand replied to a post from its own account: by hand (a person on the team), or our queued reply coming back. */
export interface BrandAnswer {
  platform: SocialPlatform;
  /** The post the brand answered. */
  postId: string;
  /** The brand's reply's own id (to tell our queued reply coming back from a person's). */
  answerId?: string;
  eventAt?: Date;
}

export interface PostChangesOptions {
  posts: Collection<SocialPostRecord>;
  queue: ReplyQueue;
  clock: Clock;
  logger: Logger;
  /** One public reply per author per window: a deleted post that was never answered frees its author's claim. */
  replyAuthors?: ReplyAuthorClaims;
  /** The ticket a post became keeps a copy of the post, which goes too (the ticket's own description stays). */
  tickets?: Pick<TicketService, 'mutate'>;
  /** Re-reads an edited post: one that no longer needs care gets none of its unsent replies. Absent = edits only replace the text. */
  triage?: Pick<Triage, 'decide' | 'rulesVersion'>;
}

export class PostChanges {
  constructor(private readonly options: PostChangesOptions) {}

  /** True when an archived post was marked deleted (a post we never archived has nothing to forget). */
  async delete(deletion: PostDeletion): Promise<boolean> {
    const { posts, clock, logger } = this.options;
    const key = postKeyOf(deletion.platform, deletion.postId);
    const record = await posts.findOne({ _id: key });
    if (!record) return false;
    if (deletion.authorId && deletion.authorId !== record.author.id) {
      logger.warn({ postKey: key }, 'deletion ignored: it names another author than the archived post');
      return false;
    }
    await posts.updateOne({ _id: key }, { $set: { text: '', deletedAt: record.deletedAt ?? clock.now() } });
    const cancelled = await this.withdrawReplies(record, 'the post was deleted');
    if (record.ticketRef && this.options.tickets) await this.forgetOnTicket(record.ticketRef);
    logger.info({ postKey: key, cancelledReplies: cancelled }, 'post deleted by its author: text removed from the archive');
    return true;
  }

  private async forgetOnTicket(ref: string): Promise<void> {
    await this.options.tickets!.mutate(ref, SYSTEM_ACTOR, 'ticket.public_post_deleted', (ticket) =>
      ticket.publicPost?.text ? { patch: { publicPost: { ...ticket.publicPost, text: '' } }, note: 'The customer deleted the public post; its text was removed from the ticket.' } : null,
    );
  }

  /**
   * A person on the team answered the post by hand from the brand's account: the bot's replies not sent yet
   * are cancelled (no second, canned answer under theirs), and the author counts as answered for the
   * once-per-author window, so their next posts in the thread are left to that person too.
   * True when it was a person's answer to an archived post.
   */
  async answeredByBrand(answer: BrandAnswer): Promise<boolean> {
    const { posts, queue, clock, logger } = this.options;
    const key = postKeyOf(answer.platform, answer.postId);
    const record = await posts.findOne({ _id: key });
    if (!record || (answer.answerId && (await queue.isOurReply(key, answer.answerId)))) return false;
    await posts.updateOne({ _id: key, answeredByHandAt: { $exists: false } }, { $set: { answeredByHandAt: clock.now() } });
    const cancelled = await queue.cancelFor(key, record.replyJobIds ?? [], answer.platform, 'the team answered the post by hand');
    await this.options.replyAuthors?.claim(authorKeyOf(answer.platform, record.author.id), key, record.linkId ?? newLinkId());
    logger.info({ postKey: key, cancelledReplies: cancelled }, 'post answered by hand from the brand account: the bot stays out of it');
    return true;
  }

  /** True when an archived, not deleted post took the new text. */
  async edit(edit: PostEdit): Promise<boolean> {
    const key = postKeyOf(edit.platform, edit.postId);
    // An erased post keeps only its key: an edit must not write its author's words back into it.
    const record = await this.options.posts.findOneAndUpdate({ _id: key, deletedAt: { $exists: false }, text: { $ne: ERASED } }, { $set: { text: edit.text, editedAt: this.options.clock.now() } });
    if (record) await this.retriageEdited(record);
    return record !== null;
  }

  /**
   * "UPDATE: it arrived, thanks!": a post that needed care and now reads as praise or noise gets none of its
   * unsent replies (one already sent stays), the archive records why, and its author, never answered, may be
   * answered on their next post. An edit that still complains keeps its reply.
   */
  private async retriageEdited(record: SocialPostRecord): Promise<void> {
    const { posts, clock, logger, triage } = this.options;
    const key = record._id;
    if (!triage || record.triage.decision !== 'needs_care') return;
    // The original reached the brand; an edit that drops the @mention does not make it someone else's post.
    const verdict = triage.decide({ ...summaryOf(record), text: latestWords(record.text), onBrandSurface: true, hashtags: record.topics.hashtags });
    if (verdict.decision === 'needs_care') return;
    const reason = `the author edited the post into ${verdict.decision} (${verdict.reason})`;
    const cancelled = await this.withdrawReplies(record, reason);
    await posts.updateOne(
      { _id: key },
      {
        $set: {
          triage: { decision: verdict.decision, reason: verdict.reason, rulesVersion: triage.rulesVersion },
          topics: verdict.topics,
          sentiment: verdict.sentiment,
          repliesCancelledByEdit: { at: clock.now(), reason, was: record.triage.decision },
        },
      },
    );
    logger.info({ postKey: key, cancelledReplies: cancelled, decision: verdict.decision }, 'post edited into nothing to answer: its unsent replies were cancelled');
  }

  /**
   * The post is not to be answered after all (deleted, or edited into nothing to answer): its unsent replies are
   * cancelled, with placeholders only for the ones it was to get (ids archived at intake), and an author never
   * answered gets their once-per-author claim back, so their next post may be. Returns how many were cancelled.
   */
  private async withdrawReplies(record: SocialPostRecord, reason: string): Promise<number> {
    const { queue, replyAuthors } = this.options;
    const cancelled = await queue.cancelFor(record._id, record.replyJobIds ?? [], record.platform, reason);
    if (record.linkId && replyAuthors && !(await queue.wentOut(record._id))) await replyAuthors.release(authorKeyOf(record.platform, record.author.id), record.linkId);
    return cancelled;
  }
}

/** "…never arrived. UPDATE: it arrived, thanks!": what an edit says now is what follows its last "update:" marker. */
export function latestWords(text: string): string {
  const markers = [...text.matchAll(/\b(?:update|updated|edit|edited)\s*[:\-–—]/gi)];
  const last = markers.at(-1);
  const after = last ? text.slice(last.index + last[0].length).trim() : '';
  return after || text;
}
