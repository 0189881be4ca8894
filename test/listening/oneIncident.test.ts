/** One outage seen through many topics raises one alert and one crisis, with a holding statement that reads well. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ManualClock, MINUTE } from '../../services/clock';
import type { AlertService } from '../../services/listening/alerts';
import type { ListeningAlert } from '../../services/listening/alertTypes';
import type { CrisisService } from '../../services/listening/crisis';
import type { ListeningMonitor } from '../../services/listening/monitor';
import type { Collection, Database } from '../../services/store/types';
import type { SocialPostRecord } from '../../services/social/types';
import { archivedPost, BUCKET, startListeningBench } from './listeningBench';
import type { FakeWebhook } from './support/fakeWebhook';

const DEFAULT_STATEMENT = "We know many of you are affected by {topic}. We're on it and will post updates here. If you need help with your order, DM us and we'll look after you personally. – {brand}";

describe('one incident, one alert', () => {
  let db: Database;
  let posts: Collection<SocialPostRecord>;
  let alertDocs: Collection<ListeningAlert>;
  let clock: ManualClock;
  let hook: FakeWebhook;
  let alerts: AlertService;
  let crisis: CrisisService;
  let monitor: ListeningMonitor;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ db, posts, alertDocs, clock, hook, alerts, crisis, monitor, close } = await startListeningBench({
      publicRepliesPerHour: 20,
      holdingStatementTemplate: DEFAULT_STATEMENT,
      reachThreshold: 0,
      redact: (text) => text,
    }));
  });

  afterEach(async () => {
    await close();
  });

  it('when 120 posts about one outage follow 20 quiet windows, raises one crisis alert on the hashtag naming the other rising topics, sends one webhook, and opens one crisis mode whose statement reads well', async () => {
    for (let w = 0; w < 20; w++) {
      const start = clock.now().getTime();
      await posts.insertMany(Array.from({ length: 6 }, (_, i) => archivedPost(new Date(start + i * MINUTE), 'my parcel is late again')));
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
    await posts.insertMany(Array.from({ length: 120 }, (_, i) => archivedPost(new Date(start + i * 5000), variants[i % 4]!, { hashtags: ['acmedown'] })));
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
      await posts.insertMany(Array.from({ length: 6 }, (_, i) => archivedPost(new Date(start + i * MINUTE), 'my parcel is late again')));
      clock.advance(BUCKET);
      await monitor.tick();
    }
    const start = clock.now().getTime();
    await posts.insertMany(Array.from({ length: 60 }, (_, i) => archivedPost(new Date(start + i * 5000), 'checkout broken, card declined #PayDown', { hashtags: ['paydown'] })));
    await posts.insertMany(Array.from({ length: 60 }, (_, i) => archivedPost(new Date(start + i * 5000), 'warehouse fire delayed everything #FireDelay', { hashtags: ['firedelay'] })));
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
