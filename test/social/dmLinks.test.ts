/** A DM-link token links its post only for the post's author, on the post's own platform; otherwise it reveals nothing. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, ManualClock } from '../../services/clock';
import { DmLinks } from '../../services/social/dmLinks';
import { RefTokens } from '../../services/social/refToken';
import { socialPostsOf, type SocialPostRecord } from '../../services/social/types';
import { openDatabase } from '../../services/store/openDatabase';
import type { Collection, Database } from '../../services/store/types';
import { tempDataDir } from '../support/testApp';

describe('DM links from a token', () => {
  let db: Database;
  let posts: Collection<SocialPostRecord>;
  let links: DmLinks;
  let token: string;
  let clock: ManualClock;
  const tokens = new RefTokens('test-dm-link-secret-0123456789', 24 * HOUR);

  beforeEach(async () => {
    clock = new ManualClock('2026-03-02T10:00:00Z');
    db = await openDatabase({ dataDir: tempDataDir('social-dmlinks-') });
    posts = socialPostsOf(db);
    await posts.insertOne({
      _id: 'x:1',
      platform: 'x',
      postId: '1',
      text: '@AcmeSupport my parcel never arrived',
      author: { id: '6253282', handle: 'priya_r' },
      sentiment: { score: -2, comparative: -0.3 },
      triage: { decision: 'needs_care', reason: 'complaint about delivery', rulesVersion: 't' },
      topics: { hashtags: [], products: [], subjects: ['delivery'] },
      receivedAt: clock.now(),
      postedAt: clock.now(),
      source: 'x_webhook',
      linkId: '-bcdefghijkl',
    });
    links = new DmLinks({ posts, tokens, clock, recentDays: 3 });
    token = tokens.sign('-bcdefghijkl', clock.now());
  });

  afterEach(async () => {
    await db.close();
  });

  it('links the post for its author on its platform', async () => {
    const outcome = await links.fromToken(token, { platform: 'x', userId: '6253282' });
    expect(outcome.status).toBe('linked');
    expect(outcome.status === 'linked' && outcome.linked.gist).toMatch(/parcel never arrived/);
  });

  it('refuses another user on the same platform, and says nothing of the post', async () => {
    const outcome = await links.fromToken(token, { platform: 'x', userId: '999000111' });
    expect(outcome).toEqual({ status: 'not_author', platform: 'x' });
  });

  it('refuses when the channel\'s ids cannot be compared with the author\'s (another platform, Web Chat, no sender id)', async () => {
    expect(await links.fromToken(token, { platform: 'facebook', userId: '6253282' })).toEqual({ status: 'unverifiable', platform: 'x' });
    expect(await links.fromToken(token, { userId: '6253282' })).toEqual({ status: 'unverifiable', platform: 'x' });
    expect(await links.fromToken(token, { platform: 'x' })).toEqual({ status: 'unverifiable', platform: 'x' });
  });

  it('treats a forged or expired token as none', async () => {
    expect(await links.fromToken('AAAAAAAAAAAA.tzzzzz.AAAAAAAAAAAAAAAAAAAAAA', { platform: 'x', userId: '6253282' })).toEqual({ status: 'invalid' });
    clock.advance(25 * HOUR);
    expect(await links.fromToken(token, { platform: 'x', userId: '6253282' })).toEqual({ status: 'invalid' });
  });
});
