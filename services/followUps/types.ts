/**
 * The follow-up schedule lives on the ticket document under `followUp` (written only by this area: the
 * ticket write hook, the sweeper and the customer's own answers), and each message waits in the outbox.
 */
import type { Document } from '../store/types';
import type { Ticket, TicketStatus } from '../tickets/types';

export interface CsatRecord {
  /** When the question was asked; a later resolution asks again. */
  askedAt: Date;
  score?: number;
  comment?: string;
  /** When a score was given; a comment alone (commentedAt) leaves the question open for a score. */
  answeredAt?: Date;
  commentedAt?: Date;
}

export interface FollowUpState {
  /** When a sweeper should look at this ticket next; absent = nothing scheduled (resolved, closed, opted out). */
  nextAt?: Date;
  leaseUntil?: Date;
  leaseOwner?: string;
  /** Sequence of the last outbox message composed for this ticket (idempotency key = ref:seq). */
  seq: number;
  /** Audit events up to this sequence number have been told, or judged not worth telling. */
  auditSeq: number;
  /** The status the customer last heard about. */
  toldStatus?: TicketStatus;
  /** The next update we promised (told in the last message); a check-in is due then at the latest. */
  promisedBy?: Date;
  lastSentAt?: Date;
  optedOut?: boolean;
  optedOutAt?: Date;
  csat?: CsatRecord;
  /** The satisfaction question is due then (after the resolution notice, outside quiet hours); valid for the latest resolution only. */
  csatDueAt?: Date;
  /** Sweeps in a row in which no route delivered (transient failures); drives the durable backoff. */
  failedRounds?: number;
}

export type FollowUpTicket = Ticket & { followUp?: FollowUpState };

export type MessageKind = 'update' | 'check_in' | 'resolution' | 'csat' | 'closed';
export type RouteName = 'dm' | 'email' | 'sms';

export interface ComposedMessage {
  kind: MessageKind;
  /** Text in the chat. */
  text: string;
  /** The same for SMS (no "reply here": the customer answers in the chat), within two segments, naming the brand. */
  smsText: string;
  /** The SMS when it is the first the customer gets about this ticket: also says how to opt out (CTIA). */
  smsFirstText?: string;
  /** E-mail subject and body. */
  subject: string;
  emailText: string;
  suggestions?: string[];
}

/** One follow-up, stored before it is sent: `_id` = `${ticketRef}:${seq}` is its idempotency key. */
export interface OutboxRow extends Document, ComposedMessage {
  ticketRef: string;
  seq: number;
  createdAt: Date;
  state: 'pending' | 'sent' | 'undeliverable' | 'failed' | 'cancelled';
  /** A sender holds the row while sending; a crash mid-send is retried after this time. */
  sendingUntil?: Date;
  sendingBy?: string;
  rounds: number;
  route?: RouteName;
  sentAt?: Date;
  /** The ticket's follow-up state once this row is composed; a run that crashed before saving it is adopted from here. */
  stateAfter: Partial<FollowUpState>;
  /** The first route failed for a moment: it is tried again at `nextAt` before any other route is used. */
  hold?: RouteHold;
  /** The SMS provider's id of the message (Twilio MessageSid): its delivery reports are matched by it. */
  providerId?: string;
  /** What the SMS provider last reported about that message (never moves back from a final status). */
  delivery?: SmsDelivery;
  /** Routes the provider later reported as not delivered: never used again for this message (except an SMS retry, below). */
  failedRoutes?: RouteName[];
  /** SMS retries claimed for this message after a passing carrier error (30003, 30008), when no other route was left. */
  smsRetries?: number;
  /** When the last retry was claimed: only a delivery report newer than this may lead to another one. */
  smsRetryAt?: Date;
  /** Message ids of earlier SMS tries of this message: their replayed reports change nothing. */
  earlierProviderIds?: string[];
}

export type SmsDeliveryStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface SmsDelivery {
  status: SmsDeliveryStatus;
  /** Orders the reports: a lower rank never overwrites a higher one; the final ones share the top rank. */
  rank: number;
  /** Twilio's ErrorCode on undelivered/failed (30003 handset off, 30005 unknown number…). */
  errorCode?: number;
  at: Date;
}

export interface RouteHold {
  route: RouteName;
  /** The first transient failure on this route: the patience budget counts from here. */
  since: Date;
  /** Sweeps that found this route failing so far. */
  tries: number;
  nextAt: Date;
}
