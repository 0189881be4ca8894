/**
 * The listening job: every tick it closes the windows that ended, reads their complaint posts from the
 * archive (`socialPosts`), feeds the spike detector, raises alerts (and crisis mode on a large spike), and
 * raises reach alerts for single posts past the threshold. Each window also moves the active alerts'
 * surges on (surges.ts: an alert subsides once its topic is back to usual). On start it replays recent
 * history silently, so a restart keeps its baseline and picks up surges where they stood.
 */
import type { Clock } from '../clock';
import { HOUR } from '../clock';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import type { Collection } from '../store/types';
import { summaryOf, type SocialPostRecord } from '../social/types';
import { exampleOf, type AlertService } from './alerts';
import type { CrisisService } from './crisis';
import { groupIntoIncidents, OverlapTally, type Incident } from './incidents';
import { authorKeyOf, reachOf, WindowTally, type ListenedPost, type Spike, type SpikeDetector } from './spikes';
import { newSurge, SurgeTracker } from './surges';
import { OVERALL_TOPIC, topicLabel, topicsOfPost, type TopicVocabulary } from './topics';

/** Complaints read per query when a window is tallied. */
const PAGE = 1000;

export interface MonitorSettings {
  bucketMs: number;
  /** Windows replayed from the archive at start to rebuild the baseline. */
  historyBuckets: number;
  reachThreshold: number;
  reachWindowMs: number;
  crisisAutoZ: number;
  crisisAutoMinCount: number;
  /** Consecutive windows back near the usual level before an alert's surge counts as over. */
  subsideWindows: number;
  /** The spike detector's fewest people for a spike (a surge under half of it is over). */
  spikeMinCount: number;
  vocabulary: TopicVocabulary;
}

export class ListeningMonitor {
  private nextWindowStart: number | undefined;
  private running: Promise<void> | undefined;
  private readonly surges: SurgeTracker;

  constructor(
    private readonly posts: Collection<SocialPostRecord>,
    private readonly detector: SpikeDetector,
    private readonly alerts: AlertService,
    private readonly crisis: CrisisService,
    private readonly clock: Clock,
    private readonly settings: MonitorSettings,
    private readonly redact: (text: string) => string,
    private readonly logger: Logger = silentLogger,
  ) {
    const { bucketMs, subsideWindows, spikeMinCount } = settings;
    this.surges = new SurgeTracker(alerts, crisis, { bucketMs, subsideWindows, spikeMinCount }, (topic, from, to) => this.peopleOn(topic, from, to), logger);
  }

  /** One evaluation; overlapping calls share the run in progress. */
  tick(): Promise<void> {
    this.running ??= this.evaluate().finally(() => (this.running = undefined));
    return this.running;
  }

  private async evaluate(): Promise<void> {
    const { bucketMs } = this.settings;
    const now = this.clock.now().getTime();
    const currentWindow = Math.floor(now / bucketMs) * bucketMs;
    const replaying = this.nextWindowStart === undefined;
    this.nextWindowStart ??= currentWindow - this.settings.historyBuckets * bucketMs;
    while (this.nextWindowStart + bucketMs <= now) {
      const start = new Date(this.nextWindowStart);
      const end = new Date(this.nextWindowStart + bucketMs);
      const tally = new WindowTally();
      await this.eachComplaint(start, end, (post) => tally.add(post));
      const spikes = this.detector.observe(start, tally);
      // Replayed windows count too: each surge skips the windows it already has, so a restart resumes it.
      const surging = await this.surges.advance(start, tally.counts);
      // History replayed at start builds the baseline; only windows that closed since are news.
      const isNews = !replaying || this.nextWindowStart + bucketMs > now - bucketMs;
      if (isNews && spikes.length > 0) {
        // A topic already surging is the same incident going on: its alert stays the one alert.
        const incidents = (await this.incidentsOf(spikes, start, end)).filter(({ lead }) => !surging.has(lead.topic));
        for (const incident of incidents.slice(0, 5)) await this.onIncident(incident);
      }
      this.nextWindowStart += bucketMs;
    }
    await this.checkReach();
    await this.alerts.retryFailedDeliveries();
    // Public replies a crisis held back go out as its cap allows, or all at once when it has ended.
    await this.crisis.releaseHeld();
  }

  /** Several topics spiking in one window: a second read counts which of them share posts (rare, so cheap overall). */
  private async incidentsOf(spikes: Spike[], from: Date, to: Date): Promise<Incident[]> {
    if (spikes.length === 1) return [{ lead: spikes[0]!, related: [] }];
    const overlaps = new OverlapTally(new Set(spikes.map((spike) => spike.topic)));
    await this.eachComplaint(from, to, (post) => overlaps.add([OVERALL_TOPIC, ...post.topics], authorKeyOf(post)));
    return groupIntoIncidents(spikes, (a, b) => overlaps.shared(a, b));
  }

  /** Distinct people who complained on a topic over a span of windows (an incident's total, once it is over). */
  private async peopleOn(topic: string, from: Date, to: Date): Promise<number> {
    const people = new Set<string>();
    await this.eachComplaint(from, to, (post) => {
      if (topic === OVERALL_TOPIC || post.topics.includes(topic)) people.add(authorKeyOf(post));
    });
    return people.size;
  }

  /** Reads a window's complaints page by page: a viral hour brings more of them than memory should hold. */
  private async eachComplaint(from: Date, to: Date, visit: (post: ListenedPost) => void): Promise<void> {
    let after: SocialPostRecord | undefined;
    for (;;) {
      const page = await this.posts.find(
        {
          receivedAt: { $gte: from, $lt: to },
          'triage.decision': 'needs_care',
          // A post its author deleted no longer counts (the platforms' terms; and it no longer trends).
          deletedAt: { $exists: false },
          ...(after && { $or: [{ receivedAt: { $gt: after.receivedAt } }, { receivedAt: after.receivedAt, _id: { $gt: after._id } }] }),
        },
        { sort: { receivedAt: 1, _id: 1 }, limit: PAGE },
      );
      for (const record of page) visit(this.toListened(record));
      if (page.length < PAGE) return;
      after = page[page.length - 1];
    }
  }

  private toListened(record: SocialPostRecord): ListenedPost {
    const { postedAt: _postedAt, ...summary } = summaryOf(record);
    return {
      key: record._id,
      ...summary,
      at: record.receivedAt,
      topics: topicsOfPost(record.text, this.settings.vocabulary, record.topics?.hashtags ?? []),
    };
  }

  private async onIncident({ lead: spike, related }: Incident): Promise<void> {
    const label = topicLabel(spike.topic);
    // Crisis mode on "all complaints" would pace replies on every topic: a person decides that, never the job.
    const crisis = this.settings.crisisAutoZ > 0 && spike.topic !== OVERALL_TOPIC && spike.z >= this.settings.crisisAutoZ && spike.count >= this.settings.crisisAutoMinCount;
    const minutes = Math.round(this.settings.bucketMs / 60_000);
    const alongside = related.map((other) => (other.topic === OVERALL_TOPIC ? 'complaints overall' : topicLabel(other.topic)));
    const together = alongside.length > 0 ? ` Rising with it (the same posts, one incident): ${alongside.join(', ')}.` : '';
    await this.alerts.raise({
      _id: `spike:${spike.topic}:${spike.windowStart.toISOString()}`,
      kind: crisis ? 'crisis' : 'spike',
      severity: crisis ? 'crisis' : 'warning',
      topic: spike.topic,
      title: `${crisis ? 'Crisis' : 'Spike'}: ${spike.topic === OVERALL_TOPIC ? 'complaints overall' : label} — ${spike.count} complaints in ${minutes} min`,
      summary: `${spike.count} people posted complaints${spike.topic === OVERALL_TOPIC ? '' : ` on ${label}`} (${spike.posts} posts) between ${spike.windowStart.toISOString().slice(11, 16)} and ${spike.windowEnd.toISOString().slice(11, 16)} UTC; usual ${spike.baseline} ± ${spike.stdDev} (${spike.z} deviations above).${together}${crisis ? ' Crisis mode is on for this topic: public replies are paced and a holding statement is suggested.' : ''}`,
      numbers: { count: spike.count, posts: spike.posts, baseline: spike.baseline, stdDev: spike.stdDev, z: spike.z, windowMinutes: minutes, windowStart: spike.windowStart.toISOString(), ...(related.length > 0 && { relatedTopics: related.map((other) => other.topic).join(', ') }) },
      examples: spike.examples.map((post) => exampleOf(post, this.redact)),
      surge: newSurge(spike),
    });
    if (crisis) await this.crisis.activate(spike.topic, 'auto', `spike of ${spike.count} (${spike.z} deviations)`);
  }

  private async checkReach(): Promise<void> {
    const threshold = this.settings.reachThreshold;
    if (threshold <= 0) return;
    const since = new Date(this.clock.now().getTime() - this.settings.reachWindowMs);
    const viral = await this.posts.find(
      { 'triage.decision': 'needs_care', postedAt: { $gte: since }, deletedAt: { $exists: false }, $or: [{ impressions: { $gte: threshold } }, { 'author.followers': { $gte: threshold } }] },
      { limit: 50 },
    );
    for (const record of viral) {
      const post = this.toListened(record);
      const hours = Math.max(1, Math.round((this.clock.now().getTime() - record.postedAt.getTime()) / HOUR));
      const what = post.impressions && post.impressions >= threshold ? `${post.impressions.toLocaleString('en')} impressions` : `${(post.followers ?? 0).toLocaleString('en')} followers`;
      await this.alerts.raise({
        _id: `reach:${record._id}`,
        kind: 'reach',
        severity: 'warning',
        topic: post.topics.find((topic) => topic.startsWith('#')) ?? OVERALL_TOPIC,
        title: `One complaint is reaching many people: ${what}`,
        summary: `A complaint on ${record.platform}${post.authorHandle ? ` by @${post.authorHandle}` : ''} has ${what} within ${hours} h (threshold ${threshold.toLocaleString('en')}).${record.ticketRef ? ` Ticket ${record.ticketRef}.` : ' No ticket yet.'}`,
        numbers: { reach: reachOf(post), impressions: post.impressions ?? 0, followers: post.followers ?? 0, threshold, hours },
        examples: [exampleOf(post, this.redact)],
      });
    }
    this.logger.debug({ viral: viral.length }, 'reach check');
  }
}
