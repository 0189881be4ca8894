/**
 * Links a DM conversation to the public post that brought the customer: from a signed DM-link token,
 * or, without one, from a post by the same platform user that needed care in the last few days.
 * What comes back is the ticket's PublicPostSummary plus the gist the bot opens with. A later post by the same
 * author, opened in a DM whose ticket is still active, goes onto that ticket instead of starting another.
 */
import type { Clock } from '../clock';
import { DAY } from '../clock';
import type { Collection } from '../store/types';
import { isActive } from '../tickets/lifecycle';
import type { TicketService } from '../tickets/ticketService';
import type { Actor, CustomerIdentity, PublicPostSummary } from '../tickets/types';
import { gistOf, platformName } from './publicReply';
import type { RefTokens } from './refToken';
import { postKeyOf, summaryOf, type SocialPlatform, type SocialPostRecord } from './types';

export interface LinkedPost {
  post: PublicPostSummary;
  /** "your delivery ("SMS says my parcel…")": the author's own words, for their private DM only (never log it). */
  gist: string;
  platformName: string;
  via: 'token' | 'recent_post';
  /** The ticket the post is already on (its own, or an earlier one it was added to). */
  ticketRef?: string;
}

/** `added`: the post is now on the ticket; `already_added`: it was before; `not_active`: the ticket is resolved/closed (or not theirs); `elsewhere`: the post is on another ticket. */
export type AddedToTicket = 'added' | 'already_added' | 'not_active' | 'elsewhere';

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
  /** For adding a later post to the author's active ticket; the only writer of tickets. */
  tickets?: Pick<TicketService, 'getForCustomer' | 'addNote'>;
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

  /**
   * The author's new post, opened in the DM of their earlier ticket `ref`: while that ticket is active the post goes
   * onto it as an internal note (audited), and the archive records the ticket so the post is not taken up again.
   * The archive is claimed first (conditional write), so a second delivery adds no second note.
   */
  async addToActiveTicket(post: PublicPostSummary, ref: string, customer: Pick<CustomerIdentity, 'channelId' | 'userId'>, actor: Actor): Promise<AddedToTicket> {
    const { tickets, posts, clock } = this.options;
    const ticket = await tickets?.getForCustomer(ref, customer);
    if (!tickets || !ticket || !isActive(ticket.status)) return 'not_active';
    const key = postKeyOf(post.platform, post.postId);
    const { matchedCount } = await posts.updateOne({ _id: key, ticketRef: { $exists: false } }, { $set: { ticketRef: ref, dmLinkedAt: clock.now() } });
    if (matchedCount === 0) return (await posts.findOne({ _id: key }))?.ticketRef === ref ? 'already_added' : 'elsewhere';
    try {
      await tickets.addNote(ref, 'internal', newPostNote(post), actor);
    } catch (error) {
      // No note, no link: the channel's retry of this turn tries both again.
      await posts.updateOne({ _id: key, ticketRef: ref }, { $unset: { ticketRef: '' } }).catch(() => undefined);
      throw error;
    }
    return 'added';
  }

  private linked(record: SocialPostRecord, via: LinkedPost['via']): LinkedPost {
    return {
      post: summaryOf(record),
      gist: gistOf(record.text, record.topics.subjects),
      platformName: platformName(record.platform),
      via,
      ...(record.ticketRef && { ticketRef: record.ticketRef }),
    };
  }
}

/** What the team reads on the ticket: the new post in the customer's words, and where to find it. */
function newPostNote(post: PublicPostSummary): string {
  const where = post.url ? ` (${post.url})` : ` (post id ${post.postId})`;
  return `The customer posted again on ${platformName(post.platform)}${where}: "${post.text}"`;
}
