/**
 * Webhook bodies dated as the platforms date them. The shared samples are from 2020, and the doors leave
 * events older than WEBHOOK_MAX_AGE_HOURS alone (replays), so tests date them at the app's clock.
 * Units as the platforms send them: X milliseconds (and `created_at` text), Meta changes seconds, Instagram messaging milliseconds.
 */
import { fixture } from '../support/fixtures';

/** X's v1.1 `created_at`: "Sat Feb 08 13:42:07 +0000 2020". */
export function xCreatedAt(at: Date): string {
  const [weekday, day, month, year, time] = at.toUTCString().replace(',', '').split(' ');
  return `${weekday} ${month} ${day} ${time} +0000 ${year}`;
}

/** The body (a copy) with every event time it carries set to `at`. */
export function datedAt<T>(body: T, at: Date): T {
  const copy = JSON.parse(JSON.stringify(body)) as any;
  const ms = at.getTime();
  const seconds = Math.floor(ms / 1000);
  for (const tweet of copy.tweet_create_events ?? []) {
    tweet.created_at = xCreatedAt(at);
    tweet.timestamp_ms = String(ms);
  }
  for (const dm of copy.direct_message_events ?? []) dm.created_timestamp = String(ms);
  for (const deletion of copy.tweet_delete_events ?? []) deletion.timestamp_ms = String(ms);
  for (const entry of Array.isArray(copy.entry) ? copy.entry : []) {
    if (Array.isArray(entry.messaging)) {
      entry.time = ms;
      for (const event of entry.messaging) event.timestamp = ms;
    } else {
      entry.time = seconds;
      for (const change of entry.changes ?? []) if (change.value && 'created_time' in change.value) change.value.created_time = seconds;
    }
  }
  return copy as T;
}

/** A sample from test/fixtures, dated `at` (the app's clock; the wall clock by default). */
export function webhookFixture<T = any>(name: string, at: Date = new Date()): T {
  return datedAt(fixture<T>(name), at);
}
