/**
 * Brings the public post into the DM. Looks for a DM-link token in the first X DM text or in Messenger's
 * referral (`channelData.referral.ref` / `channelData.postback.referral.ref`, on any activity type); with
 * none, a first DM from someone whose public post needed care in the last days links to that post.
 * A valid link puts the post into `conversationData.publicPost` and opens with its context; a message
 * then goes on to the dialogs (which start the report from the post), an event turn ends here.
 * A forged or expired token is ignored: the conversation simply starts as usual. So is a valid token from
 * anyone but the post's author (on X the token sits in a public reply): they never see the post.
 * The author's later post, opened in a conversation that already has a ticket: onto that ticket while it is
 * active, else a new report from the new post, as a first post starts one.
 */
import type { TurnContext } from 'botbuilder';
import type { ConversationData } from '../dialogs/dialogServices';
import { looksLikeDescription } from '../dialogs/draftFromText';
import { say } from '../dialogs/messages';
import type { Logger } from '../services/log';
import { actorOfCustomer } from '../services/tickets/transcript';
import type { DmLinks, LinkedPost, TokenLink } from '../services/social/dmLinks';
import { REF_TOKEN_PATTERN, RefTokens } from '../services/social/refToken';
import type { SocialPlatform } from '../services/social/types';
import type { TurnInterceptor } from './supportBot';

/** Channels whose user ids are the same ids the platform's public posts carry. */
const PLATFORM_OF_CHANNEL: Record<string, SocialPlatform> = { x: 'x', facebook: 'facebook', instagram: 'instagram' };

export class DmLinkInterceptor implements TurnInterceptor {
  readonly name = 'dmLink';

  constructor(
    private readonly links: DmLinks,
    private readonly logger: Logger,
  ) {}

  async handle(context: TurnContext, data: ConversationData): Promise<boolean> {
    const { activity } = context;
    const token = tokenOf(activity);
    // The link opened again later: its prefilled "about my post (ref …)" is ours, never the customer's words on the ticket.
    if (token && activity.type === 'message') activity.text = withoutToken(activity.text ?? '');
    const platform = PLATFORM_OF_CHANNEL[activity.channelId];
    if (data.publicPost || data.ticketRef) return this.openedAgain(context, data, token, platform);
    let linked: LinkedPost | undefined;
    if (token) {
      const outcome = await this.links.fromToken(token, { platform, userId: senderIdOf(activity) });
      if (outcome.status === 'linked') linked = outcome.linked;
      else this.logger.info({ channelId: activity.channelId, outcome: outcome.status, ...(outcome.status !== 'invalid' && { postPlatform: outcome.platform }) }, TOKEN_REFUSED[outcome.status]);
    }
    // Without a token, only a conversation's very first turn may be linked, never one already under way.
    if (!linked && platform && !data.greeted && !data.draft && activity.from?.id) linked = await this.links.recentBy(platform, activity.from.id);
    if (!linked) return false;
    return this.open(context, data, linked);
  }

  /** The post becomes the conversation's: its context opens the DM, and the dialogs start the report from it. */
  private async open(context: TurnContext, data: ConversationData, linked: LinkedPost): Promise<boolean> {
    const { activity } = context;
    data.publicPost = linked.post;
    await this.links.markDmLinked(linked.post);
    await context.sendActivity(say.contextFromPost(linked.platformName, linked.gist));
    this.logger.info({ channelId: activity.channelId, via: linked.via, platform: linked.post.platform }, 'DM linked to a public post');
    if (activity.type === 'message') return false;
    // An event (Messenger referral, Get Started) has nothing to answer yet: ask for what the post lacks.
    data.greeted = true;
    await context.sendActivity(say.openingFromPost);
    return true;
  }

  /**
   * The same post's link opened again once its ticket exists, with nothing else said: the customer hears that
   * their ticket is open, instead of the menu (or the prefilled line being added to the ticket as news).
   */
  private async openedAgain(context: TurnContext, data: ConversationData, token: string | undefined, platform: SocialPlatform | undefined): Promise<boolean> {
    const { activity } = context;
    if (!token || !data.ticketRef) return false;
    const outcome = await this.links.fromToken(token, { platform, userId: senderIdOf(activity) });
    if (outcome.status !== 'linked') return false;
    const { linked } = outcome;
    const samePost = linked.post.platform === data.publicPost?.platform && linked.post.postId === data.publicPost?.postId;
    if (!samePost && linked.ticketRef !== data.ticketRef) return this.newPost(context, data, linked);
    if (looksLikeDescription(activity.text ?? '')) return false;
    await context.sendActivity(say.postAlreadyOnTicket(data.ticketRef));
    return true;
  }

  /**
   * A later post by the same customer (after the once-per-author window), its link opened in this conversation:
   * added to the conversation's ticket while it is active; once that is resolved or closed, a new report starts
   * from the new post exactly as a first post's does.
   */
  private async newPost(context: TurnContext, data: ConversationData, linked: LinkedPost): Promise<boolean> {
    const { activity } = context;
    const ref = data.ticketRef!;
    const added = await this.links.addToActiveTicket(linked.post, ref, { channelId: activity.channelId, userId: activity.from.id }, actorOfCustomer(activity.from.id, activity.from.name));
    this.logger.info({ channelId: activity.channelId, platform: linked.post.platform, ref, outcome: added }, 'later public post opened in a DM with a ticket');
    if (added === 'added') {
      await context.sendActivity(say.newPostAddedToTicket(ref));
      return true;
    }
    if (added === 'already_added') {
      await context.sendActivity(say.postAlreadyOnTicket(ref));
      return true;
    }
    // The post is on a ticket of its own already: nothing to start.
    if (added === 'elsewhere' || linked.ticketRef) return false;
    // The earlier ticket is resolved or closed: this conversation starts over from the new post.
    delete data.ticketRef;
    delete data.draft;
    return this.open(context, data, linked);
  }
}

/** Messenger's raw event names the sender by page-scoped id, the id the Graph comment webhook gave the author. */
function senderIdOf(activity: TurnContext['activity']): string | undefined {
  const raw = (activity.channelData as { sender?: { id?: unknown } } | undefined)?.sender?.id;
  if (activity.channelId === 'facebook' && typeof raw === 'string' && raw.length > 0) return raw;
  return activity.from?.id || undefined;
}

function tokenOf(activity: TurnContext['activity']): string | undefined {
  const channelData = (activity.channelData ?? {}) as { referral?: { ref?: unknown }; postback?: { referral?: { ref?: unknown } } };
  const ref = channelData.referral?.ref ?? channelData.postback?.referral?.ref;
  if (typeof ref === 'string' && ref.length > 0) return ref;
  return activity.type === 'message' ? RefTokens.find(activity.text) : undefined;
}

/** The prefilled "about my post (ref …)" is ours, not the customer's words: the dialogs should not read it as a description. */
export function withoutToken(text: string): string {
  const token = new RegExp(`(?:about my post,?\\s*)?\\(?\\s*ref:?\\s*${REF_TOKEN_PATTERN.source}\\s*\\)?`, 'i');
  // Runs of spaces collapsed first: the pattern is tried at every position, and its "\s*" over a long run made it quadratic (a DoS).
  return text.replace(/\s{2,}/g, ' ').replace(token, ' ').replace(/\s{2,}/g, ' ').trim();
}

/** Why a token linked nothing; the sender then starts as a new customer and hears nothing of the post. */
const TOKEN_REFUSED: Record<Exclude<TokenLink['status'], 'linked'>, string> = {
  invalid: 'DM link token ignored: forged, expired or unknown',
  not_author: "DM link token ignored: the sender is not the post's author (a copied link)",
  unverifiable: "DM link token not used: this channel's user ids cannot be compared with the post's author",
};
