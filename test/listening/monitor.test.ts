import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../services/clock';
import { webhookPayload } from '../../services/listening/webhook';
import { archivedPost, BUCKET, useListeningBench } from './listeningBench';

describe('the listening job over the archive', () => {
  const bench = useListeningBench({
    publicRepliesPerHour: 5,
    holdingStatementTemplate: 'About {topic}: we are on it.',
    reachThreshold: 25_000,
    redact: (text) => text.replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, '[email]'),
  });

  it('counts a window with more complaints than one page holds, each once, posts arriving in the same millisecond included', async () => {
    await bench.steady(20);
    const start = bench.clock.now().getTime();
    // 2,345 complaints, many sharing a timestamp: paging must neither skip nor repeat any.
    await bench.posts.insertMany(Array.from({ length: 2345 }, (_, i) => archivedPost(new Date(start + Math.floor(i / 7) * 1000), 'Checkout down again #AcmeDown', { author: { id: `w${i}`, handle: `w${i}`, followers: i === 2000 ? 90_000 : 100 } })));
    // Posts their authors deleted are kept as ids only and no longer count.
    await bench.posts.insertMany(Array.from({ length: 40 }, (_, i) => archivedPost(new Date(start + i * 1000), '', { _id: `x:gone${i}`, postId: `gone${i}`, topics: { hashtags: ['#acmedown'], products: [], subjects: [] }, deletedAt: new Date(start) })));
    bench.clock.advance(BUCKET);
    await bench.monitor.tick();
    await bench.alerts.drain();
    const alert = await bench.alertDocs.findOne({ topic: '#acmedown', kind: { $in: ['spike', 'crisis'] } });
    expect(alert).toMatchObject({ numbers: { count: 2345 } });
    expect(alert!.examples[0]).toMatchObject({ authorHandle: 'w2000', followers: 90_000 });
  });

  it('when complaints on a hashtag surge, raises one spike alert with the numbers and examples, sends it to the Slack webhook (retrying a 500), and switches crisis mode on for a large spike', async () => {
    await bench.steady(20);
    expect(await bench.alertDocs.countDocuments({})).toBe(0);
    bench.hook.failFirst = 1;
    const start = bench.clock.now().getTime();
    await bench.posts.insertMany(
      Array.from({ length: 80 }, (_, i) => archivedPost(new Date(start + i * 5000), `Checkout down, card charged, write me at buyer${i}@example.com #AcmeDown`, { author: { id: `v${i}`, handle: `vocal${i}`, followers: i === 7 ? 50_000 : 100 } })),
    );
    bench.clock.advance(BUCKET);
    await bench.monitor.tick();
    await bench.monitor.tick();
    await bench.alerts.drain();

    const alert = await bench.alertDocs.findOne({ topic: '#acmedown', kind: { $in: ['spike', 'crisis'] } });
    expect(alert).toMatchObject({ kind: 'crisis', severity: 'crisis', numbers: { count: 80, baseline: 0 } });
    expect(alert!.title).toMatch(/#acmedown — 80 complaints in 15 min/);
    expect(alert!.examples[0]).toMatchObject({ authorHandle: 'vocal7', followers: 50_000 });
    expect(alert!.examples[0]!.text).not.toMatch(/@example\.com/);
    expect(alert!.webhook).toMatchObject({ status: 'sent' });

    const delivered = bench.hook.calls.filter((call) => call.alertId === alert!._id);
    expect(delivered).toHaveLength(2);
    expect((delivered[1]!.body as { text: string }).text).toMatch(/Crisis: #acmedown/);
    expect((await bench.crisis.active()).map((mode) => mode.topic)).toContain('#acmedown');
  });

  it('raises no alert while traffic stays steady, however often it runs', async () => {
    await bench.steady(40);
    await bench.monitor.tick();
    expect(await bench.alertDocs.countDocuments({})).toBe(0);
    expect(bench.hook.calls).toEqual([]);
  });

  it('when one complaint passes the impressions threshold within the window, raises a reach alert once', async () => {
    await bench.steady(10);
    await bench.posts.insertOne(archivedPost(new Date(bench.clock.now().getTime() - 2 * HOUR), 'Promoted complaint: #AcmeDown lost my order', { impressions: 26_000, ticketRef: 'CS-ABC123' }));
    await bench.posts.insertOne(archivedPost(new Date(bench.clock.now().getTime() - 8 * HOUR), 'old viral one', { impressions: 90_000 }));
    await bench.posts.insertOne(archivedPost(new Date(bench.clock.now().getTime() - HOUR), '', { _id: 'x:deleted-viral', postId: 'deleted-viral', impressions: 80_000, deletedAt: bench.clock.now() }));
    await bench.monitor.tick();
    bench.clock.advance(MINUTE);
    await bench.monitor.tick();
    const reach = await bench.alertDocs.find({ kind: 'reach' });
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
