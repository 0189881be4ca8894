import { describe, expect, it } from 'vitest';
import { MINUTE, DAY } from '../../services/clock';
import { SpikeDetector, WindowTally, type SpikeSettings, type Spike } from '../../services/listening/spikes';
import { OVERALL_TOPIC } from '../../services/listening/topics';
import { everydayPost, outagePost, poisson, seededRandom } from './support/streams';

const BUCKET = 15 * MINUTE;
const SETTINGS: SpikeSettings = { bucketMs: BUCKET, alpha: 0.1, zThreshold: 4, minCount: 10, minRatio: 2, warmupBuckets: 8, cooldownMs: 60 * MINUTE };
const START = Date.parse('2026-03-02T00:00:00Z');
const WINDOWS_PER_DAY = DAY / BUCKET;

/** Runs `windows` windows of traffic whose expected count per window is `rate(i)`; `extra(i)` injects posts. */
function run(windows: number, rate: (i: number) => number, extra: (i: number, at: Date) => ReturnType<typeof outagePost>[] = () => [], seed = 7) {
  const random = seededRandom(seed);
  const detector = new SpikeDetector(SETTINGS);
  const found: Array<{ window: number; spike: Spike }> = [];
  for (let i = 0; i < windows; i++) {
    const at = new Date(START + i * BUCKET);
    const posts = Array.from({ length: poisson(rate(i), random) }, () => everydayPost(at, random));
    posts.push(...extra(i, at));
    for (const spike of detector.observe(at, WindowTally.of(posts))) found.push({ window: i, spike });
  }
  return found;
}

describe('spike detection on synthetic complaint streams', () => {
  it('raises no alert on a week of steady traffic', () => {
    expect(run(7 * WINDOWS_PER_DAY, () => 20)).toEqual([]);
  });

  it('raises no alert on a daily pattern (quiet nights, busy afternoons) that also grows a little every day', () => {
    const daily = (i: number) => {
      const day = Math.floor(i / WINDOWS_PER_DAY);
      const phase = (i % WINDOWS_PER_DAY) / WINDOWS_PER_DAY;
      return (10 + 40 * (0.5 - 0.5 * Math.cos(2 * Math.PI * phase))) * (1 + 0.03 * day);
    };
    expect(run(14 * WINDOWS_PER_DAY, daily, undefined, 11)).toEqual([]);
  });

  it('when a hashtag surges, alerts on it (and on the overall count) in the window the surge starts, naming the numbers and the most-reached posts', () => {
    const surgeAt = 3 * WINDOWS_PER_DAY + 40;
    const found = run(4 * WINDOWS_PER_DAY, () => 20, (i, at) =>
      i >= surgeAt && i < surgeAt + 4 ? Array.from({ length: 60 }, (_, n) => outagePost(at, n === 5 ? 90_000 : 100)) : [],
    );
    const hashtag = found.find(({ spike }) => spike.topic === '#acmedown');
    expect(hashtag?.window).toBe(surgeAt);
    expect(hashtag!.spike).toMatchObject({ kind: 'hashtag', count: 60, baseline: 0 });
    expect(hashtag!.spike.z).toBeGreaterThan(4);
    expect(hashtag!.spike.examples[0]!.followers).toBe(90_000);
    expect(found.find(({ spike }) => spike.topic === OVERALL_TOPIC)?.window).toBe(surgeAt);
    // The cooldown keeps one surge from alerting every window, and nothing else fired before it.
    expect(found.filter(({ spike }) => spike.topic === '#acmedown')).toHaveLength(1);
    expect(found.every(({ window }) => window >= surgeAt)).toBe(true);
  });

  it('when a known complaint (a frequent term) suddenly triples, detects it within one window', () => {
    const surgeAt = 2 * WINDOWS_PER_DAY;
    const random = seededRandom(3);
    const found = run(surgeAt + 3, () => 20, (i, at) => (i >= surgeAt ? Array.from({ length: 45 }, () => ({ ...everydayPost(at, random), topics: ['term:refund', 'term:waiting'] })) : []));
    const first = found.find(({ spike }) => spike.topic === 'term:refund');
    expect(first).toBeDefined();
    expect(first!.window - surgeAt).toBeLessThanOrEqual(1);
  });

  it('does not alert while it is still learning (warm-up)', () => {
    const found = run(6, () => 2, (i, at) => (i === 3 ? Array.from({ length: 50 }, () => outagePost(at)) : []));
    expect(found).toEqual([]);
  });
});
