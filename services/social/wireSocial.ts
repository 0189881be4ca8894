/**
 * The social area's composition: config → clients → triage → intake → reply queue and worker → doors.
 * index.ts calls this once; a platform whose settings are empty is simply left out (its door 404s).
 */
import { randomBytes } from 'node:crypto';
import { HOUR } from '../clock';
import { type Config, isLocalMode } from '../config';
import { DomainError } from '../errors';
import type { RouteModule } from '../http/server';
import { socialRoutes, type SocialDoors } from '../http/socialRoutes';
import type { Logger } from '../log';
import { DmLinks } from './dmLinks';
import { SocialIntake, type ReplyChannels } from './intake';
import { parseMentions } from './mentionsApi';
import { GraphClient } from './meta/graphClient';
import { isGraphWebhookBody, parseGraphWebhook } from './meta/graphWebhook';
import { InstagramDmSender } from './meta/instagramDm';
import { type InstagramMessagingBody, parseInstagramMessaging } from './meta/instagramMessaging';
import { withoutLeadingMentions } from './messageParts';
import { PlatformHttp } from './platformHttp';
import { type BrandAnswer, PostChanges } from './postChanges';
import { ReplyComposer } from './publicReply';
import { RefTokens } from './refToken';
import { ReplyAuthorClaims } from './replyAuthors';
import { ReplyQueue, ReplyWorker, type ReplySender } from './replyQueue';
import { rulesWithExtras, Triage } from './triage';
import { socialPostsOf, SOCIAL_REPLIES_COLLECTION, SOCIAL_REPLY_AUTHORS_COLLECTION, summaryOf, type DirectMessage, type DmSender, type ReplyAuthorClaim, type ReplyJob, type ReplyKind, type SocialPostRecord } from './types';
import { SYSTEM_ACTOR, type Ticket } from '../tickets/types';
import { isAccountActivityBody, parseAccountActivity } from './x/accountActivity';
import { type Cursor, MentionsPoller } from './x/mentionsPoller';
import { XClient } from './x/xClient';
import { WebhookAge } from './webhookAge';
import type { AreaDeps } from '../areaDeps';

export interface SocialDeps extends AreaDeps {
  /** Order numbers, e-mails and phones out of any text we publish or log. */
  redact: (text: string) => string;
  /** Puts a ticket in the agents' queue without telling anyone (there is no chat to tell). */
  queueForPerson?: (ticket: Ticket, reason: string) => Promise<unknown>;
}

export interface SocialArea {
  routes: RouteModule;
  links: DmLinks;
  intake: SocialIntake;
  queue: ReplyQueue;
  worker: ReplyWorker;
  /** Present when X DMs can be sent (brand id and a user token). */
  x?: { client: XClient; brandUserId: string };
  /** Present when Instagram DMs can be sent (account id and a page access token). */
  instagram?: { sender: DmSender; accountId: string };
  /** Where X and Instagram DMs from the webhooks go (their DM adapters); false when no adapter took it. */
  onDirectMessage(handler: (dm: DirectMessage) => Promise<boolean>): void;
  close(): Promise<void>;
}

export async function wireSocial({ config, db, clock, logger, tickets, redact, queueForPerson }: SocialDeps): Promise<SocialArea> {
  const log = logger.child({ area: 'social' });
  const xDoor = Boolean(config.xConsumerSecret && config.xBrandUserId);
  const xToken = config.xUserAccessToken || config.xBearerToken;
  const xReplies = Boolean(config.xBrandUserId && xToken);
  const metaDoor = Boolean(config.metaAppSecret && config.metaVerifyToken);
  const metaReplies = Boolean(config.metaPageId && config.metaPageAccessToken);
  const instagramDms = Boolean(config.instagramAccountId && config.metaPageAccessToken);
  const anyDoor = xDoor || metaDoor || Boolean(config.socialMentionsApiKey) || config.xMentionsPollMs > 0;

  const tokens = new RefTokens(linkSecret(config, anyDoor, log), config.dmLinkTtlHours * HOUR);
  const posts = socialPostsOf(db);
  const replyJobs = db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION);
  await Promise.all([...SocialIntake.indexes(posts), ...ReplyQueue.indexes(replyJobs)]);
  const queue = new ReplyQueue(replyJobs, clock);

  const http = (baseUrl: string) => new PlatformHttp({ baseUrl, timeoutMs: config.socialApiTimeoutMs });
  const xClient = xReplies ? new XClient({ http: http(config.xApiBaseUrl), userToken: xToken, appToken: config.xBearerToken || xToken }) : undefined;
  const graph = metaReplies ? new GraphClient(http(config.metaGraphBaseUrl), config.metaPageAccessToken, { pageId: config.metaPageId, ...(config.instagramAccountId && { instagramAccountId: config.instagramAccountId }) }) : undefined;

  const instagramSender = instagramDms
    ? new InstagramDmSender(graph ?? new GraphClient(http(config.metaGraphBaseUrl), config.metaPageAccessToken), config.instagramAccountId)
    : undefined;

  const senders: Partial<Record<ReplyKind, ReplySender>> = {};
  if (xClient) senders.x_public_reply = async (job) => {
    const { id, rateLimit } = await xClient.reply(job.targetId, job.text, job.excludeUserIds);
    return { remoteId: id, rateLimit };
  };
  if (graph) {
    senders.meta_private_reply = async (job) => ({ remoteId: (await graph.privateReply(config.metaPageId, job.targetId, job.text)).id });
    senders.meta_comment_reply = async (job) => ({ remoteId: (await graph.commentReply(job.platform === 'instagram' ? 'instagram' : 'facebook', job.targetId, job.text)).id });
  }
  const worker = new ReplyWorker({ queue, senders, intervalMs: config.socialReplyIntervalMs, maxAttempts: config.socialReplyMaxAttempts, clock, logger: log });

  const channels: ReplyChannels = {
    ...(xReplies && { x: { brandUserId: config.xBrandUserId } }),
    ...(metaReplies && { meta: { pageId: config.metaPageId, messengerName: config.metaPageUsername || config.metaPageId, ...(config.instagramUsername && { instagramUsername: config.instagramUsername }) } }),
  };
  const triage = new Triage(
    rulesWithExtras({ complaint: config.socialCareWords, praise: config.socialPraiseWords, spam: config.socialSpamWords, products: config.socialProducts }),
    {
      brandIds: [config.xBrandUserId, config.metaPageId, config.instagramAccountId].filter(Boolean),
      brandHandles: [config.xBrandHandle, config.metaPageUsername, config.instagramUsername, config.brandName].filter(Boolean).map((h) => h.toLowerCase()),
    },
  );
  const claims = db.collection<ReplyAuthorClaim>(SOCIAL_REPLY_AUTHORS_COLLECTION);
  const replyAuthors = config.socialReplyOncePerAuthorHours > 0 ? new ReplyAuthorClaims(claims, config.socialReplyOncePerAuthorHours * HOUR, clock) : undefined;
  const forgetClaims = replyAuthors && setInterval(() => replyAuthors.forgetExpired().catch((error: unknown) => log.warn({ err: error }, 'could not forget expired reply claims')), HOUR);
  forgetClaims?.unref();
  if (replyAuthors) await Promise.all(ReplyAuthorClaims.indexes(claims));
  const composer = new ReplyComposer({ brandName: config.brandName, redact });
  // A post only a person can answer becomes a ticket holding it, waiting in the agents' queue (once per post).
  // Its description is what the post says; the @mentions that only address it stay in the verbatim publicPost.
  const forPerson = async (record: SocialPostRecord): Promise<void> => {
    const post = summaryOf(record);
    const ticket = await tickets.open(
      { customer: { channelId: post.platform, userId: post.authorId, ...(post.authorName && { name: post.authorName }) }, source: 'public_post', description: withoutLeadingMentions(post.text) || post.text, publicPost: post, openedBy: `post:${record._id}` },
      SYSTEM_ACTOR,
    );
    await queueForPerson?.(ticket, record.triage.reason);
  };
  const intake = new SocialIntake({ posts, queue, triage, composer, tokens, channels, clock, logger: log, redact, onQueued: () => worker.kick(), forPerson, ...(replyAuthors && { replyAuthors }) });
  const changes = new PostChanges({ posts, queue, clock, logger: log, tickets, triage, ...(replyAuthors && { replyAuthors }) });
  const links = new DmLinks({ posts, tokens, clock, recentDays: config.socialRecentPostDays, tickets });

  // The archive learns which ticket a post became (listening and erasure read it there).
  tickets.onChange(async ({ ticket, action }) => {
    if (action === 'ticket.opened' && ticket.publicPost) await links.linkTicket(ticket.publicPost, ticket.ref);
  });

  // The brand's own replies come back on the webhooks: one a person wrote by hand keeps the bot out of that post.
  const answeredByHand = async (answers: BrandAnswer[]): Promise<number> => {
    let count = 0;
    for (const answer of answers) if (await changes.answeredByBrand(answer)) count++;
    return count;
  };

  let dmHandler: ((dm: DirectMessage) => Promise<boolean>) | undefined;
  const toDmAdapter = async (dm: DirectMessage): Promise<void> => {
    if (!(await dmHandler?.(dm))) log.warn({ platform: dm.platform }, 'DM received but no DM adapter is configured for its platform');
  };
  const doors: SocialDoors = { maxBodyBytes: config.maxBodyBytes };
  // Replays: signed bodies carry no signed timestamp, so events older than the id memory are left alone.
  // Deletions are always honoured (X's terms; doing one twice changes nothing).
  const age = new WebhookAge({ maxAgeMs: config.webhookMaxAgeHours * HOUR, clock, logger: log });
  if (xDoor) {
    doors.x = {
      consumerSecret: config.xConsumerSecret,
      handle: async (body) => {
        if (!isAccountActivityBody(body)) return { status: 400, body: { error: 'BAD_BODY', message: 'Not an Account Activity body.' } };
        const activity = parseAccountActivity(body, config.xBrandUserId);
        const posts = age.admit(activity.posts, { platform: 'x', kind: 'post' });
        const edits = age.admit(activity.edits.map((change) => ({ ...change, eventAt: change.edit.eventAt })), { platform: 'x', kind: 'edit' });
        const directMessages = age.admit(activity.directMessages, { platform: 'x', kind: 'dm' });
        const outcomes = [];
        for (const post of posts.fresh) outcomes.push(await intake.ingest(post, 'x_webhook'));
        // An edit of a post we never archived is a post like any other.
        for (const { edit, post } of edits.fresh) if (!(await changes.edit(edit))) outcomes.push(await intake.ingest(post, 'x_webhook'));
        for (const deletion of activity.deletions) await changes.delete(deletion);
        const answered = await answeredByHand(age.admit(activity.brandAnswers, { platform: 'x', kind: 'brand reply' }).fresh);
        for (const dm of directMessages.fresh) await toDmAdapter(dm);
        const tooOld = posts.refused + edits.refused + directMessages.refused;
        return { status: 200, body: { posts: outcomes.length, duplicates: outcomes.filter((o) => o.duplicate).length, directMessages: directMessages.fresh.length, deletions: activity.deletions.length, edits: edits.fresh.length, skipped: activity.skipped, ...(answered > 0 && { answeredByHand: answered }), ...(tooOld > 0 && { notHandled: tooOld }) } };
      },
    };
  }
  if (metaDoor) {
    doors.meta = {
      appSecret: config.metaAppSecret,
      verifyToken: config.metaVerifyToken,
      handle: async (body) => {
        if (!isGraphWebhookBody(body)) return { status: 400, body: { error: 'BAD_BODY', message: 'Not a Graph webhook body (no "object").' } };
        const parsed = parseGraphWebhook(body, { pageId: config.metaPageId, instagramAccountId: config.instagramAccountId });
        const posts = age.admit(parsed.posts, { platform: body.object === 'instagram' ? 'instagram' : 'facebook', kind: 'comment' });
        const edits = age.admit(parsed.edits, { platform: 'facebook', kind: 'edit' });
        const outcomes = [];
        for (const post of posts.fresh) outcomes.push(await intake.ingest(post, 'meta_webhook'));
        for (const edit of edits.fresh) await changes.edit(edit);
        for (const deletion of parsed.deletions) await changes.delete(deletion);
        const answered = await answeredByHand(age.admit(parsed.brandAnswers, { platform: 'facebook', kind: 'brand reply' }).fresh);
        // Instagram DMs (`entry[].messaging[]`): Azure Bot Service has no Instagram channel, so they arrive here.
        const messaging = parseInstagramMessaging(body as InstagramMessagingBody, config.instagramAccountId);
        const dms = age.admit(messaging.directMessages, { platform: 'instagram', kind: 'dm' });
        for (const dm of dms.fresh) await toDmAdapter(dm);
        if (Object.keys(messaging.ignored).length > 0) log.debug({ ignored: messaging.ignored }, 'Instagram messaging events left alone');
        const directMessages = dms.fresh.length;
        const tooOld = posts.refused + edits.refused + dms.refused;
        return { status: 200, body: { posts: outcomes.length, duplicates: outcomes.filter((o) => o.duplicate).length, deletions: parsed.deletions.length, edits: edits.fresh.length, skipped: parsed.skipped, directMessages, ignored: messaging.ignored, ...(answered > 0 && { answeredByHand: answered }), ...(tooOld > 0 && { notHandled: tooOld }) } };
      },
    };
  }
  if (config.socialMentionsApiKey) {
    doors.mentions = {
      apiKey: config.socialMentionsApiKey,
      handle: async (body) => {
        const parsed = parseMentions(body);
        if ('errors' in parsed) return { status: 400, body: { error: 'VALIDATION_FAILED', problems: parsed.errors } };
        const outcomes = [];
        for (const post of parsed.posts) outcomes.push(await intake.ingest(post, 'mentions_api'));
        return { status: 202, body: { results: outcomes.map(({ postKey, duplicate, decision, reason, queued }) => ({ postKey, duplicate, decision, reason, queued })) } };
      },
    };
  }

  const poller =
    config.xMentionsPollMs > 0 && config.xBearerToken && config.xBrandUserId
      ? new MentionsPoller({
          client: xClient ?? new XClient({ http: http(config.xApiBaseUrl), userToken: config.xBearerToken, appToken: config.xBearerToken }),
          brandUserId: config.xBrandUserId,
          intervalMs: config.xMentionsPollMs,
          cursors: db.collection<Cursor>('socialCursors'),
          ingest: (post) => intake.ingest(post, 'x_mentions_poll'),
          clock,
          logger: log,
        })
      : undefined;
  if (Object.keys(senders).length > 0) worker.start();
  poller?.start();
  log.info({ xWebhook: xDoor, xReplies, xMentionsPoll: Boolean(poller), metaWebhook: metaDoor, metaReplies, instagramDms, mentionsApi: Boolean(doors.mentions) }, 'social intake wired');

  return {
    routes: socialRoutes(doors),
    links,
    intake,
    queue,
    worker,
    ...(xClient && { x: { client: xClient, brandUserId: config.xBrandUserId } }),
    ...(instagramSender && { instagram: { sender: instagramSender, accountId: config.instagramAccountId } }),
    onDirectMessage: (handler) => {
      dmHandler = handler;
    },
    close: async () => {
      clearInterval(forgetClaims);
      await poller?.stop();
      await worker.stop();
    },
  };
}

/** DM_LINK_SECRET, or in local mode a per-process random one (links then die with the process). */
function linkSecret(config: Config, anyDoor: boolean, logger: Logger): string {
  if (config.dmLinkSecret) {
    if (config.dmLinkSecret.length < 16) throw new DomainError('CONFIG_INVALID', 'DM_LINK_SECRET must be at least 16 characters');
    return config.dmLinkSecret;
  }
  if (anyDoor && !isLocalMode(config)) throw new DomainError('CONFIG_INVALID', 'DM_LINK_SECRET is required when a social door is configured outside local mode');
  if (anyDoor) logger.warn('DM_LINK_SECRET is empty: using a random secret for this process; DM links stop working after a restart');
  return randomBytes(32).toString('base64url');
}
