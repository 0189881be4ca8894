import { describe, expect, it } from 'vitest';
import { DAY, ManualClock } from '../../services/clock';
import { socialPostsOf, type SocialPostRecord } from '../../services/social/types';
import { startTestApp } from '../support/testApp';
import { api, staffToken } from './support';

function post(id: string, at: Date, extra: Partial<SocialPostRecord> = {}): SocialPostRecord {
  return {
    _id: `x:${id}`, platform: 'x', postId: id, url: `https://x.com/someone/status/${id}`, text: `@acme my parcel ${id} is lost, call me on 07700 900123`,
    author: { id: `author-${id}`, handle: `handle_${id}`, name: `Name ${id}`, followers: 300 }, impressions: 900,
    sentiment: { score: -2, comparative: -0.2 }, triage: { decision: 'needs_care', reason: 'complaint about delivery', rulesVersion: '1' },
    topics: { hashtags: ['lost'], products: [], subjects: ['delivery'] }, receivedAt: at, postedAt: at, source: 'x_webhook', ...extra,
  };
}

describe('privacy: retention of the public-post archive', () => {
  it('when the retention sweep runs, archived posts older than RETENTION_DAYS that never led to a ticket lose their author and text; newer posts and posts of open tickets stay', async () => {
    const clock = new ManualClock('2026-01-05T10:00:00Z');
    const app = await startTestApp({ RETENTION_DAYS: '30' }, { clock });
    try {
      const posts = socialPostsOf(app.db);
      const old = clock.now();
      await posts.insertMany([post('old', old), post('old-with-ticket', old, { ticketRef: 'CS-OPEN01' })]);
      clock.advance(25 * DAY);
      await posts.insertOne(post('recent', clock.now()));
      clock.advance(6 * DAY);

      await app.insight.sweepRetention();
      const gone = await posts.findOne({ _id: 'x:old' });
      expect(JSON.stringify(gone)).not.toMatch(/author-old|handle_old|Name old|07700|parcel/);
      // What the reports count stays: platform, when, and the triage decision.
      expect(gone).toMatchObject({ platform: 'x', receivedAt: old, triage: { decision: 'needs_care' } });
      expect(await posts.findOne({ _id: 'x:recent' })).toMatchObject({ author: { handle: 'handle_recent' } });
      expect(await posts.findOne({ _id: 'x:old-with-ticket' })).toMatchObject({ author: { handle: 'handle_old-with-ticket' } });

      const status = await api(app, await staffToken(app, 'supervisor'))<{ lastRun: { erasedPosts: number } }>('GET', '/api/privacy/retention');
      expect(status.body.lastRun).toMatchObject({ erasedPosts: 1 });
      await app.insight.sweepRetention();
      expect((await api(app, await staffToken(app, 'supervisor'))<{ lastRun: { erasedPosts: number } }>('GET', '/api/privacy/retention')).body.lastRun).toMatchObject({ erasedPosts: 0 });
    } finally {
      await app.close();
    }
  });
});
