/**
 * Spike detection: complaint posts are counted per fixed window, overall and per topic, and each count is
 * compared with an adaptive baseline (EWMA of the mean and of the variance). A count is a spike when it is
 * far above the baseline in deviations AND a multiple of it AND large enough to matter, so steady or slowly
 * rising traffic never alerts while a sudden surge is caught at the end of the window it starts in.
 * Counts are of people, not posts: one customer posting twenty times in a window counts once per topic.
 */
import { kindOfTopic, OVERALL_TOPIC, type TopicKind } from './topics';
import type { PublicPostSummary } from '../tickets/types';

export interface ListenedPost extends Omit<PublicPostSummary, 'postedAt'> {
  /** `platform:postId` */
  key: string;
  at: Date;
  topics: string[];
}

export interface SpikeSettings {
  bucketMs: number;
  /** Weight of the newest window in the baseline, 0 < alpha ≤ 1. */
  alpha: number;
  zThreshold: number;
  minCount: number;
  minRatio: number;
  warmupBuckets: number;
  cooldownMs: number;
  /** Terms seen in fewer posts than this in a window are not tracked (keeps memory bounded). */
  minTermCount?: number;
  maxTopics?: number;
  /** A spike must also be this unlikely as Poisson noise around the baseline (plus one deviation of slack). */
  maxPValue?: number;
}

export interface Spike {
  topic: string;
  kind: TopicKind;
  windowStart: Date;
  windowEnd: Date;
  /** Distinct authors who posted on the topic in the window. */
  count: number;
  /** Their posts (one author may post many times). */
  posts: number;
  baseline: number;
  stdDev: number;
  z: number;
  /** The most-reached posts of the window on this topic. */
  examples: ListenedPost[];
}

interface Baseline {
  mean: number;
  variance: number;
  lastAlertAt?: number;
}

export const reachOf = (post: Pick<ListenedPost, 'followers' | 'impressions'>): number => Math.max(post.impressions ?? 0, post.followers ?? 0);

const EXAMPLES = 3;

/** Who posted, across platforms: the same id on two platforms is two people. */
export const authorKeyOf = (post: Pick<ListenedPost, 'platform' | 'authorId'>): string => `${post.platform}:${post.authorId}`;

/**
 * One window's complaints as the detector needs them: per topic, how many people posted on it (and how
 * many posts), and its farthest-reaching posts, one per author. Filled post by post, so a window of a
 * million complaints never sits in memory at once (only each author's topics do).
 */
export class WindowTally {
  /** Distinct authors per topic: a spike is many people, never one person posting many times. */
  readonly counts = new Map<string, number>([[OVERALL_TOPIC, 0]]);
  readonly posts = new Map<string, number>([[OVERALL_TOPIC, 0]]);
  readonly examples = new Map<string, ListenedPost[]>();
  private readonly topicsByAuthor = new Map<string, Set<string>>();

  static of(posts: ListenedPost[]): WindowTally {
    const tally = new WindowTally();
    for (const post of posts) tally.add(post);
    return tally;
  }

  add(post: ListenedPost): void {
    const author = authorKeyOf(post);
    let counted = this.topicsByAuthor.get(author);
    if (!counted) this.topicsByAuthor.set(author, (counted = new Set()));
    for (const topic of [OVERALL_TOPIC, ...post.topics]) {
      this.posts.set(topic, (this.posts.get(topic) ?? 0) + 1);
      if (counted.has(topic)) continue;
      counted.add(topic);
      this.counts.set(topic, (this.counts.get(topic) ?? 0) + 1);
      const top = this.examples.get(topic) ?? [];
      if (top.length === EXAMPLES && reachOf(post) <= reachOf(top[EXAMPLES - 1])) continue;
      // Stable: among posts of equal reach the earlier one stays first.
      const sorted = [...top, post].sort((a, b) => reachOf(b) - reachOf(a)).slice(0, EXAMPLES);
      this.examples.set(topic, sorted);
    }
  }
}

export class SpikeDetector {
  private readonly baselines = new Map<string, Baseline>();
  private windowsSeen = 0;

  constructor(private readonly settings: SpikeSettings) {}

  get windows(): number {
    return this.windowsSeen;
  }

  baselineOf(topic: string): { mean: number; stdDev: number } | undefined {
    const baseline = this.baselines.get(topic);
    return baseline && { mean: baseline.mean, stdDev: this.stdDevOf(baseline) };
  }

  /** Feeds one closed window (the tally of its complaint posts); returns the spikes it shows, strongest first. */
  observe(windowStart: Date, tally: WindowTally): Spike[] {
    const { settings } = this;
    const windowEnd = new Date(windowStart.getTime() + settings.bucketMs);
    const warmedUp = this.windowsSeen >= settings.warmupBuckets;
    const spikes: Spike[] = [];
    const topics = new Set([...this.baselines.keys(), ...tally.counts.keys()]);
    for (const topic of topics) {
      const count = tally.counts.get(topic) ?? 0;
      let baseline = this.baselines.get(topic);
      if (!baseline) {
        // Rare terms are not worth a baseline; tracked topics (hashtags, products, keywords) always are.
        if (kindOfTopic(topic) === 'term' && count < (settings.minTermCount ?? 2)) continue;
        baseline = { mean: 0, variance: 0 };
        this.baselines.set(topic, baseline);
      }
      const stdDev = this.stdDevOf(baseline);
      const z = (count - baseline.mean) / stdDev;
      const cooling = baseline.lastAlertAt !== undefined && windowStart.getTime() - baseline.lastAlertAt < settings.cooldownMs;
      const anomalous =
        count >= settings.minCount &&
        z >= settings.zThreshold &&
        count >= settings.minRatio * baseline.mean &&
        poissonTail(count, baseline.mean + stdDev) <= (settings.maxPValue ?? 1e-6);
      if (warmedUp && anomalous && !cooling) {
        spikes.push({
          topic,
          kind: kindOfTopic(topic),
          windowStart,
          windowEnd,
          count,
          posts: tally.posts.get(topic) ?? count,
          baseline: round(baseline.mean),
          stdDev: round(stdDev),
          z: round(z),
          examples: tally.examples.get(topic) ?? [],
        });
        baseline.lastAlertAt = windowStart.getTime();
      }
      // An anomalous window moves the baseline only a little, so a long surge keeps looking like one.
      this.update(baseline, count, anomalous ? settings.alpha / 4 : settings.alpha);
    }
    this.windowsSeen++;
    this.forgetFadedTopics();
    return spikes.sort((a, b) => b.z - a.z);
  }

  private update(baseline: Baseline, count: number, alpha: number): void {
    const delta = count - baseline.mean;
    baseline.mean += alpha * delta;
    baseline.variance = (1 - alpha) * (baseline.variance + alpha * delta * delta);
  }

  /** Counts are at least Poisson-noisy: the deviation never goes below √mean (nor below 1). */
  private stdDevOf(baseline: Baseline): number {
    return Math.sqrt(Math.max(baseline.variance, baseline.mean, 1));
  }

  private forgetFadedTopics(): void {
    const max = this.settings.maxTopics ?? 5000;
    if (this.baselines.size <= max) return;
    for (const [topic, baseline] of this.baselines) {
      if (topic !== OVERALL_TOPIC && kindOfTopic(topic) === 'term' && baseline.mean < 0.05) this.baselines.delete(topic);
    }
    if (this.baselines.size <= max) return;
    const weakest = [...this.baselines.entries()].filter(([topic]) => topic !== OVERALL_TOPIC).sort(([, a], [, b]) => a.mean - b.mean);
    for (const [topic] of weakest.slice(0, this.baselines.size - max)) this.baselines.delete(topic);
  }
}

const round = (value: number): number => Math.round(value * 100) / 100;

/** P(X ≥ k) for X ~ Poisson(λ), summed upward in log space so tiny tails stay exact enough. */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  let logFactorial = 0;
  for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial;
  let sum = 0;
  for (let i = k; i < k + 10_000; i++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (i > lambda && term < sum * 1e-12) break;
    logTerm += Math.log(lambda) - Math.log(i + 1);
  }
  return Math.min(1, sum);
}
