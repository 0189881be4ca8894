/**
 * Deletions and edits of archived posts. X's developer terms require honouring deletions, and a customer
 * who takes a post down expects it gone: the archive keeps ids and counts but not the words, and a reply
 * not yet sent is cancelled. An edit replaces the archived text.
 */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Collection } from '../store/types';
import type { TicketService } from '../tickets/ticketService';
import { SYSTEM_ACTOR } from '../tickets/types';
import { authorKeyOf, type ReplyAuthorClaims } from './replyAuthors';
import type { ReplyQueue } from './replyQueue';
import { postKeyOf, type SocialPlatform, type SocialPostRecord } from './types';

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

export interface PostChangesOptions {
  posts: Collection<SocialPostRecord>;
  queue: ReplyQueue;
  clock: Clock;
  logger: Logger;
  /** One public reply per author per window: a deleted post that was never answered frees its author's claim. */
  replyAuthors?: ReplyAuthorClaims;
  /** The ticket a post became keeps a copy of the post, which goes too (the ticket's own description stays). */
  tickets?: Pick<TicketService, 'mutate'>;
}

export class PostChanges {
  constructor(private readonly options: PostChangesOptions) {}

  /** True when an archived post was marked deleted (a post we never archived has nothing to forget). */
  async delete(deletion: PostDeletion): Promise<boolean> {
    const { posts, queue, clock, logger } = this.options;
    const key = postKeyOf(deletion.platform, deletion.postId);
    const record = await posts.findOne({ _id: key });
    if (!record) return false;
    if (deletion.authorId && deletion.authorId !== record.author.id) {
      logger.warn({ postKey: key }, 'deletion ignored: it names another author than the archived post');
      return false;
    }
    await posts.updateOne({ _id: key }, { $set: { text: '', deletedAt: record.deletedAt ?? clock.now() } });
    // Placeholders only for the replies the post was to get (ids archived at intake); none for a post never to be answered.
    const cancelled = await queue.cancelFor(key, record.replyJobIds ?? [], deletion.platform);
    // The author was never answered: their next post may be.
    if (record.linkId && this.options.replyAuthors && !(await queue.wentOut(key))) {
      await this.options.replyAuthors.release(authorKeyOf(deletion.platform, record.author.id), record.linkId);
    }
    if (record.ticketRef && this.options.tickets) await this.forgetOnTicket(record.ticketRef);
    logger.info({ postKey: key, cancelledReplies: cancelled }, 'post deleted by its author: text removed from the archive');
    return true;
  }

  private async forgetOnTicket(ref: string): Promise<void> {
    await this.options.tickets!.mutate(ref, SYSTEM_ACTOR, 'ticket.public_post_deleted', (ticket) =>
      ticket.publicPost?.text ? { patch: { publicPost: { ...ticket.publicPost, text: '' } }, note: 'The customer deleted the public post; its text was removed from the ticket.' } : null,
    );
  }

  /** True when an archived, not deleted post took the new text. */
  async edit(edit: PostEdit): Promise<boolean> {
    const key = postKeyOf(edit.platform, edit.postId);
    const { matchedCount } = await this.options.posts.updateOne({ _id: key, deletedAt: { $exists: false } }, { $set: { text: edit.text, editedAt: this.options.clock.now() } });
    return matchedCount > 0;
  }
}
