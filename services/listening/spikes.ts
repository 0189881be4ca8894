/**
 * Spike detection: complaint posts are counted per fixed window, overall and per topic, and each count is
 * compared with an adaptive baseline (EWMA of the mean and of the variance). A count is a spike when it is
 * far above the baseline in deviations AND a multiple of it AND large enough to matter, so steady or slowly
 * rising traffic never alerts while a sudden surge is caught at the end of the window it starts in.
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
  count: number;
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

  /** Feeds one closed window (its complaint posts); returns the spikes it shows, strongest first. */
  observe(windowStart: Date, posts: ListenedPost[]): Spike[] {
    const { settings } = this;
    const windowEnd = new Date(windowStart.getTime() + settings.bucketMs);
    const byTopic = new Map<string, ListenedPost[]>([[OVERALL_TOPIC, posts]]);
    for (const post of posts) {
      for (const topic of post.topics) {
        const list = byTopic.get(topic);
        if (list) list.push(post);
        else byTopic.set(topic, [post]);
      }
    }
    const warmedUp = this.windowsSeen >= settings.warmupBuckets;
    const spikes: Spike[] = [];
    const topics = new Set([...this.baselines.keys(), ...byTopic.keys()]);
    for (const topic of topics) {
      const matching = byTopic.get(topic) ?? [];
      const count = matching.length;
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
          baseline: round(baseline.mean),
          stdDev: round(stdDev),
          z: round(z),
          examples: [...matching].sort((a, b) => reachOf(b) - reachOf(a)).slice(0, 3),
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
