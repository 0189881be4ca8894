/**
 * Social intake: one normalised PublicPost in → deduped, triaged, archived, and (when it needs care)
 * its replies queued. Every door calls `ingest`; the domain below never sees a webhook body.
 */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Collection } from '../store/types';
import { isDuplicateKey } from '../store/types';
import { privateReplyAllowed } from './meta/privateReplyWindow';
import { displayName, instagramLink, messengerLink, type ReplyComposer } from './publicReply';
import { newLinkId, type RefTokens } from './refToken';
import { authorKeyOf, type AuthorClaim, type ReplyAuthorClaims } from './replyAuthors';
import { replyJobId, type NewReply, type ReplyQueue } from './replyQueue';
import type { Triage } from './triage';
import type { CrisisGate } from '../listening/crisis';
import { postKeyOf, summaryOf, type PublicPost, type ReplyKind, type SocialPostRecord, type TriageDecision } from './types';

export type IntakeSource = SocialPostRecord['source'];

export interface IngestOutcome {
  postKey: string;
  duplicate: boolean;
  decision: TriageDecision;
  reason: string;
  /** Replies queued by this call (0 on a redelivery). */
  queued: number;
  /** Set when the author was already answered inside the once-per-author window: that post's key. */
  answeredVia?: string;
}

export interface ReplyChannels {
  x?: { brandUserId: string };
  meta?: { pageId: string; messengerName: string; instagramUsername?: string };
}

export interface SocialIntakeOptions {
  posts: Collection<SocialPostRecord>;
  queue: ReplyQueue;
  triage: Triage;
  composer: ReplyComposer;
  tokens: RefTokens;
  channels: ReplyChannels;
  clock: Clock;
  logger: Logger;
  redact: (text: string) => string;
  /** Called after replies were queued (the worker's kick). */
  onQueued?: () => void;
  /** One public reply per author per window; absent = every post that needs care is answered. */
  replyAuthors?: ReplyAuthorClaims;
  /** A post that needs care but only a person can answer (another language): handed to the team, no bot reply. */
  forPerson?: (record: SocialPostRecord) => Promise<void>;
}

export class SocialIntake {
  /** Crisis mode (listening area): paces public replies on a topic in crisis; private replies and DMs go on. */
  crisisGate?: CrisisGate;

  constructor(private readonly options: SocialIntakeOptions) {}

  static indexes(posts: Collection<SocialPostRecord>): Promise<void>[] {
    return [
      posts.createIndex({ fields: { linkId: 1 }, unique: true, sparse: true }),
      posts.createIndex({ fields: { 'author.id': 1 } }),
      posts.createIndex({ fields: { receivedAt: 1 } }),
      // Erasure and exports look posts up by the ticket they became.
      posts.createIndex({ fields: { ticketRef: 1 }, sparse: true }),
    ];
  }

  async ingest(post: PublicPost, source: IntakeSource): Promise<IngestOutcome> {
    const { clock, triage } = this.options;
    const key = postKeyOf(post.platform, post.postId);
    const verdict = triage.decide(post);
    // A post only a person can answer well (another language) is archived and counted, with no bot reply.
    const needsCare = verdict.decision === 'needs_care' && !verdict.forPerson && this.canReply(post);
    const authorKey = authorKeyOf(post.platform, post.authorId);
    const claim = needsCare ? await this.claimReply(authorKey, key) : undefined;
    const linkId = claim?.won ? claim.linkId : undefined;
    // Decided once: the archive's job ids and the replies queued below must agree.
    const kinds = linkId ? this.replyKinds(post) : [];
    const record: SocialPostRecord = {
      _id: key,
      platform: post.platform,
      postId: post.postId,
      ...(post.url && { url: post.url }),
      text: post.text,
      author: {
        id: post.authorId,
        ...(post.authorHandle && { handle: post.authorHandle }),
        ...(post.authorName && { name: post.authorName }),
        ...(post.followers !== undefined && { followers: post.followers }),
      },
      ...(post.impressions !== undefined && { impressions: post.impressions }),
      ...(post.language && { language: post.language }),
      ...(post.othersInThread?.length && { othersInThread: post.othersInThread }),
      sentiment: verdict.sentiment,
      triage: { decision: verdict.decision, reason: verdict.reason, rulesVersion: triage.rulesVersion },
      topics: verdict.topics,
      receivedAt: clock.now(),
      postedAt: post.postedAt,
      source,
      // Known before queuing (ids are deterministic), so the archive is written once, never updated per event.
      ...(linkId && { linkId, replyJobIds: kinds.map((kind) => replyJobId(kind, key)) }),
      ...(claim && !claim.won && { answeredVia: claim.answeredVia }),
    };
    try {
      await this.options.posts.insertOne(record);
    } catch (error) {
      // A claim taken for a post that was not archived now (failure, or a redelivery of a post that was not
      // the one answered) would leave the author without a reply for the whole window.
      if (claim?.won && claim.fresh) await this.releaseClaim(authorKey, claim.linkId);
      if (!isDuplicateKey(error)) throw error;
      // A redelivery: the first delivery's replies may not have been queued if the process died in between.
      const first = await this.options.posts.findOne({ _id: key });
      if (first?.linkId) await this.queueReplies(post, first.linkId, this.replyKinds(post));
      return { postKey: key, duplicate: true, decision: first?.triage.decision ?? verdict.decision, reason: first?.triage.reason ?? verdict.reason, queued: 0 };
    }
    if (verdict.decision === 'needs_care' && verdict.forPerson) await this.handToPerson(record);
    const { queued, held } = record.linkId ? await this.queueReplies(post, record.linkId, kinds) : { queued: 0, held: false };
    // Crisis mode held the only reply back: the author has not been answered, so their next post may be.
    // (A reply held by the crisis cap goes out later, so the claim stays.)
    if (claim?.won && claim.fresh && queued === 0 && !held) await this.releaseClaim(authorKey, claim.linkId);
    return { postKey: key, duplicate: false, decision: verdict.decision, reason: verdict.reason, queued, ...(record.answeredVia && { answeredVia: record.answeredVia }) };
  }

  /** Best effort, like the replies: the post is archived either way, and the team sees it in the listening counts. */
  private async handToPerson(record: SocialPostRecord): Promise<void> {
    try {
      await this.options.forPerson?.(record);
    } catch (error) {
      this.options.logger.error({ err: error, postKey: record._id }, 'a post for a person could not be put in the queue');
    }
  }

  private claimReply(authorKey: string, postKey: string): Promise<AuthorClaim> {
    const { replyAuthors } = this.options;
    if (!replyAuthors) return Promise.resolve({ won: true, linkId: newLinkId(), fresh: false });
    return replyAuthors.claim(authorKey, postKey, newLinkId());
  }

  /** Best effort: the insert's own error is the one the caller must see. */
  private async releaseClaim(authorKey: string, linkId: string): Promise<void> {
    try {
      await this.options.replyAuthors?.release(authorKey, linkId);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'reply claim not released; the author waits for the window to end');
    }
  }

  private canReply(post: PublicPost): boolean {
    if (post.platform === 'x') return Boolean(this.options.channels.x);
    if (post.platform === 'facebook' || post.platform === 'instagram') return Boolean(this.options.channels.meta);
    return false;
  }

  private replyKinds(post: PublicPost): ReplyKind[] {
    if (post.platform === 'x') return ['x_public_reply'];
    if (!privateReplyAllowed(post.postedAt, this.options.clock.now())) return ['meta_comment_reply'];
    return ['meta_private_reply', 'meta_comment_reply'];
  }

  /** Queues the public reply the crisis cap held back, now that the cap allows it or the crisis ended. */
  async answerHeld(postKey: string): Promise<void> {
    const record = await this.options.posts.findOne({ _id: postKey });
    // A post deleted while its reply was held gets no reply.
    if (!record?.linkId || record.deletedAt) return;
    const post: PublicPost = {
      ...summaryOf(record),
      ...(record.topics.hashtags.length > 0 && { hashtags: record.topics.hashtags }),
      ...(record.othersInThread && { othersInThread: record.othersInThread }),
    };
    await this.queueReplies(post, record.linkId, this.replyKinds(post), true);
  }

  /** `held`: the crisis cap kept the public reply for later (it is not dropped). */
  private async queueReplies(post: PublicPost, linkId: string, kinds: ReplyKind[], gatePassed = false): Promise<{ queued: number; held: boolean }> {
    const { composer, tokens, clock, channels, redact } = this.options;
    const key = postKeyOf(post.platform, post.postId);
    const token = tokens.sign(linkId, clock.now());
    const name = displayName(post.authorName, post.authorHandle, redact);
    const replies: NewReply[] = [];
    // On X the public reply is our only way to reach them: over the crisis cap it is held, never dropped.
    const gate = gatePassed ? undefined : await this.crisisGate?.shouldReplyPublicly({ postKey: key, text: post.text, ...(post.hashtags && { hashtags: post.hashtags }) }, { holdIfCapped: post.platform === 'x' });
    if (gate && !gate.reply) this.options.logger.info({ postKey: key, topic: gate.topic }, 'public reply held back: crisis mode');
    const publicReply = gate?.reply ?? true;
    if (post.platform === 'x' && channels.x && publicReply) {
      const excludeUserIds = post.othersInThread?.length ? { excludeUserIds: post.othersInThread } : {};
      replies.push({ kind: 'x_public_reply', platform: 'x', postKey: key, targetId: post.postId, text: composer.xPublicReply({ name, brandUserId: channels.x.brandUserId, token }), ...excludeUserIds });
    } else if ((post.platform === 'facebook' || post.platform === 'instagram') && channels.meta) {
      const meta = channels.meta;
      const link =
        post.platform === 'facebook' ? messengerLink(meta.messengerName, token) : meta.instagramUsername ? instagramLink(meta.instagramUsername, token) : undefined;
      const comment = { kind: 'meta_comment_reply' as const, platform: post.platform, postKey: key, targetId: post.postId };
      const neutral = { ...comment, text: composer.commentReplyInvitingMessage(name) };
      if (!kinds.includes('meta_private_reply')) {
        // Past Meta's 7-day limit a Private Reply can only fail: answer in public, without claiming a message.
        this.options.logger.info({ postKey: key }, 'no Private Reply: the comment is older than 7 days');
        if (publicReply) replies.push(neutral);
      } else {
        // The Private Reply first (it carries the link, once); the public line is queued by its outcome,
        // so "we've messaged you" is said only after the message went out.
        const then = publicReply ? { onSent: { ...comment, text: composer.commentReply(name) }, onFailed: neutral } : undefined;
        replies.push({ kind: 'meta_private_reply', platform: post.platform, postKey: key, targetId: post.postId, text: composer.privateReply(name, post.platform, link), ...(then && { then }) });
      }
    }
    let queued = 0;
    for (const reply of replies) if (await this.options.queue.enqueue(reply)) queued++;
    if (queued > 0) this.options.onQueued?.();
    return { queued, held: gate?.held ?? false };
  }
}
