/**
 * The normalised JSON other listening tools POST to /api/social/mentions: one post, or `{ "posts": [...] }`
 * (up to 100). Validated field by field into PublicPost; anything wrong is named in a 400.
 */
import type { PublicPost, SocialPlatform } from './types';

const PLATFORMS: SocialPlatform[] = ['x', 'facebook', 'instagram', 'other'];
const MAX_POSTS = 100;

export function parseMentions(body: unknown): { posts: PublicPost[] } | { errors: string[] } {
  const items = isObject(body) && Array.isArray(body.posts) ? body.posts : [body];
  if (items.length === 0 || items.length > MAX_POSTS) return { errors: [`send 1 to ${MAX_POSTS} posts`] };
  const errors: string[] = [];
  const posts: PublicPost[] = [];
  items.forEach((item, index) => {
    const where = items.length > 1 ? `posts[${index}].` : '';
    if (!isObject(item)) return void errors.push(`${where}: must be an object`);
    const problems: string[] = [];
    const str = (field: string, required: boolean, max = 10_000): string | undefined => {
      const value = item[field];
      if (value === undefined || value === null || value === '') {
        if (required) problems.push(`${where}${field} is required`);
        return undefined;
      }
      if (typeof value !== 'string' || value.length > max) problems.push(`${where}${field} must be a string of at most ${max} characters`);
      return typeof value === 'string' ? value : undefined;
    };
    const num = (field: string): number | undefined => {
      const value = item[field];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push(`${where}${field} must be a non-negative number`);
      return typeof value === 'number' ? value : undefined;
    };
    const platform = str('platform', true, 20) as SocialPlatform | undefined;
    if (platform && !PLATFORMS.includes(platform)) problems.push(`${where}platform must be one of ${PLATFORMS.join(', ')}`);
    const postId = str('postId', true, 200);
    const text = str('text', true);
    const authorId = str('authorId', true, 200);
    const postedAtRaw = str('postedAt', false, 40);
    const postedAt = postedAtRaw ? new Date(postedAtRaw) : new Date();
    if (Number.isNaN(postedAt.getTime())) problems.push(`${where}postedAt must be an ISO date`);
    const url = str('url', false, 2000);
    const authorHandle = str('authorHandle', false, 200);
    const authorName = str('authorName', false, 200);
    const language = str('language', false, 20);
    const followers = num('followers');
    const impressions = num('impressions');
    const hashtags = Array.isArray(item.hashtags) ? item.hashtags.filter((tag): tag is string => typeof tag === 'string').slice(0, 50) : undefined;
    if (problems.length > 0 || !platform || !postId || !text || !authorId) return void errors.push(...problems);
    posts.push({
      platform,
      postId,
      eventId: `${platform}:${postId}`,
      text,
      authorId,
      postedAt,
      ...(url && { url }),
      ...(authorHandle && { authorHandle }),
      ...(authorName && { authorName }),
      ...(language && { language }),
      ...(followers !== undefined && { followers }),
      ...(impressions !== undefined && { impressions }),
      ...(hashtags && { hashtags }),
      // The tool already selected posts about the brand; say so unless it tells us otherwise.
      onBrandSurface: item.addressedToBrand !== false,
      isRepost: item.isRepost === true,
    });
  });
  return errors.length > 0 ? { errors } : { posts };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
