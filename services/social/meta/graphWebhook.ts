/**
 * Graph webhook bodies → PublicPost: Page feed comments (`object: page`, item comment, verb add) and
 * Instagram comments (`object: instagram`, field comments). The brand's own comments are left out.
 * A Page comment's `verb: remove` is a deletion and `verb: edited` an edit of an archived comment.
 */
import type { BrandAnswer, PostDeletion, PostEdit } from '../postChanges';
import type { PublicPost } from '../types';
import { fromSeconds, latestOf } from '../webhookAge';

interface Change {
  field?: string;
  value?: Record<string, unknown>;
}

export interface GraphWebhookBody {
  object?: string;
  entry?: Array<{ id?: string; time?: number; changes?: Change[] }>;
}

export interface MetaBrandIds {
  pageId: string;
  instagramAccountId: string;
}

export function isGraphWebhookBody(body: unknown): body is GraphWebhookBody {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as GraphWebhookBody).object === 'string';
}

export interface GraphChanges {
  posts: PublicPost[];
  deletions: PostDeletion[];
  edits: PostEdit[];
  /** The Page's own replies under a comment (a person on the team, or our queued reply coming back). */
  brandAnswers: BrandAnswer[];
  skipped: number;
}

export function parseGraphWebhook(body: GraphWebhookBody, brand: MetaBrandIds): GraphChanges {
  const posts: PublicPost[] = [];
  const deletions: PostDeletion[] = [];
  const edits: PostEdit[] = [];
  const brandAnswers: BrandAnswer[] = [];
  let skipped = 0;
  for (const entry of Array.isArray(body.entry) ? body.entry : []) {
    // When Meta sent this change (seconds): for an edit, the edit's own time (its created_time is the comment's).
    const sentAt = fromSeconds(entry?.time);
    for (const change of Array.isArray(entry.changes) ? entry.changes : []) {
      const value = change.value ?? {};
      const commentId = str(value.comment_id);
      if (body.object === 'page' && change.field === 'feed' && value.item === 'comment' && commentId && (value.verb === 'remove' || value.verb === 'edited')) {
        const authorId = str((value.from as { id?: unknown } | undefined)?.id);
        if (value.verb === 'remove') deletions.push({ platform: 'facebook', postId: commentId, ...(authorId && { authorId }) });
        else edits.push({ platform: 'facebook', postId: commentId, text: str(value.message) ?? '', ...(sentAt && { eventAt: sentAt }) });
        continue;
      }
      const answer = body.object === 'page' && change.field === 'feed' ? pageAnswer(value, brand) : undefined;
      if (answer) brandAnswers.push({ ...answer, ...(sentAt && { eventAt: sentAt }) });
      const post =
        body.object === 'page' && change.field === 'feed'
          ? pageComment(value, brand)
          : body.object === 'instagram' && change.field === 'comments'
            ? instagramComment(value, sentAt, brand)
            : undefined;
      const eventAt = latestOf(sentAt, fromSeconds(value.created_time));
      if (post) posts.push({ ...post, ...(eventAt && { eventAt }) });
      else skipped++;
    }
  }
  return { posts, deletions, edits, brandAnswers, skipped };
}

/** The Page's own comment replying under someone's comment (`parent_id` is that comment). */
function pageAnswer(value: Record<string, unknown>, brand: MetaBrandIds): BrandAnswer | undefined {
  const from = value.from as { id?: unknown } | undefined;
  const parentId = str(value.parent_id);
  if (value.item !== 'comment' || value.verb !== 'add' || str(from?.id) !== brand.pageId || !parentId || parentId === str(value.post_id)) return undefined;
  return { platform: 'facebook', postId: parentId, ...(str(value.comment_id) && { answerId: str(value.comment_id) }) };
}

function pageComment(value: Record<string, unknown>, brand: MetaBrandIds): PublicPost | undefined {
  if (value.item !== 'comment' || value.verb !== 'add') return undefined;
  const from = value.from as { id?: string; name?: string } | undefined;
  const commentId = str(value.comment_id);
  // Ids go into store filters and identities: only strings (never an object such as {"$ne": ""}).
  const authorId = str(from?.id);
  if (!commentId || !authorId || authorId === brand.pageId) return undefined;
  const post = value.post as { permalink_url?: string } | undefined;
  return {
    platform: 'facebook',
    postId: commentId,
    eventId: `facebook:comment:${commentId}`,
    url: post?.permalink_url ? `${post.permalink_url}?comment_id=${encodeURIComponent(commentId.split('_').pop() ?? commentId)}` : `https://www.facebook.com/${commentId}`,
    text: str(value.message) ?? '',
    authorId,
    ...(str(from?.name) && { authorName: str(from?.name) }),
    postedAt: fromSeconds(value.created_time) ?? new Date(),
    onBrandSurface: true,
    ...(str(value.parent_id) && { parentId: str(value.parent_id) }),
  };
}

function instagramComment(value: Record<string, unknown>, sentAt: Date | undefined, brand: MetaBrandIds): PublicPost | undefined {
  const from = value.from as { id?: string; username?: string } | undefined;
  const commentId = str(value.id);
  const authorId = str(from?.id);
  if (!commentId || !authorId || authorId === brand.instagramAccountId) return undefined;
  const media = value.media as { id?: string } | undefined;
  return {
    platform: 'instagram',
    postId: commentId,
    eventId: `instagram:comment:${commentId}`,
    text: str(value.text) ?? '',
    authorId,
    ...(str(from?.username) && { authorHandle: str(from?.username) }),
    postedAt: sentAt ?? new Date(),
    onBrandSurface: true,
    ...(media?.id && { parentId: media.id }),
  };
}

/** A non-empty string field of a webhook body, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
