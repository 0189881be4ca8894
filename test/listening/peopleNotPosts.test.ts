/** A spike is many people complaining, never one customer posting again and again. */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../services/clock';
import { archivedPost, BUCKET, useListeningBench } from './listeningBench';

describe('spikes count people, not posts', () => {
  const bench = useListeningBench({ publicRepliesPerHour: 5, holdingStatementTemplate: 'About {topic}: we are on it.', reachThreshold: 0, redact: (text) => text });

  it('when one angry customer posts 20 complaints with a hashtag in a quiet window, no spike alert is raised', async () => {
    await bench.steady(20);
    const start = bench.clock.now().getTime();
    const angry = { id: 'angry-1', handle: 'angry1', followers: 40 };
    await bench.posts.insertMany(Array.from({ length: 20 }, (_, i) => archivedPost(new Date(start + i * 30_000), `Still no refund, answer me!!! #AcmeFail (${i + 1})`, { author: angry, hashtags: ['acmefail'] })));
    bench.clock.advance(BUCKET);
    await bench.monitor.tick();
    expect(await bench.alertDocs.find({})).toEqual([]);
  });

  it('when 40 different people say "late delivery" within one window against a usual 6, raises one alert that counts people and posts and gives each sample post a different author', async () => {
    await bench.steady(20);
    const start = bench.clock.now().getTime();
    // 40 people, one of whom posts three times: 42 posts.
    const posts = Array.from({ length: 40 }, (_, i) => archivedPost(new Date(start + i * 20_000), 'late delivery again, nobody answers', { author: { id: `p${i}`, handle: `person${i}`, followers: i === 0 ? 9000 : 100 } }));
    posts.push(...[1, 2].map((n) => archivedPost(new Date(start + n * MINUTE), 'late delivery again, nobody answers', { author: { id: 'p0', handle: 'person0', followers: 9000 } })));
    await bench.posts.insertMany(posts);
    bench.clock.advance(BUCKET);
    await bench.monitor.tick();
    const alerts = await bench.alertDocs.find({});
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.numbers).toMatchObject({ count: 40, posts: 42 });
    expect(alerts[0]!.summary).toMatch(/40 people posted complaints on .* \(42 posts\)/);
    const authors = alerts[0]!.examples.map((example) => example.authorId);
    expect(new Set(authors).size).toBe(authors.length);
  });
});
