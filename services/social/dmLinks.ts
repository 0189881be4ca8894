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

/** Who opened the DM: the platform whose user ids the channel carries (if any) and the sender's id there. */
export interface TokenSender {
  platform?: SocialPlatform;
  userId?: string;
}

/** `not_author`: a valid token in someone else's hands; `unverifiable`: the sender's id cannot be compared with the author's. */
export type TokenLink =
  | { status: 'linked'; linked: LinkedPost }
  | { status: 'invalid' }
  | { status: 'not_author' | 'unverifiable'; platform: SocialPlatform };

export interface DmLinksOptions {
  posts: Collection<SocialPostRecord>;
  tokens: RefTokens;
  clock: Clock;
  recentDays: number;
  redact: (text: string) => string;
}

export class DmLinks {
  constructor(private readonly options: DmLinksOptions) {}

  /**
   * A token links only for the post's own author: on X the token is in a public reply, so anyone can copy
   * it. `sender.platform` is the platform whose user ids the DM channel carries (undefined when its ids
   * are not the platform's: Web Chat, Teams…). Anything short of "same platform, same user id" links
   * nothing and reveals nothing of the post.
   */
  async fromToken(token: string | undefined, sender: TokenSender): Promise<TokenLink> {
    const linkId = this.options.tokens.verify(token, this.options.clock.now());
    if (!linkId) return { status: 'invalid' };
    const record = await this.options.posts.findOne({ linkId });
    if (!record) return { status: 'invalid' };
    if (!sender.platform || !sender.userId || sender.platform !== record.platform) return { status: 'unverifiable', platform: record.platform };
    if (sender.userId !== record.author.id) return { status: 'not_author', platform: record.platform };
    return { status: 'linked', linked: this.linked(record, 'token') };
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
