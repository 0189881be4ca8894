/**
 * The social area's own model. Every door (X Account Activity, X mentions polling, Meta Graph webhooks,
 * other listening tools) is normalised into these types at the edge; nothing below sees a raw body.
 * `SocialPostRecord` is the archive other areas read (listening/spike detection, privacy erasure).
 */
import type { Collection, Database, Document } from '../store/types';
import type { PublicPostSummary, SocialPlatform } from '../tickets/types';

export type { SocialPlatform };

/** One public post (mention, reply, comment) addressed to the brand, as every door delivers it. */
export interface PublicPost extends PublicPostSummary {
  /** The delivery's event id; the same event delivered twice has the same id. Defaults to platform:postId. */
  eventId?: string;
  language?: string;
  /** Ids of accounts the post @mentions or replies to (used to tell "addressed to the brand"). */
  addressedTo?: string[];
  /** The post is addressed to the brand by construction (a comment on the brand's own page). */
  onBrandSurface?: boolean;
  /** A retweet/share of someone else's post. */
  isRepost?: boolean;
  hashtags?: string[];
  /** The post this one answers, when it is a reply (for threading the public reply). */
  parentId?: string;
  /** X: accounts besides the author that X would @mention in a reply (whom the post replies to, others it @mentions). */
  othersInThread?: string[];
  /** When a webhook says this event happened (absent if it does not say): the replay age rule reads it; never archived. */
  eventAt?: Date;
}

/** One direct message to the brand (X, or Instagram via the Meta webhook). */
export interface DirectMessage {
  platform: 'x' | 'instagram';
  /** The platform's message id (Instagram `mid`): the activity id, so a redelivery runs once. */
  eventId: string;
  senderId: string;
  senderHandle?: string;
  senderName?: string;
  recipientId: string;
  text: string;
  sentAt: Date;
  /** `event`: the customer opened a DM link or tapped a button, and said nothing yet. */
  kind?: 'message' | 'event';
  files?: Array<{ type: string; url?: string }>;
  /** A DM link's referral (`ig.me/m/<username>?ref=<token>`): `ref` carries the DM-link token. */
  referral?: { ref: string; source?: string; type?: string };
  postback?: { payload?: string; title?: string };
  /** When the webhook says the message was sent (absent if it does not say): the replay age rule reads it. */
  eventAt?: Date;
}

export type TriageDecision = 'needs_care' | 'praise' | 'noise';

export interface TriageResult {
  decision: TriageDecision;
  /** In words an agent or analyst understands ("complaint about delivery"). */
  reason: string;
  sentiment: { score: number; comparative: number };
  /** Hashtags (lower case, no #), product names and care subjects (delivery, refund…) the rules recognised. */
  topics: { hashtags: string[]; products: string[]; subjects: string[] };
  /** Set when a person, not the bot, must answer (why, e.g. "written in Spanish"): no automatic reply is queued. */
  forPerson?: string;
}

/** The archive of every public post seen, in the `socialPosts` collection. `_id` is `platform:postId`. */
export interface SocialPostRecord extends Document {
  platform: SocialPlatform;
  postId: string;
  url?: string;
  text: string;
  author: { id: string; handle?: string; name?: string; followers?: number };
  impressions?: number;
  language?: string;
  sentiment: { score: number; comparative: number };
  triage: { decision: TriageDecision; reason: string; rulesVersion: string };
  topics: { hashtags: string[]; products: string[]; subjects: string[] };
  receivedAt: Date;
  postedAt: Date;
  /** Which door delivered it. */
  source: 'x_webhook' | 'x_mentions_poll' | 'meta_webhook' | 'mentions_api';
  /** Opaque id carried (signed) in the DM link; no personal data. Present when a reply was queued. */
  linkId?: string;
  /** X: accounts our public reply must not @mention (others in the thread); kept for a reply held by crisis mode. */
  othersInThread?: string[];
  /** Set once a DM conversation linked to this post. */
  dmLinkedAt?: Date;
  /** Set once a ticket holding this post was opened. */
  ticketRef?: string;
  /** Ids of the reply jobs queued for this post. */
  replyJobIds?: string[];
  /** Not answered itself: the same author's post (its `_id`) we answered inside the once-per-author window. */
  answeredVia?: string;
  /** The author deleted the post: its text is gone from the archive (ids and counts stay), its pending replies cancelled. */
  deletedAt?: Date;
  /** A person on the team answered it by hand from the brand's account: the bot's unsent replies were cancelled. */
  answeredByHandAt?: Date;
  /** The author edited the post: `text` is the edited text. */
  editedAt?: Date;
  /** An edit made the post nothing to answer (praise, thanks for a fix): when, why (the new triage reason), and the first decision. */
  repliesCancelledByEdit?: { at: Date; reason: string; was: TriageDecision };
}

export const SOCIAL_POSTS_COLLECTION = 'socialPosts';

/** The public-post archive: it grows with every post (100,000 in a viral hour), so it is an archive collection. */
export function socialPostsOf(db: Database): Collection<SocialPostRecord> {
  return db.archive<SocialPostRecord>(SOCIAL_POSTS_COLLECTION, { rangeFields: ['receivedAt', 'postedAt'] });
}
export const SOCIAL_REPLIES_COLLECTION = 'socialReplies';
export const SOCIAL_REPLY_AUTHORS_COLLECTION = 'socialReplyAuthors';

/** One per author we answered publicly, `_id` `platform:authorId`: the claim that lets one post per window be answered. */
export interface ReplyAuthorClaim extends Document {
  lastReplyAt: Date;
  /** The socialPosts `_id` that holds the claim (the post we answered). */
  postKey: string;
  linkId: string;
}

export type ReplyKind = 'x_public_reply' | 'meta_private_reply' | 'meta_comment_reply';

/** `cancelled`: the post was deleted before the reply went out. */
export type ReplyStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

/** A reply that may be queued only once another one's outcome is known. */
export type FollowUpReply = Pick<ReplyJob, 'kind' | 'platform' | 'postKey' | 'targetId' | 'text'>;

/** A reply waiting to be sent; recorded before any call so a crash or retry never loses or doubles it. */
export interface ReplyJob extends Document {
  kind: ReplyKind;
  platform: SocialPlatform;
  /** The socialPosts `_id` it answers. */
  postKey: string;
  /** The platform id it answers (tweet id, comment id). */
  targetId: string;
  text: string;
  status: ReplyStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil?: Date;
  createdAt: Date;
  sentAt?: Date;
  /** The platform's id of what we posted. */
  remoteId?: string;
  lastError?: string;
  /** Queued when this one is settled: `onSent` after it went out, `onFailed` when it was parked (Facebook: "we've messaged you" only after the Private Reply). */
  then?: { onSent?: FollowUpReply; onFailed?: FollowUpReply };
  /** X: accounts the reply must not @mention (X adds everyone in the thread unless told otherwise). */
  excludeUserIds?: string[];
  /** The post was deleted while this reply was being sent: if that attempt fails, it is cancelled, not retried. */
  cancelRequested?: boolean;
  /** Time spent waiting for rate-limit resets in all: such waits do not count as attempts, this caps them instead. */
  rateLimitWaitMs?: number;
}

export function summaryOf(record: SocialPostRecord): PublicPostSummary {
  return {
    platform: record.platform,
    postId: record.postId,
    ...(record.url && { url: record.url }),
    text: record.text,
    authorId: record.author.id,
    ...(record.author.handle && { authorHandle: record.author.handle }),
    ...(record.author.name && { authorName: record.author.name }),
    ...(record.author.followers !== undefined && { followers: record.author.followers }),
    ...(record.impressions !== undefined && { impressions: record.impressions }),
    postedAt: record.postedAt,
  };
}

export function postKeyOf(platform: SocialPlatform, postId: string): string {
  return `${platform}:${postId}`;
}

export const PLATFORM_NAMES: Record<SocialPlatform, string> = { x: 'X', facebook: 'Facebook', instagram: 'Instagram', other: 'social media' };

/** What a bot turn says in a platform DM, before the platform's own formatting. */
export interface OutgoingDm {
  text: string;
  /** Suggested replies: buttons where the platform has them, written out where it does not. */
  choices: Array<{ title: string; value: string }>;
  /** `HUMAN_AGENT`: a person's own reply, allowed by Meta up to 7 days after the customer's last message. */
  tag?: 'HUMAN_AGENT';
}

/** The one call a platform-DM adapter needs from a platform's API: send one DM to one user. */
export interface DmSender {
  send(recipientId: string, message: OutgoingDm): Promise<{ id: string }>;
}
