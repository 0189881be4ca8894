/**
 * Brings the public post into the DM. Looks for a DM-link token in the first X DM text or in Messenger's
 * referral (`channelData.referral.ref` / `channelData.postback.referral.ref`, on any activity type); with
 * none, a first DM from someone whose public post needed care in the last days links to that post.
 * A valid link puts the post into `conversationData.publicPost` and opens with its context; a message
 * then goes on to the dialogs (which start the report from the post), an event turn ends here.
 * A forged or expired token is ignored: the conversation simply starts as usual.
 */
import type { TurnContext } from 'botbuilder';
import type { ConversationData } from '../dialogs/dialogServices';
import { say } from '../dialogs/messages';
import type { Logger } from '../services/log';
import type { DmLinks } from '../services/social/dmLinks';
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
    if (data.publicPost || data.ticketRef) return false;
    const token = tokenOf(activity);
    let linked = token ? await this.links.fromToken(token) : undefined;
    if (token && !linked) this.logger.info({ channelId: activity.channelId }, 'DM link token ignored: forged, expired or unknown');
    const platform = PLATFORM_OF_CHANNEL[activity.channelId];
    // Without a token, only a conversation's very first turn may be linked, never one already under way.
    if (!linked && platform && !data.greeted && !data.draft && activity.from?.id) linked = await this.links.recentBy(platform, activity.from.id);
    if (token && activity.type === 'message') activity.text = withoutToken(activity.text ?? '');
    if (!linked) return false;

    data.publicPost = linked.post;
    await this.links.markDmLinked(linked.post);
    await context.sendActivity(say.contextFromPost(linked.platformName, linked.gist));
    this.logger.info({ channelId: activity.channelId, via: linked.via, platform: linked.post.platform }, 'DM linked to a public post');
    if (activity.type === 'message') return false;
    // An event (Messenger referral, Get Started) has nothing to answer yet: ask for what the post lacks.
    data.greeted = true;
    await context.sendActivity(OPENING_QUESTION);
    return true;
  }
}

function tokenOf(activity: TurnContext['activity']): string | undefined {
  const channelData = (activity.channelData ?? {}) as { referral?: { ref?: unknown }; postback?: { referral?: { ref?: unknown } } };
  const ref = channelData.referral?.ref ?? channelData.postback?.referral?.ref;
  if (typeof ref === 'string' && ref.length > 0) return ref;
  return activity.type === 'message' ? RefTokens.find(activity.text) : undefined;
}

/** The prefilled "about my post (ref …)" is ours, not the customer's words: the dialogs should not read it as a description. */
function withoutToken(text: string): string {
  const token = new RegExp(`(?:about my post,?\\s*)?\\(?\\s*ref:?\\s*${REF_TOKEN_PATTERN.source}\\s*\\)?`, 'i');
  return text.replace(token, ' ').replace(/\s{2,}/g, ' ').trim();
}

const OPENING_QUESTION = "Reply with your order number if you have it handy, or just say hi and I'll guide you from there.";
