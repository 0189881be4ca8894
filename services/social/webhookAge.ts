/**
 * Replayed webhooks. X, Meta and Twilio sign the body but no timestamp, so a captured, genuinely signed body
 * can be posted again at any time. Each event is handled once by its platform id, but those ids are only
 * remembered for a while: an event older than that memory is acknowledged and left alone instead.
 * Only webhook deliveries are judged; the mentions poller and backfills read old posts on purpose.
 */
import { DAY, HOUR, MINUTE, type Clock } from '../clock';
import type { Logger } from '../log';

/** Clocks disagree by seconds; an event dated further ahead than this is not trusted to be new. */
export const FUTURE_SKEW_MS = 5 * MINUTE;

export type EventAgeVerdict = 'fresh' | 'stale' | 'future';

/**
 * How long handled event ids must be remembered so that every event still young enough to be handled is
 * recognised when delivered again: the age limit plus the future margin, rounded up to an hour, never under a day.
 */
export function dedupeRetentionMs(maxAgeMs: number): number {
  return Math.max(DAY, maxAgeMs + HOUR);
}

/** The latest of the times a payload states for one event (seconds or milliseconds already converted), if any. */
export function latestOf(...times: Array<Date | undefined>): Date | undefined {
  const valid = times.filter((time): time is Date => time instanceof Date && !Number.isNaN(time.getTime()));
  return valid.length === 0 ? undefined : new Date(Math.max(...valid.map((time) => time.getTime())));
}

/** Above this an epoch number can only be milliseconds (in seconds it would be the year 5138). */
const SURELY_MILLIS = 1e11;

/** Unix seconds (Meta `entry[].time`, comment `created_time`) as a Date; undefined when absent or not a time. */
export function fromSeconds(value: unknown): Date | undefined {
  const seconds = epochNumber(value);
  if (seconds === undefined) return undefined;
  // A unit slip (milliseconds where seconds were documented) must not date real events millennia ahead.
  return new Date(seconds > SURELY_MILLIS ? seconds : seconds * 1000);
}

/** Milliseconds since the epoch (X `created_timestamp`/`timestamp_ms`, Instagram `timestamp`) as a Date. */
export function fromMillis(value: unknown): Date | undefined {
  const ms = epochNumber(value);
  if (ms === undefined) return undefined;
  // Seconds where milliseconds were documented would read as January 1970: every real event would look stale.
  return new Date(ms > SURELY_MILLIS ? ms : ms * 1000);
}

function epochNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 && number < 1e15 ? number : undefined;
}

export interface WebhookAgeOptions {
  maxAgeMs: number;
  clock: Clock;
  logger: Logger;
}

export class WebhookAge {
  constructor(private readonly options: WebhookAgeOptions) {}

  /** An undated event is judged fresh: it still meets the id dedupe, as before. */
  verdict(eventAt: Date | undefined): EventAgeVerdict {
    if (!eventAt) return 'fresh';
    const age = this.options.clock.now().getTime() - eventAt.getTime();
    if (age > this.options.maxAgeMs) return 'stale';
    if (age < -FUTURE_SKEW_MS) return 'future';
    return 'fresh';
  }

  /**
   * The events of one delivery that may be handled. The others are logged (platform, kind and age only: no
   * ids, no text) and counted; the door still answers 200 so the platform does not retry them.
   */
  admit<T extends { eventAt?: Date }>(events: T[], what: { platform: string; kind: string }): { fresh: T[]; refused: number } {
    const fresh: T[] = [];
    let refused = 0;
    for (const event of events) {
      const verdict = this.verdict(event.eventAt);
      if (verdict === 'fresh') {
        fresh.push(event);
        continue;
      }
      refused++;
      const ageMinutes = Math.round((this.options.clock.now().getTime() - event.eventAt!.getTime()) / MINUTE);
      if (verdict === 'stale') this.options.logger.info({ ...what, ageMinutes }, 'webhook event older than the age limit: acknowledged, not handled (a replay, or a retry past the limit)');
      // A real event from the future means a clock is wrong: worth an operator's look.
      else this.options.logger.warn({ ...what, aheadMinutes: -ageMinutes }, 'webhook event dated in the future beyond the clock-skew margin: acknowledged, not handled');
    }
    return { fresh, refused };
  }
}
