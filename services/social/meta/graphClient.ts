/** The Graph API calls this area makes: one Private Reply per comment, and a short public answer under it. */
import { isOutcomeUnknown, PlatformError, type PlatformHttp } from '../platformHttp';

/** Graph error codes meaning "this comment was already answered privately": an earlier attempt went out. */
const ALREADY_REPLIED = [10900];

/** The brand's own ids, to recognise our reply among a comment's replies. */
export interface GraphBrandIds {
  pageId: string;
  instagramAccountId?: string;
}

/** An Instagram DM's message: text, with quick-reply buttons when the bot offers choices. */
export interface InstagramMessage {
  text: string;
  quick_replies?: Array<{ content_type: 'text'; title: string; payload: string }>;
}

interface CommentReplies {
  data?: Array<{ id?: string; from?: { id?: string } }>;
}

export class GraphClient {
  constructor(
    private readonly http: PlatformHttp,
    private readonly pageAccessToken: string,
    private readonly brand?: GraphBrandIds,
  ) {}

  /** `POST /{page-id}/messages` with `recipient.comment_id`: allowed once, within 7 days of the comment. */
  async privateReply(pageId: string, commentId: string, text: string): Promise<{ id: string }> {
    try {
      const { body } = await this.http.call<{ message_id?: string }>({
        method: 'POST',
        path: `/${encodeURIComponent(pageId)}/messages`,
        body: { recipient: { comment_id: commentId }, message: { text }, messaging_type: 'RESPONSE' },
        token: this.pageAccessToken,
        retries: 0,
      });
      return { id: body?.message_id ?? '' };
    } catch (error) {
      const code = error instanceof PlatformError ? error.graphCode : undefined;
      if (code !== undefined && ALREADY_REPLIED.includes(code)) return { id: 'already-replied' };
      throw error;
    }
  }

  /**
   * One Instagram DM: `POST /{instagram-account-id}/messages`. Retried on rate limits and refusals that
   * surely did not arrive; after a timeout or 502/504 nobody knows, so it is never sent again (writeOnce).
   * `HUMAN_AGENT` is for a person's own reply after the 24-hour window (up to 7 days).
   */
  async instagramMessage(accountId: string, recipientId: string, message: InstagramMessage, tag?: 'HUMAN_AGENT'): Promise<{ id: string }> {
    const { body } = await this.http.call<{ message_id?: string }>({
      method: 'POST',
      path: `/${encodeURIComponent(accountId)}/messages`,
      body: { recipient: { id: recipientId }, message, messaging_type: tag ? 'MESSAGE_TAG' : 'RESPONSE', ...(tag && { tag }) },
      token: this.pageAccessToken,
      writeOnce: true,
    });
    return { id: body?.message_id ?? '' };
  }

  /**
   * A public reply under the comment: `/{comment-id}/comments` on Facebook, `/{comment-id}/replies` on Instagram.
   * Graph has no idempotency key, so after a 502/504 or no answer the comment's replies are read: ours there
   * means it went out; absent means it did not (the queue may try again); unreadable means nobody can tell,
   * and the job is parked for a person (PLATFORM_OUTCOME_UNKNOWN) rather than risk a second public comment.
   */
  async commentReply(platform: 'facebook' | 'instagram', commentId: string, text: string): Promise<{ id: string }> {
    try {
      const { body } = await this.http.call<{ id?: string }>({
        method: 'POST',
        path: this.repliesPath(platform, commentId),
        body: { message: text },
        token: this.pageAccessToken,
        retries: 0,
      });
      return { id: body?.id ?? '' };
    } catch (error) {
      if (!isOutcomeUnknown(error)) throw error;
      let ours: string | undefined;
      try {
        ours = await this.findOurReply(platform, commentId);
      } catch (lookupError) {
        throw new PlatformError(
          'PLATFORM_OUTCOME_UNKNOWN',
          `${error.message}; could not check whether our reply is under the comment (${(lookupError as Error).message}): not resent, a person should check the thread`,
          error.status,
          undefined,
          error.body,
          { cause: error },
        );
      }
      if (ours) return { id: ours };
      throw error;
    }
  }

  /** Our reply's id among the comment's replies; throws when the replies cannot be read or the brand's id is unknown. */
  private async findOurReply(platform: 'facebook' | 'instagram', commentId: string): Promise<string | undefined> {
    const ourId = platform === 'instagram' ? this.brand?.instagramAccountId : this.brand?.pageId;
    if (!ourId) throw new Error(`the brand's ${platform} id is not configured`);
    const { body } = await this.http.call<CommentReplies>({
      method: 'GET',
      path: this.repliesPath(platform, commentId),
      query: { fields: platform === 'instagram' ? 'id,from,username' : 'id,from', limit: '100' },
      token: this.pageAccessToken,
      retries: 1,
    });
    if (!Array.isArray(body?.data)) throw new Error('the replies answer has no data list');
    const ours = body.data.find((reply) => reply.from?.id === ourId);
    return ours ? ours.id || 'found-after-unknown-outcome' : undefined;
  }

  private repliesPath(platform: 'facebook' | 'instagram', commentId: string): string {
    return `/${encodeURIComponent(commentId)}/${platform === 'instagram' ? 'replies' : 'comments'}`;
  }
}
