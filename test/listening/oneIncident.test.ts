/** One outage seen through many topics raises one alert and one crisis, with a holding statement that reads well. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, ManualClock, MINUTE } from '../../services/clock';
import { AlertService } from '../../services/listening/alerts';
import type { ListeningAlert } from '../../services/listening/alertTypes';
import { CrisisService, type CrisisMode } from '../../services/listening/crisis';
import { ListeningMonitor } from '../../services/listening/monitor';
import { SpikeDetector } from '../../services/listening/spikes';
import { AlertWebhook } from '../../services/listening/webhook';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Collection, Database, Document } from '../../services/store/types';
import type { SocialPostRecord } from '../../services/social/types';
import { FakeWebhook } from './support/fakeWebhook';

const BUCKET = 15 * MINUTE;
const DEFAULT_STATEMENT = "We know many of you are affected by {topic}. We're on it and will post updates here. If you need help with your order, DM us and we'll look after you personally. – {brand}";
let n = 0;

function archived(at: Date, text: string, hashtags: string[] = []): SocialPostRecord {
  const id = String(++n);
  return {
    _id: `x:${id}`, platform: 'x', postId: id, text, author: { id: `u${id}`, handle: `user${id}`, followers: 150 },
    sentiment: { score: -3, comparative: -0.5 }, triage: { decision: 'needs_care', reason: 'complaint', rulesVersion: '1' },
    topics: { hashtags, products: [], subjects: [] }, receivedAt: at, postedAt: at, source: 'x_webhook',
  };
}

describe('one incident, one alert', () => {
  let db: Database;
  let posts: Collection<SocialPostRecord>;
  let alertDocs: Collection<ListeningAlert>;
  let clock: ManualClock;
  let hook: FakeWebhook;
  let alerts: AlertService;
  let crisis: CrisisService;
  let monitor: ListeningMonitor;

  beforeEach(async () => {
    db = await openNedbDatabase(':memory:');
    posts = db.collection<SocialPostRecord>('socialPosts');
    alertDocs = db.collection<ListeningAlert>('listeningAlerts');
    clock = new ManualClock('2026-03-02T00:00:00Z');
    hook = await new FakeWebhook().start();
    alerts = new AlertService(alertDocs, clock, new AlertWebhook({ url: hook.url, format: 'slack', timeoutMs: 2000, initialBackoffMs: 10 }));
    crisis = new CrisisService(db.collection<CrisisMode>('crisisModes'), db.collection<Document & { topic: string; postKey: string; at: Date }>('crisisPublicReplies'), clock, {
      publicRepliesPerHour: 20, holdingStatementTemplate: DEFAULT_STATEMENT, brandName: 'Acme', autoHours: 24, vocabulary: { products: [], keywords: [] },
    });
    monitor = new ListeningMonitor(
      posts,
      new SpikeDetector({ bucketMs: BUCKET, alpha: 0.1, zThreshold: 4, minCount: 10, minRatio: 2, warmupBuckets: 8, cooldownMs: HOUR }),
      alerts, crisis, clock,
      { bucketMs: BUCKET, historyBuckets: 16, reachThreshold: 0, reachWindowMs: 6 * HOUR, crisisAutoZ: 8, crisisAutoMinCount: 50, vocabulary: { products: [], keywords: [] } },
      (text) => text,
    );
  });

  afterEach(async () => {
    await alerts.drain();
    await hook.stop();
    await db.close();
  });

  it('when 120 posts about one outage follow 20 quiet windows, raises one crisis alert on the hashtag naming the other rising topics, sends one webhook, and opens one crisis mode whose statement reads well', async () => {
    for (let w = 0; w < 20; w++) {
      const start = clock.now().getTime();
      await posts.insertMany(Array.from({ length: 6 }, (_, i) => archived(new Date(start + i * MINUTE), 'my parcel is late again')));
      clock.advance(BUCKET);
      await monitor.tick();
    }
    expect(await alertDocs.countDocuments({})).toBe(0);
    const variants = [
      '@AcmeSupport my parcel never arrived, tracking stuck #AcmeDown',
      '@AcmeSupport parcel never arrived and tracking is stuck #AcmeDown',
      '@AcmeSupport tracking stuck for days, parcel never arrived #AcmeDown',
      '@AcmeSupport where is my parcel? tracking stuck #AcmeDown',
    ];
    const start = clock.now().getTime();
    await posts.insertMany(Array.from({ length: 120 }, (_, i) => archived(new Date(start + i * 5000), variants[i % 4]!, ['acmedown'])));
    clock.advance(BUCKET);
    await monitor.tick();
    await alerts.drain();

    const raised = await alertDocs.find({});
    expect(raised.map((alert) => `${alert.kind} ${alert.topic}`)).toEqual(['crisis #acmedown']);
    expect(raised[0]!.summary).toMatch(/Rising with it \(the same posts, one incident\): .*complaints overall/);
    for (const term of ['parcel', 'stuck', 'tracking']) expect(raised[0]!.summary).toContain(term);
    expect(hook.calls).toHaveLength(1);

    const modes = await crisis.active();
    expect(modes.map((mode) => mode.topic)).toEqual(['#acmedown']);
    expect(modes[0]!.holdingStatement.text).toBe("We know many of you are affected by #acmedown. We're on it and will post updates here. If you need help with your order, DM us and we'll look after you personally. – Acme");
  });

  it('keeps two unrelated incidents in the same window apart', async () => {
    for (let w = 0; w < 20; w++) {
      const start = clock.now().getTime();
      await posts.insertMany(Array.from({ length: 6 }, (_, i) => archived(new Date(start + i * MINUTE), 'my parcel is late again')));
      clock.advance(BUCKET);
      await monitor.tick();
    }
    const start = clock.now().getTime();
    await posts.insertMany(Array.from({ length: 60 }, (_, i) => archived(new Date(start + i * 5000), 'checkout broken, card declined #PayDown', ['paydown'])));
    await posts.insertMany(Array.from({ length: 60 }, (_, i) => archived(new Date(start + i * 5000), 'warehouse fire delayed everything #FireDelay', ['firedelay'])));
    clock.advance(BUCKET);
    await monitor.tick();
    const topics = (await alertDocs.find({})).map((alert) => alert.topic).sort();
    expect(topics).toEqual(['#firedelay', '#paydown']);
  });

  it.each([
    ['term:stuck', 'the current issue'],
    ['all complaints', 'the current issue'],
    ['keyword:refund', 'the refund issue'],
    ['#acmedown', '#acmedown'],
    ['product:acme one', 'acme one'],
  ])('the holding statement for %s names it as "%s", never a bare word', (topic, phrase) => {
    const text = crisis.holdingStatementFor(topic);
    expect(text).toContain(`affected by ${phrase}.`);
    expect(text).not.toMatch(/affected by (stuck|all complaints)/);
  });
});
