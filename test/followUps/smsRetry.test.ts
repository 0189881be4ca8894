import { describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import { smsRetryDue, smsRetryKey } from '../../services/followUps/smsRetry';
import type { OutboxRow } from '../../services/followUps/types';

const QUIET = { startHour: 21, endHour: 8 };
const reportedAt = new Date('2026-03-03T11:00:00Z');

function row(fields: Partial<OutboxRow> = {}): OutboxRow {
  return {
    _id: 'CS-1:1', ticketRef: 'CS-1', seq: 1, createdAt: reportedAt, state: 'pending', rounds: 0, stateAfter: {}, route: 'sms',
    kind: 'update', text: 't', smsText: 's', subject: 'x', emailText: 'e', failedRoutes: ['sms'],
    delivery: { status: 'undelivered', rank: 3, errorCode: 30003, at: reportedAt },
    ...fields,
  };
}

describe('when an undelivered follow-up SMS is texted again', () => {
  it('the first retry is due an hour after the report, the second four hours after the next report, and there is no third', () => {
    expect(smsRetryDue(row(), 'UTC', QUIET)).toEqual({ attempt: 1, at: new Date(reportedAt.getTime() + HOUR) });
    const later = new Date(reportedAt.getTime() + 2 * HOUR);
    const second = row({ smsRetries: 1, smsRetryAt: new Date(reportedAt.getTime() + HOUR), delivery: { status: 'failed', rank: 3, errorCode: 30008, at: later } });
    expect(smsRetryDue(second, 'UTC', QUIET)).toEqual({ attempt: 2, at: new Date(later.getTime() + 4 * HOUR) });
    expect(smsRetryDue({ ...second, smsRetries: 2 }, 'UTC', QUIET)).toBeUndefined();
  });

  it('a claimed retry with no newer report (a crash mid-send: it may have arrived) leads to no further retry', () => {
    expect(smsRetryDue(row({ smsRetries: 1, smsRetryAt: new Date(reportedAt.getTime() + HOUR) }), 'UTC', QUIET)).toBeUndefined();
  });

  it('carrier filtering (30007), permanent errors and reports without a code are not retried', () => {
    for (const errorCode of [30007, 30005, 30006, 30004, 21610, undefined]) {
      expect(smsRetryDue(row({ delivery: { status: 'undelivered', rank: 3, at: reportedAt, ...(errorCode !== undefined && { errorCode }) } }), 'UTC', QUIET)).toBeUndefined();
    }
  });

  it('a retry due in quiet hours waits for their end in the customer\'s time zone; a resolution does not', () => {
    const evening = row({ delivery: { status: 'undelivered', rank: 3, errorCode: 30003, at: new Date('2026-03-03T20:30:00Z') } });
    expect(smsRetryDue(evening, 'UTC', QUIET)?.at).toEqual(new Date('2026-03-04T08:00:00Z'));
    expect(smsRetryDue(evening, 'America/New_York', QUIET)?.at).toEqual(new Date('2026-03-03T21:30:00Z'));
    expect(smsRetryDue({ ...evening, kind: 'resolution' }, 'UTC', QUIET)?.at).toEqual(new Date('2026-03-03T21:30:00Z'));
  });

  it('each retry has its own idempotency key, never the first try\'s', () => {
    expect(new Set([row()._id, smsRetryKey(row(), 1), smsRetryKey(row(), 2)]).size).toBe(3);
  });
});
