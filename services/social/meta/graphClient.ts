/** The Graph API calls this area makes: one Private Reply per comment, and a short public answer under it. */
import { PlatformError, type PlatformHttp } from '../platformHttp';

/** Graph error codes meaning "this comment was already answered privately": an earlier attempt went out. */
const ALREADY_REPLIED = [10900];

export class GraphClient {
  constructor(
    private readonly http: PlatformHttp,
    private readonly pageAccessToken: string,
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
      const code = ((error as PlatformError).body as { error?: { code?: number } } | undefined)?.error?.code;
      if (error instanceof PlatformError && code !== undefined && ALREADY_REPLIED.includes(code)) return { id: 'already-replied' };
      throw error;
    }
  }

  /** A public reply under the comment: `/{comment-id}/comments` on Facebook, `/{comment-id}/replies` on Instagram. */
  async commentReply(platform: 'facebook' | 'instagram', commentId: string, text: string): Promise<{ id: string }> {
    const { body } = await this.http.call<{ id?: string }>({
      method: 'POST',
      path: `/${encodeURIComponent(commentId)}/${platform === 'instagram' ? 'replies' : 'comments'}`,
      body: { message: text },
      token: this.pageAccessToken,
      retries: 0,
    });
    return { id: body?.id ?? '' };
  }
}
