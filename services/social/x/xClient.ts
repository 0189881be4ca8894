/** The few X API v2 calls this area makes, through PlatformHttp (base URL from config, timeouts, retries). */
import { PlatformError, type PlatformHttp, type RateLimit } from '../platformHttp';

export interface MentionsPage {
  data?: Array<{
    id: string;
    text: string;
    author_id?: string;
    created_at?: string;
    lang?: string;
    in_reply_to_user_id?: string;
    referenced_tweets?: Array<{ type: string; id: string }>;
    entities?: { hashtags?: Array<{ tag?: string }>; mentions?: Array<{ id?: string; username?: string }> };
    public_metrics?: { impression_count?: number };
  }>;
  includes?: { users?: Array<{ id: string; name?: string; username?: string; public_metrics?: { followers_count?: number } }> };
  meta?: { newest_id?: string; result_count?: number };
}

export interface XClientOptions {
  http: PlatformHttp;
  /** User-context token of the brand account: needed to post and to send DMs. */
  userToken: string;
  /** App-only token: enough to read mentions. */
  appToken: string;
}

export class XClient {
  constructor(private readonly options: XClientOptions) {}

  /** Posts a public reply; `retries: 0` because the reply queue retries durably. */
  /** `excludeUserIds`: others in the thread, whom X would otherwise @mention in the reply. */
  async reply(inReplyToId: string, text: string, excludeUserIds: string[] = []): Promise<{ id: string; rateLimit: RateLimit }> {
    try {
      const { body, rateLimit } = await this.options.http.call<{ data?: { id?: string } }>({
        method: 'POST',
        path: '/2/tweets',
        body: { text, reply: { in_reply_to_tweet_id: inReplyToId, ...(excludeUserIds.length > 0 && { exclude_reply_user_ids: excludeUserIds }) } },
        token: this.options.userToken,
        retries: 0,
      });
      return { id: body?.data?.id ?? '', rateLimit };
    } catch (error) {
      // X refuses a second identical post: an earlier attempt (whose answer we lost) already went out.
      if (error instanceof PlatformError && error.status === 403 && /duplicate/i.test(JSON.stringify(error.body ?? ''))) {
        return { id: 'duplicate', rateLimit: {} };
      }
      throw error;
    }
  }

  async sendDirectMessage(participantId: string, text: string): Promise<{ id: string }> {
    const { body } = await this.options.http.call<{ data?: { dm_event_id?: string } }>({
      method: 'POST',
      path: `/2/dm_conversations/with/${encodeURIComponent(participantId)}/messages`,
      body: { text },
      token: this.options.userToken,
    });
    return { id: body?.data?.dm_event_id ?? '' };
  }

  async mentions(userId: string, sinceId: string | undefined): Promise<{ page: MentionsPage; rateLimit: RateLimit }> {
    const { body, rateLimit } = await this.options.http.call<MentionsPage>({
      method: 'GET',
      path: `/2/users/${encodeURIComponent(userId)}/mentions`,
      query: {
        since_id: sinceId,
        max_results: '100',
        expansions: 'author_id',
        'tweet.fields': 'created_at,lang,public_metrics,in_reply_to_user_id,entities,referenced_tweets',
        'user.fields': 'public_metrics,username,name',
      },
      token: this.options.appToken,
    });
    return { page: body ?? {}, rateLimit };
  }
}
