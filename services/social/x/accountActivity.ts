/**
 * Account Activity API bodies → the domain's PublicPost / DirectMessage. Only what we use is read;
 * the brand's own posts and DMs (they come back on the same webhook) are left out here.
 * Ids are read from the `_str` fields: tweet ids do not fit a JavaScript number.
 */
import type { BrandAnswer, PostDeletion, PostEdit } from '../postChanges';
import type { DirectMessage, PublicPost } from '../types';
import { fromMillis, latestOf } from '../webhookAge';

interface V1User {
  id_str?: string;
  name?: string;
  screen_name?: string;
  followers_count?: number;
}

interface V1Tweet {
  id_str?: string;
  text?: string;
  full_text?: string;
  truncated?: boolean;
  extended_tweet?: { full_text?: string; entities?: V1Entities };
  user?: V1User;
  created_at?: string;
  timestamp_ms?: string;
  lang?: string;
  in_reply_to_user_id_str?: string | null;
  in_reply_to_status_id_str?: string | null;
  retweeted_status?: unknown;
  is_quote_status?: boolean;
  quoted_status?: { id_str?: string; user?: V1User };
  /** Present on edited posts: every version's id, the first being the original. */
  edit_history?: { initial_tweet_id?: string; edit_tweet_ids?: string[] };
  entities?: V1Entities;
}

/** `tweet_delete_events`: the author deleted a post (X's developer terms require honouring it). */
interface V1DeleteEvent {
  status?: { id?: string; user_id?: string };
  timestamp_ms?: string;
}

interface V1Entities {
  hashtags?: Array<{ text?: string }>;
  user_mentions?: Array<{ id_str?: string }>;
}

interface V1DirectMessageEvent {
  type?: string;
  id?: string;
  created_timestamp?: string;
  message_create?: { target?: { recipient_id?: string }; sender_id?: string; message_data?: { text?: string } };
}

export interface AccountActivityBody {
  for_user_id?: string;
  tweet_create_events?: V1Tweet[];
  direct_message_events?: V1DirectMessageEvent[];
  tweet_delete_events?: V1DeleteEvent[];
  users?: Record<string, V1User & { id?: string }>;
}

export interface AccountActivity {
  posts: PublicPost[];
  directMessages: DirectMessage[];
  deletions: PostDeletion[];
  /** An edited post: the original's new text, and the edited version as a post in case the original was never archived. */
  edits: Array<{ edit: PostEdit; post: PublicPost }>;
  /** The brand account's own replies to someone's post (a person on the team answering by hand, or our bot's reply coming back). */
  brandAnswers: BrandAnswer[];
  /** Events we skipped on purpose (own posts/DMs, other event types), for the log. */
  skipped: number;
}

export function isAccountActivityBody(body: unknown): body is AccountActivityBody {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

export function parseAccountActivity(body: AccountActivityBody, brandUserId: string): AccountActivity {
  const result: AccountActivity = { posts: [], directMessages: [], deletions: [], edits: [], brandAnswers: [], skipped: 0 };
  // A subscription for another account (or none) is not ours to answer.
  if (body.for_user_id !== brandUserId) {
    result.skipped += (body.tweet_create_events?.length ?? 0) + (body.direct_message_events?.length ?? 0) + (body.tweet_delete_events?.length ?? 0);
    return result;
  }
  for (const tweet of arrayOf(body.tweet_create_events)) {
    const answer = brandAnswerFrom(tweet, brandUserId);
    if (answer) result.brandAnswers.push(answer);
    const post = postFromTweet(tweet, brandUserId);
    const original = tweet.edit_history?.initial_tweet_id;
    // The edited version is a post of its own: its time is the edit's, not the original's.
    if (post && original && original !== post.postId) result.edits.push({ edit: { platform: 'x', postId: original, text: post.text, ...(post.eventAt && { eventAt: post.eventAt }) }, post });
    else if (post) result.posts.push(post);
    else result.skipped++;
  }
  for (const event of arrayOf(body.tweet_delete_events)) {
    const postId = event.status?.id;
    if (isId(postId)) result.deletions.push({ platform: 'x', postId, ...(event.status?.user_id && { authorId: event.status.user_id }) });
    else result.skipped++;
  }
  for (const event of arrayOf(body.direct_message_events)) {
    const dm = directMessageFrom(event, body.users ?? {}, brandUserId);
    if (dm) result.directMessages.push(dm);
    else result.skipped++;
  }
  return result;
}

/** The brand's own post replying to someone else's: that post is answered, whoever wrote the words. */
function brandAnswerFrom(tweet: V1Tweet, brandUserId: string): BrandAnswer | undefined {
  const answered = tweet.in_reply_to_status_id_str;
  if (tweet.user?.id_str !== brandUserId || !isId(answered) || tweet.in_reply_to_user_id_str === brandUserId) return undefined;
  const eventAt = latestOf(fromMillis(tweet.timestamp_ms), tweet.created_at ? new Date(tweet.created_at) : undefined);
  return { platform: 'x', postId: answered, ...(isId(tweet.id_str) && { answerId: tweet.id_str }), ...(eventAt && { eventAt }) };
}

function postFromTweet(tweet: V1Tweet, brandUserId: string): PublicPost | undefined {
  const id = tweet.id_str;
  const authorId = tweet.user?.id_str;
  // Ids go into store filters: anything but a plain id (an object such as {"$ne": ""}) is not a post.
  if (!isId(id) || !isId(authorId) || authorId === brandUserId) return undefined;
  const text = tweet.extended_tweet?.full_text ?? tweet.full_text ?? tweet.text ?? '';
  const entities = tweet.extended_tweet?.entities ?? tweet.entities;
  const handle = tweet.user?.screen_name;
  const postedAt = tweet.timestamp_ms ? new Date(Number(tweet.timestamp_ms)) : new Date(tweet.created_at ?? Date.now());
  const eventAt = latestOf(fromMillis(tweet.timestamp_ms), tweet.created_at ? new Date(tweet.created_at) : undefined);
  // A quote of the brand's own post speaks to the brand even without an @mention.
  const quoted = tweet.is_quote_status ? tweet.quoted_status?.user?.id_str : undefined;
  const addressedTo = [tweet.in_reply_to_user_id_str ?? undefined, quoted, ...arrayOf(entities?.user_mentions).map((m) => m.id_str)].filter(
    (value): value is string => typeof value === 'string',
  );
  const othersInThread = othersInThreadOf([tweet.in_reply_to_user_id_str, ...arrayOf(entities?.user_mentions).map((m) => m.id_str)], authorId, brandUserId);
  return {
    platform: 'x',
    postId: id,
    eventId: `x:tweet:${id}`,
    ...(handle && { url: `https://x.com/${handle}/status/${id}` }),
    text,
    authorId,
    ...(handle && { authorHandle: handle }),
    ...(tweet.user?.name && { authorName: tweet.user.name }),
    ...(typeof tweet.user?.followers_count === 'number' && { followers: tweet.user.followers_count }),
    ...(tweet.lang && tweet.lang !== 'und' && { language: tweet.lang }),
    postedAt: Number.isNaN(postedAt.getTime()) ? new Date() : postedAt,
    addressedTo,
    isRepost: Boolean(tweet.retweeted_status),
    hashtags: arrayOf(entities?.hashtags).map((tag) => tag.text ?? '').filter(Boolean),
    ...(tweet.in_reply_to_status_id_str && { parentId: tweet.in_reply_to_status_id_str }),
    ...(othersInThread.length > 0 && { othersInThread }),
    ...(eventAt && { eventAt }),
  };
}

function directMessageFrom(event: V1DirectMessageEvent, users: Record<string, V1User>, brandUserId: string): DirectMessage | undefined {
  const create = event.message_create;
  const senderId = create?.sender_id;
  if (event.type !== 'message_create' || !isId(event.id) || !isId(senderId) || senderId === brandUserId) return undefined;
  const sender = users[senderId];
  const eventAt = fromMillis(event.created_timestamp);
  return {
    platform: 'x',
    eventId: event.id,
    senderId,
    ...(sender?.screen_name && { senderHandle: sender.screen_name }),
    ...(sender?.name && { senderName: sender.name }),
    recipientId: create?.target?.recipient_id ?? brandUserId,
    text: create?.message_data?.text ?? '',
    sentAt: eventAt ?? new Date(),
    ...(eventAt && { eventAt }),
  };
}

/**
 * Whom X would @mention in our reply besides the author: the account the post replies to and those it
 * @mentions. Left in, our "sorry, Priya" would ping strangers, journalists or other brands in the thread.
 */
export function othersInThreadOf(ids: Array<string | null | undefined>, authorId: string, brandUserId: string): string[] {
  return [...new Set(ids.filter((id): id is string => isId(id) && id !== authorId && id !== brandUserId))];
}

/** X ids are decimal strings; only those may reach a store filter or a customer identity. */
function isId(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,30}$/.test(value);
}

function arrayOf<T>(value: T[] | undefined | null): T[] {
  return Array.isArray(value) ? value : [];
}
