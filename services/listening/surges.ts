/**
 * The surge behind a spike alert, window by window: the alert stays active while its topic's count stays
 * above the usual level the alert reported, and subsides after a run of windows back near it. Progress
 * lives in the alert record and each step is conditional on the window before it, so a restart carries on
 * where it stopped and a replayed window changes nothing (nor sends the follow-up twice).
 */
import type { Logger } from '../log';
import { silentLogger } from '../log';
import type { AlertService } from './alerts';
import type { ListeningAlert, SurgeLifecycle } from './alertTypes';
import type { CrisisService } from './crisis';
import type { Spike } from './spikes';
import { OVERALL_TOPIC, topicLabel } from './topics';

export interface SurgeSettings {
  bucketMs: number;
  /** Consecutive windows back near the usual level before an alert subsides. */
  subsideWindows: number;
  /** Fewest people a spike needs: under half of it a topic is back to usual, whatever its baseline. */
  spikeMinCount: number;
}

/** Distinct people who posted complaints on `topic` in [from, to). */
export type PeopleCounter = (topic: string, from: Date, to: Date) => Promise<number>;

/** "Near the usual level": within two deviations of it, or too few people to matter. */
const QUIET_DEVIATIONS = 2;

export function isBackToUsual(count: number, usual: SurgeLifecycle['usual'], spikeMinCount: number): boolean {
  return count <= Math.max(usual.mean + QUIET_DEVIATIONS * usual.stdDev, spikeMinCount / 2);
}

export function newSurge(spike: Spike): SurgeLifecycle {
  return {
    state: 'active',
    since: spike.windowStart,
    usual: { mean: spike.baseline, stdDev: spike.stdDev },
    peak: { count: spike.count, windowStart: spike.windowStart },
    lastWindowStart: spike.windowStart,
    quietWindows: 0,
  };
}

/** The surge after one more window (people and summary are filled in by the tracker on subsiding). */
export function nextSurge(surge: SurgeLifecycle, windowStart: Date, count: number, settings: SurgeSettings): SurgeLifecycle {
  if (isBackToUsual(count, surge.usual, settings.spikeMinCount)) {
    const quietWindows = surge.quietWindows + 1;
    const quietSince = surge.quietSince ?? windowStart;
    const subsided = quietWindows >= settings.subsideWindows;
    return {
      ...surge,
      lastWindowStart: windowStart,
      quietWindows,
      quietSince,
      ...(subsided && { state: 'subsided' as const, subsidedAt: new Date(windowStart.getTime() + settings.bucketMs) }),
    };
  }
  const { quietSince: _over, ...rest } = surge;
  return {
    ...rest,
    lastWindowStart: windowStart,
    quietWindows: 0,
    peak: count > surge.peak.count ? { count, windowStart } : surge.peak,
  };
}

const hhmm = (at: Date): string => at.toISOString().slice(11, 16);

/** "Subsided: #acmedown — back to usual levels since 11:15 UTC; peak 40 people at 10:15; 95 people in all." */
export function subsidedSummary(topic: string, surge: SurgeLifecycle): string {
  const name = topic === OVERALL_TOPIC ? 'complaints overall' : topicLabel(topic);
  const since = surge.quietSince ?? surge.lastWindowStart;
  const peakDay = surge.peak.windowStart.toISOString().slice(0, 10);
  const peakAt = peakDay === since.toISOString().slice(0, 10) ? hhmm(surge.peak.windowStart) : `${peakDay} ${hhmm(surge.peak.windowStart)}`;
  return `Subsided: ${name} — back to usual levels since ${hhmm(since)} UTC; peak ${surge.peak.count} people at ${peakAt}; ${surge.people ?? 0} people in all.`;
}

export class SurgeTracker {
  constructor(
    private readonly alerts: AlertService,
    private readonly crisis: CrisisService,
    private readonly settings: SurgeSettings,
    private readonly peopleOn: PeopleCounter,
    private readonly logger: Logger = silentLogger,
  ) {}

  /**
   * Counts one closed window into every active surge (in order: windows at or before a surge's last one are
   * skipped) and subsides those back to usual for long enough. Returns the topics still surging.
   */
  async advance(windowStart: Date, counts: ReadonlyMap<string, number>): Promise<Set<string>> {
    const surging = new Set<string>();
    for (const alert of await this.alerts.activeSurges()) {
      const surge = alert.surge!;
      if (windowStart.getTime() <= surge.lastWindowStart.getTime()) {
        surging.add(alert.topic);
        continue;
      }
      const next = nextSurge(surge, windowStart, counts.get(alert.topic) ?? 0, this.settings);
      if (next.state === 'active') {
        await this.alerts.advanceSurge(alert._id, surge.lastWindowStart, next);
        surging.add(alert.topic);
        continue;
      }
      await this.subside(alert, next);
    }
    return surging;
  }

  private async subside(alert: ListeningAlert, next: SurgeLifecycle): Promise<void> {
    next.people = await this.peopleOn(alert.topic, next.since, next.quietSince!);
    next.subsidedSummary = subsidedSummary(alert.topic, next);
    // Before the record flips, so a crash in between still ends it on the re-run; ending twice is a no-op.
    // Only crisis mode this spike switched on, and only while no supervisor has taken it over (auto).
    if (alert.kind === 'crisis') await this.crisis.endAutomatic(alert.topic, `the surge subsided (alert ${alert._id})`);
    const announced = await this.alerts.markSubsided(alert, next);
    if (announced) this.logger.info({ alertId: alert._id, topic: alert.topic, peak: next.peak.count, people: next.people }, 'listening alert subsided');
  }
}
