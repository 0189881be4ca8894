/**
 * One public reply per author per window. A viral burst brings the same upset customer back again and
 * again; a support team answers them once and lets the DM carry on. The claim is one document per author
 * (`socialReplyAuthors`), taken with an atomic upsert, so concurrent posts of one author never both win.
 */
import type { Clock } from '../clock';
import type { Collection } from '../store/types';
import { isDuplicateKey, StoreError } from '../store/types';
import type { ReplyAuthorClaim, SocialPlatform } from './types';

/** Won: this post is answered with `linkId`. `fresh` = taken by this call (release it if the post is not archived). */
export type AuthorClaim = { won: true; linkId: string; fresh: boolean } | { won: false; answeredVia: string };

const ATTEMPTS = 3;

export function authorKeyOf(platform: SocialPlatform, authorId: string): string {
  return `${platform}:${authorId}`;
}

export class ReplyAuthorClaims {
  constructor(
    private readonly claims: Collection<ReplyAuthorClaim>,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Claims the author's reply for `postKey`; a post that already holds the claim (a redelivery) keeps it. */
  async claim(authorKey: string, postKey: string, linkId: string): Promise<AuthorClaim> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.windowMs);
    let lastClash: unknown;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      // Read first: in a burst most posts lose, and losing by a read is cheaper than by a refused upsert.
      const holder = await this.claims.findOne({ _id: authorKey });
      if (holder?.postKey === postKey) return { won: true, linkId: holder.linkId, fresh: false };
      if (holder && holder.lastReplyAt > cutoff) return { won: false, answeredVia: holder.postKey };
      try {
        // Matches only an expired claim; when a recent one exists the upsert's insert clashes on _id.
        await this.claims.findOneAndUpdate(
          { _id: authorKey, lastReplyAt: { $lte: cutoff }, postKey: { $ne: postKey } },
          { $set: { lastReplyAt: now, postKey, linkId } },
          { upsert: true },
        );
        return { won: true, linkId, fresh: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        lastClash = error;
      }
    }
    throw new StoreError('ETAG_CONFLICT', `the reply claim of ${authorKey} kept changing under ${ATTEMPTS} attempts`, { cause: lastClash });
  }

  static indexes(claims: Collection<ReplyAuthorClaim>): Promise<void>[] {
    return [claims.createIndex({ fields: { lastReplyAt: 1 } })];
  }

  /** Claims past their window decide nothing any more; without this the collection grows with every author ever answered. */
  forgetExpired(): Promise<number> {
    return this.claims.deleteMany({ lastReplyAt: { $lte: new Date(this.clock.now().getTime() - this.windowMs) } });
  }

  /** Gives back a claim this call took, so the author's next post is answered; never someone else's claim. */
  async release(authorKey: string, linkId: string): Promise<void> {
    await this.claims.deleteOne({ _id: authorKey, linkId });
  }
}
