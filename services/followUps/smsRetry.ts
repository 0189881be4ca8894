/**
 * When a follow-up SMS the carrier did not deliver is texted again: only for passing errors (the handset off
 * or out of coverage, an unknown carrier error), only when no other route can carry it, after 1 hour and then
 * 4 hours, and never in quiet hours (except resolutions, which ignore them as everywhere else).
 */
import { HOUR } from '../clock';
import { type QuietHours, quietEndsAt } from './quietHours';
import type { OutboxRow } from './types';

/** 30003 handset off or out of reach, 30008 unknown carrier error; 30007 (filtering) would fail the same way again. */
export const PASSING_SMS_ERRORS: ReadonlySet<number> = new Set([30003, 30008]);

/** Waits before each retry, counted from the report of the try before; their number is the retry limit. */
export const SMS_RETRY_DELAYS_MS = [1 * HOUR, 4 * HOUR];

export interface SmsRetryDue {
  /** 1 for the first retry. */
  attempt: number;
  at: Date;
}

/**
 * The next SMS retry of this row and when it is due, or undefined when none is left. A retry claimed but whose
 * outcome was never recorded (a crash mid-send) has no newer report, so nothing is texted after it: it may have
 * arrived.
 */
export function smsRetryDue(row: OutboxRow, timeZone: string, quiet: QuietHours | undefined): SmsRetryDue | undefined {
  const report = row.delivery;
  if (row.state !== 'pending' || !report || (report.status !== 'undelivered' && report.status !== 'failed')) return undefined;
  if (report.errorCode === undefined || !PASSING_SMS_ERRORS.has(report.errorCode)) return undefined;
  const done = row.smsRetries ?? 0;
  if (done >= SMS_RETRY_DELAYS_MS.length) return undefined;
  if (row.smsRetryAt && new Date(report.at) < new Date(row.smsRetryAt)) return undefined;
  const after = new Date(new Date(report.at).getTime() + SMS_RETRY_DELAYS_MS[done]);
  const at = quiet && row.kind !== 'resolution' ? quietEndsAt(after, timeZone, quiet) : after;
  return { attempt: done + 1, at };
}

/** The provider idempotency key of a retry: a new message, never the same key as the try that failed. */
export const smsRetryKey = (row: OutboxRow, attempt: number): string => `${row._id}:sms-retry-${attempt}`;
