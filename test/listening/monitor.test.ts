import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, type ManualClock, MINUTE } from '../../services/clock';
import type { AlertService } from '../../services/listening/alerts';
import type { ListeningAlert } from '../../services/listening/alertTypes';
import type { CrisisService } from '../../services/listening/crisis';
import type { ListeningMonitor } from '../../services/listening/monitor';
import { webhookPayload } from '../../services/listening/webhook';
import type { Collection, Database } from '../../services/store/types';
import type { SocialPostRecord } from '../../services/social/types';
import { archivedPost, BUCKET, startListeningBench } from './listeningBench';
import type { FakeWebhook } from './support/fakeWebhook';

describe('the listening job over the archive', () => {
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
      publicRepliesPerHour: 5,
      holdingStatementTemplate: 'About {topic}: we are on it.',
      reachThreshold: 25_000,
      redact: (text) => text.replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, '[email]'),
    }));
  });

  afterEach(async () => {
    await close();
  });

  /** Six complaints per window for `windows` windows, starting at the clock. */
  async function steady(windows: number): Promise<void> {
    for (let w = 0; w < windows; w++) {
      const start = clock.now().getTime();
      await posts.insertMany(Array.from({ length: 6 }, (_, i) => archivedPost(new Date(start + i * MINUTE), 'my parcel is late again')));
      clock.advance(BUCKET);
      await monitor.tick();
    }
  }

  it('counts a window with more complaints than one page holds, each once, posts arriving in the same millisecond included', async () => {
    await steady(20);
    const start = clock.now().getTime();
    // 2,345 complaints, many sharing a timestamp: paging must neither skip nor repeat any.
    await posts.insertMany(Array.from({ length: 2345 }, (_, i) => archivedPost(new Date(start + Math.floor(i / 7) * 1000), 'Checkout down again #AcmeDown', { author: { id: `w${i}`, handle: `w${i}`, followers: i === 2000 ? 90_000 : 100 } })));
    // Posts their authors deleted are kept as ids only and no longer count.
    await posts.insertMany(Array.from({ length: 40 }, (_, i) => archivedPost(new Date(start + i * 1000), '', { _id: `x:gone${i}`, postId: `gone${i}`, topics: { hashtags: ['#acmedown'], products: [], subjects: [] }, deletedAt: new Date(start) })));
    clock.advance(BUCKET);
    await monitor.tick();
    await alerts.drain();
    const alert = await alertDocs.findOne({ topic: '#acmedown', kind: { $in: ['spike', 'crisis'] } });
    expect(alert).toMatchObject({ numbers: { count: 2345 } });
    expect(alert!.examples[0]).toMatchObject({ authorHandle: 'w2000', followers: 90_000 });
  });

  it('when complaints on a hashtag surge, raises one spike alert with the numbers and examples, sends it to the Slack webhook (retrying a 500), and switches crisis mode on for a large spike', async () => {
    await steady(20);
    expect(await alertDocs.countDocuments({})).toBe(0);
    hook.failFirst = 1;
    const start = clock.now().getTime();
    await posts.insertMany(
      Array.from({ length: 80 }, (_, i) => archivedPost(new Date(start + i * 5000), `Checkout down, card charged, write me at buyer${i}@example.com #AcmeDown`, { author: { id: `v${i}`, handle: `vocal${i}`, followers: i === 7 ? 50_000 : 100 } })),
    );
    clock.advance(BUCKET);
    await monitor.tick();
    await monitor.tick();
    await alerts.drain();

    const alert = await alertDocs.findOne({ topic: '#acmedown', kind: { $in: ['spike', 'crisis'] } });
    expect(alert).toMatchObject({ kind: 'crisis', severity: 'crisis', numbers: { count: 80, baseline: 0 } });
    expect(alert!.title).toMatch(/#acmedown — 80 complaints in 15 min/);
    expect(alert!.examples[0]).toMatchObject({ authorHandle: 'vocal7', followers: 50_000 });
    expect(alert!.examples[0]!.text).not.toMatch(/@example\.com/);
    expect(alert!.webhook).toMatchObject({ status: 'sent' });

    const delivered = hook.calls.filter((call) => call.alertId === alert!._id);
    expect(delivered).toHaveLength(2);
    expect((delivered[1]!.body as { text: string }).text).toMatch(/Crisis: #acmedown/);
    expect((await crisis.active()).map((mode) => mode.topic)).toContain('#acmedown');
  });

  it('raises no alert while traffic stays steady, however often it runs', async () => {
    await steady(40);
    await monitor.tick();
    expect(await alertDocs.countDocuments({})).toBe(0);
    expect(hook.calls).toEqual([]);
  });

  it('when one complaint passes the impressions threshold within the window, raises a reach alert once', async () => {
    await steady(10);
    await posts.insertOne(archivedPost(new Date(clock.now().getTime() - 2 * HOUR), 'Promoted complaint: #AcmeDown lost my order', { impressions: 26_000, ticketRef: 'CS-ABC123' }));
    await posts.insertOne(archivedPost(new Date(clock.now().getTime() - 8 * HOUR), 'old viral one', { impressions: 90_000 }));
    await posts.insertOne(archivedPost(new Date(clock.now().getTime() - HOUR), '', { _id: 'x:deleted-viral', postId: 'deleted-viral', impressions: 80_000, deletedAt: clock.now() }));
    await monitor.tick();
    clock.advance(MINUTE);
    await monitor.tick();
    const reach = await alertDocs.find({ kind: 'reach' });
    expect(reach).toHaveLength(1);
    expect(reach[0]!.title).toBe('One complaint is reaching many people: 26,000 impressions');
    expect(reach[0]!.summary).toMatch(/Ticket CS-ABC123/);
  });

  it('formats a Teams alert as an Adaptive Card message', () => {
    const card = webhookPayload(
      { _id: 'a1', kind: 'spike', severity: 'warning', topic: '#x', title: 'Spike: #x', summary: 'numbers', numbers: {}, examples: [], at: new Date(), webhook: { status: 'pending', attempts: 0 } },
      'teams',
    ) as { type: string; attachments: Array<{ contentType: string; content: { type: string; body: Array<{ text: string }> } }> };
    expect(card.type).toBe('message');
    expect(card.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0]!.content.body[0]!.text).toBe('Spike: #x');
  });
});
