/**
 * For X accounts without webhook access: polls GET /2/users/:id/mentions with since_id, one page per tick,
 * and pauses until the reset when the rate-limit headers say the window is spent. The cursor is kept
 * in the store so a restart neither replays nor skips; the intake dedupes what webhooks also delivered.
 */
import type { Clock } from '../../clock';
import type { Logger } from '../../log';
import type { Collection, Document } from '../../store/types';
import { PlatformError } from '../platformHttp';
import type { PublicPost } from '../types';
import { othersInThreadOf } from './accountActivity';
import type { MentionsPage, XClient } from './xClient';

export interface Cursor extends Document {
  sinceId?: string;
  updatedAt: Date;
}

export interface MentionsPollerOptions {
  client: XClient;
  brandUserId: string;
  intervalMs: number;
  cursors: Collection<Cursor>;
  ingest: (post: PublicPost) => Promise<unknown>;
  clock: Clock;
  logger: Logger;
}

const CURSOR_ID = 'x-mentions';

export class MentionsPoller {
  private timer?: NodeJS.Timeout;
  private pausedUntil = 0;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: MentionsPollerOptions) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One poll: fetch newer mentions, ingest them oldest first, then move the cursor. */
  async pollOnce(): Promise<number> {
    const now = this.options.clock.now().getTime();
    if (now < this.pausedUntil) return 0;
    const cursor = await this.options.cursors.findOne({ _id: CURSOR_ID });
    try {
      const { page, rateLimit } = await this.options.client.mentions(this.options.brandUserId, cursor?.sinceId);
      const posts = postsFromMentions(page, this.options.brandUserId).reverse();
      for (const post of posts) await this.options.ingest(post);
      if (page.meta?.newest_id) {
        await this.options.cursors.updateOne({ _id: CURSOR_ID }, { $set: { sinceId: page.meta.newest_id, updatedAt: new Date(now) } }, { upsert: true });
      }
      if (rateLimit.remaining === 0 && rateLimit.resetAt) this.pausedUntil = rateLimit.resetAt.getTime();
      return posts.length;
    } catch (error) {
      if (error instanceof PlatformError && error.retryAt) this.pausedUntil = error.retryAt.getTime();
      throw error;
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pollOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'X mentions poll failed; next tick retries'))
        .finally(() => this.schedule(this.options.intervalMs));
    }, delay);
    this.timer.unref();
  }
}

/** API v2 mentions page → PublicPost (the author's followers come from the `users` expansion). */
export function postsFromMentions(page: MentionsPage, brandUserId: string): PublicPost[] {
  const users = new Map((page.includes?.users ?? []).map((user) => [user.id, user]));
  const posts: PublicPost[] = [];
  for (const tweet of page.data ?? []) {
    if (!tweet.id || !tweet.author_id || tweet.author_id === brandUserId) continue;
    const author = users.get(tweet.author_id);
    const postedAt = new Date(tweet.created_at ?? Date.now());
    const othersInThread = othersInThreadOf([tweet.in_reply_to_user_id, ...(tweet.entities?.mentions ?? []).map((m) => m.id)], tweet.author_id, brandUserId);
    posts.push({
      platform: 'x',
      postId: tweet.id,
      eventId: `x:tweet:${tweet.id}`,
      ...(author?.username && { url: `https://x.com/${author.username}/status/${tweet.id}` }),
      text: tweet.text ?? '',
      authorId: tweet.author_id,
      ...(author?.username && { authorHandle: author.username }),
      ...(author?.name && { authorName: author.name }),
      ...(typeof author?.public_metrics?.followers_count === 'number' && { followers: author.public_metrics.followers_count }),
      ...(typeof tweet.public_metrics?.impression_count === 'number' && { impressions: tweet.public_metrics.impression_count }),
      ...(tweet.lang && tweet.lang !== 'und' && { language: tweet.lang }),
      postedAt: Number.isNaN(postedAt.getTime()) ? new Date() : postedAt,
      addressedTo: [tweet.in_reply_to_user_id, ...(tweet.entities?.mentions ?? []).map((m) => m.id)].filter((id): id is string => typeof id === 'string'),
      isRepost: (tweet.referenced_tweets ?? []).some((ref) => ref.type === 'retweeted'),
      hashtags: (tweet.entities?.hashtags ?? []).map((tag) => tag.tag ?? '').filter(Boolean),
      ...(othersInThread.length > 0 && { othersInThread }),
    });
  }
  return posts;
}
