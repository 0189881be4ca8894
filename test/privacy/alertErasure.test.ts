/** Listening alerts copy example posts (author, handle, text, link): they are found, erased and aged out with the person's other data. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY, ManualClock } from '../../services/clock';
import { exampleOf } from '../../services/listening/alerts';
import { LISTENING_ALERTS_COLLECTION, type ListeningAlert } from '../../services/listening/alertTypes';
import { CRISIS_HELD_COLLECTION, type HeldReply } from '../../services/listening/crisis';
import { socialPostsOf, SOCIAL_REPLIES_COLLECTION, type ReplyJob, type SocialPostRecord } from '../../services/social/types';
import type { App } from '../../index';
import { startTestApp, tempDataDir } from '../support/testApp';
import { api, staffToken } from './support';

function post(id: string, author: { id: string; handle: string; name: string }, at: Date, text: string, impressions = 900): SocialPostRecord {
  return {
    _id: `x:${id}`, platform: 'x', postId: id, url: `https://x.com/${author.handle}/status/${id}`, text,
    author: { ...author, followers: 300 }, impressions,
    sentiment: { score: -2, comparative: -0.2 }, triage: { decision: 'needs_care', reason: 'complaint about delivery', rulesVersion: '1' },
    topics: { hashtags: ['lost'], products: [], subjects: ['delivery'] }, receivedAt: at, postedAt: at, source: 'x_webhook',
  };
}

const PRIYA = { id: '777000111', handle: 'priya_r_travels', name: 'Priya Raman' };
const TOM = { id: '888000222', handle: 'tom_okafor', name: 'Tom Okafor' };
const ANN = { id: '999000333', handle: 'ann_b', name: 'Ann Berg' };

/** Priya's viral complaint (a reach alert through the real listening job) and a spike alert sampling her, Tom, and Ann quoting her. */
async function alertsAboutPriya(app: App) {
  const at = app.clock.now();
  const posts = [
    post('1901', PRIYA, at, '@acme parcel never arrived, third time this month', 40_000),
    post('1902', TOM, at, '@acme my blender came broken'),
    post('1903', ANN, at, '@priya_r_travels same here, @acme lost mine too'),
  ];
  await socialPostsOf(app.db).insertMany(posts);
  await app.insight.monitor.tick();
  const listened = posts.map((record) => ({ key: record._id, platform: record.platform, postId: record.postId, url: record.url, text: record.text, authorId: record.author.id, authorHandle: record.author.handle, followers: 300, at, topics: ['#lost'] }));
  await app.insight.alerts.raise({
    _id: `spike:#lost:${at.toISOString()}`, kind: 'spike', severity: 'warning', topic: '#lost', title: 'Spike: #lost — 14 complaints in 15 min',
    summary: '14 people posted complaints on #lost (15 posts)', numbers: { count: 14, posts: 15 }, examples: listened.map((one) => exampleOf(one, (text) => text)),
  });
  // Her post's public reply is queued (its follow-up greets her by name), and crisis mode held it.
  await app.db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION).insertOne({
    _id: 'x_public_reply:x:1901', kind: 'x_public_reply', platform: 'x', postKey: 'x:1901', targetId: '1901', text: 'Sorry Priya Raman, we are on it', status: 'pending', attempts: 0, nextAttemptAt: at, createdAt: at,
    then: { onSent: { kind: 'x_public_reply', platform: 'x', postKey: 'x:1901', targetId: '1901', text: 'Priya Raman, check your DMs' } }, excludeUserIds: [ANN.id],
  });
  await app.db.collection<HeldReply>(CRISIS_HELD_COLLECTION).insertOne({ _id: 'x:1901', topic: '#lost', heldAt: at });
}

const alertsOf = (app: App) => app.db.collection<ListeningAlert>(LISTENING_ALERTS_COLLECTION);

function storeFiles(dataDir: string, names: string[]): string {
  return readdirSync(dataDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => names.some((name) => file.startsWith(name)) && file.endsWith('.db'))
    .map((file) => readFileSync(path.join(dataDir, file), 'utf8'))
    .join('\n');
}

describe('privacy: listening alerts hold copies of people\'s posts', () => {
  it('subject access shows a person the alerts that sampled their posts with only their own examples, never other people\'s posts', async () => {
    const app = await startTestApp({}, { clock: new ManualClock('2026-01-05T10:00:00Z') });
    try {
      await alertsAboutPriya(app);
      const call = api(app, await staffToken(app, 'supervisor'));
      const { status, body } = await call<{ data: { listeningAlerts: ListeningAlert[] } }>('POST', '/api/privacy/access', { channelUserId: PRIYA.id });
      expect(status).toBe(200);
      const found = body.data.listeningAlerts;
      expect(found.map((alert) => alert.kind).sort()).toEqual(['reach', 'spike']);
      for (const alert of found) expect(alert.examples.map((example) => example.authorId)).toEqual([PRIYA.id]);
      expect(JSON.stringify(found)).not.toMatch(/tom_okafor|blender|ann_b|lost mine too/);
    } finally {
      await app.close();
    }
  });

  it('when a person is erased, their alert examples, their handle in summaries and in posts quoting them, their queued reply and its follow-up go; counts, topic and other people\'s examples stay', async () => {
    const dataDir = tempDataDir();
    const app = await startTestApp({ DATA_DIR: dataDir }, { clock: new ManualClock('2026-01-05T10:00:00Z') });
    try {
      await alertsAboutPriya(app);
      expect(storeFiles(dataDir, [LISTENING_ALERTS_COLLECTION, CRISIS_HELD_COLLECTION])).toContain('priya_r_travels');
      const erase = await api(app, await staffToken(app, 'supervisor'))<{ counts: Record<string, number> }>('POST', '/api/privacy/erase', { channelUserId: PRIYA.id, confirm: true });
      expect(erase.status).toBe(200);
      expect(erase.body.counts.listeningAlerts).toBe(2);

      const spike = (await alertsOf(app).findOne({ kind: 'spike' }))!;
      expect(spike).toMatchObject({ topic: '#lost', numbers: { count: 14, posts: 15 }, summary: '14 people posted complaints on #lost (15 posts)' });
      expect(spike.examples.map((example) => example.authorId)).toEqual([TOM.id, ANN.id]);
      expect(spike.examples[1]!.text).toBe('@[erased] same here, @acme lost mine too');
      const reach = (await alertsOf(app).findOne({ kind: 'reach' }))!;
      expect(reach).toMatchObject({ topic: '#lost', numbers: { impressions: 40_000 }, examples: [] });
      expect(reach.summary).toMatch(/^A complaint on x by @\[erased\] has 40,000 impressions/);

      const reply = (await app.db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION).findOne({ _id: 'x_public_reply:x:1901' }))!;
      expect(reply.status).toBe('cancelled');
      expect(JSON.stringify(reply)).not.toMatch(/Priya|999000333/);
      // On disk at once: no copy of her post, handle, name or id, in the alerts or the held crisis replies.
      const onDisk = storeFiles(dataDir, [LISTENING_ALERTS_COLLECTION, CRISIS_HELD_COLLECTION, SOCIAL_REPLIES_COLLECTION]);
      expect(onDisk).not.toMatch(/priya_r_travels|Priya Raman|777000111|third time this month/);
      expect(storeFiles(dataDir, [CRISIS_HELD_COLLECTION])).not.toContain('x:1901');
      expect(onDisk).toContain('tom_okafor');
    } finally {
      await app.close();
    }
  });

  it('when the retention sweep runs, alerts raised longer ago than RETENTION_DAYS lose their example posts and the handle in their summary, keep topic and numbers; newer alerts keep theirs', async () => {
    const clock = new ManualClock('2026-01-05T10:00:00Z');
    const app = await startTestApp({ RETENTION_DAYS: '30' }, { clock });
    try {
      await alertsAboutPriya(app);
      clock.advance(25 * DAY);
      const recent = post('2001', TOM, clock.now(), '@acme still broken', 50_000);
      await socialPostsOf(app.db).insertOne(recent);
      await app.insight.monitor.tick();
      clock.advance(6 * DAY);

      await app.insight.sweepRetention();
      const old = await alertsOf(app).find({ at: { $lt: new Date('2026-01-06T00:00:00Z') } });
      expect(old).toHaveLength(2);
      for (const alert of old) {
        expect(alert.examples).toEqual([]);
        expect(alert.topic).toBe('#lost');
        expect(JSON.stringify(alert)).not.toMatch(/priya_r_travels|tom_okafor|ann_b|never arrived/);
      }
      expect(old.find((alert) => alert.kind === 'spike')!.numbers).toEqual({ count: 14, posts: 15 });
      expect((await alertsOf(app).findOne({ _id: 'reach:x:2001' }))!.examples).toMatchObject([{ authorHandle: 'tom_okafor', text: '@acme still broken' }]);
      // Our old reply to a post that never became a ticket named her: it ages out with the post.
      expect((await app.db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION).findOne({ _id: 'x_public_reply:x:1901' }))?.text).not.toMatch(/Priya/);

      const call = api(app, await staffToken(app, 'supervisor'));
      expect((await call<{ lastRun: { erasedAlerts: number } }>('GET', '/api/privacy/retention')).body.lastRun).toMatchObject({ erasedAlerts: 2 });
      await app.insight.sweepRetention();
      expect((await call<{ lastRun: { erasedAlerts: number } }>('GET', '/api/privacy/retention')).body.lastRun).toMatchObject({ erasedAlerts: 0 });
    } finally {
      await app.close();
    }
  });
});
