/**
 * Links a DM conversation to the public post that brought the customer: from a signed DM-link token,
 * or, without one, from a post by the same platform user that needed care in the last few days.
 * What comes back is the ticket's PublicPostSummary plus the gist the bot opens with.
 */
import type { Clock } from '../clock';
import { DAY } from '../clock';
import type { Collection } from '../store/types';
import type { PublicPostSummary } from '../tickets/types';
import { gistOf, platformName } from './publicReply';
import type { RefTokens } from './refToken';
import { postKeyOf, summaryOf, type SocialPlatform, type SocialPostRecord } from './types';

export interface LinkedPost {
  post: PublicPostSummary;
  /** "your delivery ("SMS says my parcel…")": personal data already redacted. */
  gist: string;
  platformName: string;
  via: 'token' | 'recent_post';
}

export interface DmLinksOptions {
  posts: Collection<SocialPostRecord>;
  tokens: RefTokens;
  clock: Clock;
  recentDays: number;
  redact: (text: string) => string;
}

export class DmLinks {
  constructor(private readonly options: DmLinksOptions) {}

  /** Undefined for a forged, expired or unknown token: the caller carries on as if there were none. */
  async fromToken(token: string | undefined): Promise<LinkedPost | undefined> {
    const linkId = this.options.tokens.verify(token, this.options.clock.now());
    if (!linkId) return undefined;
    const record = await this.options.posts.findOne({ linkId });
    return record ? this.linked(record, 'token') : undefined;
  }

  /** The latest post needing care by this platform user, recent enough and not yet on a ticket. */
  async recentBy(platform: SocialPlatform, authorId: string): Promise<LinkedPost | undefined> {
    if (this.options.recentDays <= 0) return undefined;
    const since = new Date(this.options.clock.now().getTime() - this.options.recentDays * DAY);
    const [record] = await this.options.posts.find(
      { platform, 'author.id': authorId, 'triage.decision': 'needs_care', receivedAt: { $gte: since }, ticketRef: { $exists: false } },
      { sort: { receivedAt: -1 }, limit: 1 },
    );
    return record ? this.linked(record, 'recent_post') : undefined;
  }

  async markDmLinked(post: PublicPostSummary): Promise<void> {
    await this.options.posts.updateOne({ _id: postKeyOf(post.platform, post.postId) }, { $set: { dmLinkedAt: this.options.clock.now() } });
  }

  /** Called when a ticket holding the post opens, so the archive (and listening) knows the outcome. */
  async linkTicket(post: PublicPostSummary, ticketRef: string): Promise<void> {
    await this.options.posts.updateOne({ _id: postKeyOf(post.platform, post.postId) }, { $set: { ticketRef } });
  }

  private linked(record: SocialPostRecord, via: LinkedPost['via']): LinkedPost {
    return { post: summaryOf(record), gist: gistOf(record.text, record.topics.subjects, this.options.redact), platformName: platformName(record.platform), via };
  }
}
