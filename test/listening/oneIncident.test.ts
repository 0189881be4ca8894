/** One outage seen through many topics raises one alert and one crisis, with a holding statement that reads well. */
import { describe, expect, it } from 'vitest';
import { archivedPost, BUCKET, useListeningBench } from './listeningBench';

const DEFAULT_STATEMENT = "We know many of you are affected by {topic}. We're on it and will post updates here. If you need help with your order, DM us and we'll look after you personally. – {brand}";

describe('one incident, one alert', () => {
  const bench = useListeningBench({
    publicRepliesPerHour: 20,
    holdingStatementTemplate: DEFAULT_STATEMENT,
    reachThreshold: 0,
    redact: (text) => text,
  });

  it('when 120 posts about one outage follow 20 quiet windows, raises one crisis alert on the hashtag naming the other rising topics, sends one webhook, and opens one crisis mode whose statement reads well', async () => {
    await bench.steady(20);
    expect(await bench.alertDocs.countDocuments({})).toBe(0);
    const variants = [
      '@AcmeSupport my parcel never arrived, tracking stuck #AcmeDown',
      '@AcmeSupport parcel never arrived and tracking is stuck #AcmeDown',
      '@AcmeSupport tracking stuck for days, parcel never arrived #AcmeDown',
      '@AcmeSupport where is my parcel? tracking stuck #AcmeDown',
    ];
    const start = bench.clock.now().getTime();
    await bench.posts.insertMany(Array.from({ length: 120 }, (_, i) => archivedPost(new Date(start + i * 5000), variants[i % 4]!, { hashtags: ['acmedown'] })));
    bench.clock.advance(BUCKET);
    await bench.monitor.tick();
    await bench.alerts.drain();

    const raised = await bench.alertDocs.find({});
    expect(raised.map((alert) => `${alert.kind} ${alert.topic}`)).toEqual(['crisis #acmedown']);
    expect(raised[0]!.summary).toMatch(/Rising with it \(the same posts, one incident\): .*complaints overall/);
    for (const term of ['parcel', 'stuck', 'tracking']) expect(raised[0]!.summary).toContain(term);
    expect(bench.hook.calls).toHaveLength(1);

    const modes = await bench.crisis.active();
    expect(modes.map((mode) => mode.topic)).toEqual(['#acmedown']);
    expect(modes[0]!.holdingStatement.text).toBe("We know many of you are affected by #acmedown. We're on it and will post updates here. If you need help with your order, DM us and we'll look after you personally. – Acme");
  });

  it('keeps two unrelated incidents in the same window apart', async () => {
    await bench.steady(20);
    const start = bench.clock.now().getTime();
    await bench.posts.insertMany(Array.from({ length: 60 }, (_, i) => archivedPost(new Date(start + i * 5000), 'checkout broken, card declined #PayDown', { hashtags: ['paydown'] })));
    await bench.posts.insertMany(Array.from({ length: 60 }, (_, i) => archivedPost(new Date(start + i * 5000), 'warehouse fire delayed everything #FireDelay', { hashtags: ['firedelay'] })));
    bench.clock.advance(BUCKET);
    await bench.monitor.tick();
    const topics = (await bench.alertDocs.find({})).map((alert) => alert.topic).sort();
    expect(topics).toEqual(['#firedelay', '#paydown']);
  });

  it.each([
    ['term:stuck', 'the current issue'],
    ['all complaints', 'the current issue'],
    ['keyword:refund', 'the refund issue'],
    ['#acmedown', '#acmedown'],
    ['product:acme one', 'acme one'],
  ])('the holding statement for %s names it as "%s", never a bare word', (topic, phrase) => {
    const text = bench.crisis.holdingStatementFor(topic);
    expect(text).toContain(`affected by ${phrase}.`);
    expect(text).not.toMatch(/affected by (stuck|all complaints)/);
  });
});
