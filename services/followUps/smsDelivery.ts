/**
 * Twilio's delivery reports (StatusCallback) for the follow-up SMS we sent. Twilio taking a message (201,
 * "queued") is not the customer getting it: the carrier's verdict comes later. Each report is matched to its
 * outbox row by the MessageSid; the row's status only moves forward (a final one never changes), in one
 * conditional write, so replayed or out-of-order reports change nothing. Undelivered/failed puts the row
 * back in the queue with SMS ruled out for it (the next route, e.g. e-mail, carries it; with none left, a passing
 * error is texted again later: see smsRetry.ts), wakes the ticket,
 * audits it, and for errors that mean this phone never takes our texts, refuses the phone on every ticket.
 */
import type { Clock } from '../clock';
import { DomainError } from '../errors';
import type { Logger } from '../log';
import type { Collection } from '../store/types';
import type { AuditRecord } from '../tickets/audit';
import type { TicketService } from '../tickets/ticketService';
import { FOLLOW_UP_ACTOR } from './notifier';
import { PHONE_REFUSALS } from './sms';
import { MESSAGE_SID } from './smsInbound';
import { PASSING_SMS_ERRORS } from './smsRetry';
import type { FormParams } from './twilioSignature';
import type { OutboxRow, SmsDelivery, SmsDeliveryStatus } from './types';

/** The audit action of a follow-up SMS the carrier did not deliver (also wakes the ticket's follow-ups). */
export const SMS_UNDELIVERED = 'followup.sms_undelivered';

export interface SmsStatusReport {
  messageSid: string;
  /** Twilio's MessageStatus as sent (lower case); statuses we do not track are ignored, not refused. */
  status: string;
  errorCode?: number;
}

const FINAL = 3;
const RANKS: Record<string, { status: SmsDeliveryStatus; rank: number }> = {
  accepted: { status: 'queued', rank: 0 },
  scheduled: { status: 'queued', rank: 0 },
  queued: { status: 'queued', rank: 0 },
  sending: { status: 'sending', rank: 1 },
  sent: { status: 'sent', rank: 2 },
  delivered: { status: 'delivered', rank: FINAL },
  undelivered: { status: 'undelivered', rank: FINAL },
  failed: { status: 'failed', rank: FINAL },
};

// Plain words for the team; 30007 is our wording tripping the carrier's filter, not the phone: never blocks it.
const MEANINGS = new Map<number, string>([
  [30003, 'the handset was off or out of reach'],
  [30004, 'the message was blocked'],
  [30005, 'the number is unknown or no longer exists'],
  [30006, 'a landline or a carrier that cannot take texts'],
  [30007, 'the carrier filtered it as spam'],
  [30008, 'unknown carrier error'],
  [21610, 'the customer opted out (STOP)'],
]);

const malformed = (message: string) => new DomainError('VALIDATION_FAILED', message);

/** The report in a signed StatusCallback form, or a VALIDATION_FAILED error naming what is wrong. */
export function smsStatusReportOf(params: FormParams): SmsStatusReport {
  const form = new Map(params);
  const messageSid = form.get('MessageSid') ?? form.get('SmsSid') ?? '';
  if (!MESSAGE_SID.test(messageSid)) throw malformed('MessageSid is missing or not a message id.');
  const status = (form.get('MessageStatus') ?? form.get('SmsStatus') ?? '').trim().toLowerCase();
  if (!/^[a-z_]{1,32}$/.test(status)) throw malformed('MessageStatus is missing or not a status.');
  const code = (form.get('ErrorCode') ?? '').trim();
  if (code !== '' && !/^\d{1,6}$/.test(code)) throw malformed('ErrorCode must be a number.');
  return { messageSid, status, ...(code !== '' && Number(code) !== 0 && { errorCode: Number(code) }) };
}

export interface SmsDeliveryDeps {
  outbox: Collection<OutboxRow>;
  tickets: Pick<TicketService, 'get' | 'mutate' | 'markSmsUnusable'>;
  clock: Clock;
  logger: Logger;
}

/** recorded = the row moved on; unchanged = a replay, or older than what the row has; ignored = not ours / not tracked. */
export type ReportResult = 'recorded' | 'unchanged' | 'ignored';

export class SmsDeliveryReports {
  constructor(private readonly deps: SmsDeliveryDeps) {}

  /** Reports are matched by the provider's message id; sparse because e-mail and chat rows have none. */
  static indexes(outbox: Collection<OutboxRow>): Promise<void>[] {
    return [outbox.createIndex({ fields: { providerId: 1 }, sparse: true })];
  }

  async handle(report: SmsStatusReport): Promise<ReportResult> {
    const known = RANKS[report.status];
    if (!known) return 'ignored';
    const failed = known.status === 'undelivered' || known.status === 'failed';
    const delivery: SmsDelivery = { status: known.status, rank: known.rank, ...(failed && report.errorCode !== undefined && { errorCode: report.errorCode }), at: this.deps.clock.now() };
    // The one write that decides: only a report that moves the row forward matches, so only it has effects.
    const row = await this.deps.outbox.findOneAndUpdate(
      { providerId: report.messageSid, route: 'sms', $or: [{ delivery: { $exists: false } }, { 'delivery.rank': { $lt: known.rank } }] },
      failed
        ? { $set: { delivery, state: 'pending' }, $addToSet: { failedRoutes: 'sms' }, $unset: { hold: '', sendingUntil: '', sendingBy: '' } }
        : { $set: { delivery } },
      { returnDocument: 'before' },
    );
    if (!row) return (await this.deps.outbox.findOne({ $or: [{ providerId: report.messageSid }, { earlierProviderIds: report.messageSid }] })) ? 'unchanged' : 'ignored';
    if (failed) await this.afterUndelivered(row, delivery);
    return 'recorded';
  }

  private async afterUndelivered(row: OutboxRow, delivery: SmsDelivery): Promise<void> {
    const ref = row.ticketRef;
    const code = delivery.errorCode;
    const refusal = code !== undefined ? PHONE_REFUSALS.get(code) : undefined;
    try {
      const phone = (await this.deps.tickets.get(ref))?.contact?.phone;
      if (refusal && phone) await this.deps.tickets.markSmsUnusable(phone, { reason: refusal, code: code!, at: delivery.at }, FOLLOW_UP_ACTOR, ref);
      const why = code !== undefined ? `error ${code}: ${MEANINGS.get(code) ?? 'see the provider\'s error list'}` : 'no error code given';
      const later = code !== undefined && PASSING_SMS_ERRORS.has(code) ? ' The next route is tried; if none is left, SMS is tried again later.' : ' The next route is tried, never SMS again for this message.';
      const note = `The SMS follow-up was not delivered (${delivery.status}, ${why}).${refusal ? ' This phone is not texted again.' : ''}${later}`;
      // Audited as a ticket change so the follow-up write hook makes the ticket due now, in the same write.
      await this.deps.tickets.mutate(ref, FOLLOW_UP_ACTOR, SMS_UNDELIVERED, () => ({
        patch: {},
        after: { seq: row.seq, route: 'sms', status: delivery.status, ...(code !== undefined && { code }), ...(refusal && { phoneRefused: refusal }) },
        note,
      }));
    } catch (error) {
      // The row is already back in the queue: the ticket's next sweep sends it by another route all the same.
      this.deps.logger.error({ err: error, ref, code }, 'SMS delivery report recorded, but the ticket could not be updated');
    }
  }
}

export interface LastSmsUndelivered {
  at: Date;
  status: string;
  code?: number;
}

/** For the console: the last follow-up SMS of this ticket, when the carrier reported it not delivered. */
export function lastSmsUndelivered(audit: AuditRecord[]): LastSmsUndelivered | undefined {
  const last = [...audit].reverse().find((event) => event.action === SMS_UNDELIVERED || (event.action === 'followup.sent' && (event.after as { route?: string } | undefined)?.route === 'sms'));
  if (last?.action !== SMS_UNDELIVERED) return undefined;
  const after = last.after as { status?: string; code?: number } | undefined;
  return { at: last.at, status: after?.status ?? 'undelivered', ...(after?.code !== undefined && { code: after.code }) };
}
