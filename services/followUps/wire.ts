/** Builds the follow-up area for the composition root: schedule, notifier, routes, interceptor, worker. */
import type { StatePropertyAccessor } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Server } from 'restify';
import { FollowUpInterceptor } from '../../bots/followUpInterceptor';
import type { TurnInterceptor } from '../../bots/supportBot';
import type { DialogServices } from '../../dialogs/dialogServices';
import type { ConversationDirectory, ConversationSender } from '../conversations';
import { type AppliedEvent, ticketEventsRoute } from '../http/ticketEventsRoute';
import { smsInboundRoute } from '../http/smsInboundRoute';
import { smsStatusCallbackUrl, smsStatusRoute } from '../http/smsStatusRoute';
import type { LiveEvent } from '../handoff/liveEvents';
import type { Transcripts } from '../tickets/transcript';
import { CustomerAnswers, type CustomerZone } from './customerAnswers';
import { type EmailSender, SmtpEmailSender } from './email';
import { FOLLOW_UP_ACTOR, Notifier } from './notifier';
import { MINUTE } from '../clock';
import { staffedHoursOf } from '../handoff/staffedHours';
import { FollowUpScheduler } from './scheduler';
import { type SmsSender, TwilioSmsSender } from './sms';
import { SmsDeliveryReports } from './smsDelivery';
import type { FollowUpTicket, OutboxRow } from './types';
import { followUpWriteHook } from './writeHook';
import { type ReceivedSms, SmsReplies } from './smsReplies';
import type { AreaDeps } from '../areaDeps';

export interface FollowUpsWiring extends AreaDeps {
  directory: ConversationDirectory;
  transcripts: Transcripts;
  sender: ConversationSender;
  dialogState: StatePropertyAccessor<DialogState>;
  /** The dialogs' services: the customer-answers interceptor reuses their status answer and handoff. */
  dialogs: DialogServices;
  /** Whether a person has the conversation (the handoff queue): then a photo without words is theirs, not a ticket update. */
  withPerson?: (channelId: string, conversationId: string) => Promise<boolean>;
  bot: { use(interceptor: TurnInterceptor): void };
  server: Server;
  /** The console's live feed: SMS replies from customers show up there as they arrive. */
  live?: { publish(event: LiveEvent): void };
  /** Tests replace the e-mail/SMS senders or the notifier's retry delay. */
  overrides?: { email?: EmailSender; sms?: SmsSender; retryDelayMs?: number; owner?: string };
}

export interface FollowUps {
  scheduler: FollowUpScheduler;
  notifier: Notifier;
  answers: CustomerAnswers;
  sweepOnce: FollowUpScheduler['sweepOnce'];
  close(): Promise<void>;
}

export async function wireFollowUps(w: FollowUpsWiring): Promise<FollowUps> {
  const { config, db, clock } = w;
  const ticketDocs = db.collection<FollowUpTicket>('tickets');
  const outbox = db.collection<OutboxRow>('followUpOutbox');
  const zones = db.collection<CustomerZone>('customerTimeZones');
  const applied = db.collection<AppliedEvent>('ticketEventsApplied');
  await Promise.all([...FollowUpScheduler.indexes(ticketDocs, outbox), ...SmsDeliveryReports.indexes(outbox)]);
  // Promises count like the SLA: on a staffed-hours SLA clock they fall due only while the team is in.
  const staffedHours = config.slaClock === 'business_hours' ? staffedHoursOf(config) : undefined;
  w.tickets.alsoWrite(followUpWriteHook(config.followUpCheckInHours, staffedHours, config.followUpNewsSettleSeconds * 1000));

  const email = w.overrides?.email ?? (config.smtpUrl ? new SmtpEmailSender({ url: config.smtpUrl, from: config.mailFrom || `"${config.brandName} Support" <no-reply@localhost>`, timeoutMs: config.followUpSendTimeoutMs }) : undefined);
  const sms =
    w.overrides?.sms ??
    (config.smsAccountSid && config.smsAuthToken && config.smsFrom
      ? new TwilioSmsSender({
          baseUrl: config.smsApiBaseUrl, accountSid: config.smsAccountSid, authToken: config.smsAuthToken, from: config.smsFrom, timeoutMs: config.followUpSendTimeoutMs,
          statusCallbackUrl: smsStatusCallbackUrl(config.publicBaseUrl),
        })
      : undefined);
  const notifier = new Notifier({
    conversations: w.sender,
    directory: w.directory,
    audit: w.tickets.audit,
    clock,
    transcripts: w.transcripts,
    timeoutMs: config.followUpSendTimeoutMs,
    retryAttempts: config.followUpRetryAttempts,
    patience: { defaultMs: config.followUpRoutePatienceMinutes * MINUTE, newsMs: config.followUpNewsRoutePatienceMinutes * MINUTE },
    smsBlocks: {
      blockOf: (phone) => w.tickets.smsBlockOf(phone),
      block: async (ref, phone, block) => void (await w.tickets.markSmsUnusable(phone, block, FOLLOW_UP_ACTOR, ref)),
    },
    smsSentBefore: async (ref) => (await outbox.countDocuments({ ticketRef: ref, route: 'sms', state: 'sent' })) > 0,
    quietHours: config.quietHours,
    // The row is held by this sender (its lease); the attempt count moves in one conditional write, so each retry is claimed once.
    claimSmsRetry: async (row, attempt) =>
      (await outbox.updateOne(
        { _id: row._id, state: 'pending', $or: [{ smsRetries: { $exists: false } }, { smsRetries: { $lt: attempt } }] },
        { $set: { smsRetries: attempt, smsRetryAt: clock.now() } },
      )).matchedCount > 0,
    releaseSmsRetry: async (row, attempt) =>
      void (await outbox.updateOne(
        { _id: row._id, state: 'pending', smsRetries: attempt },
        row.smsRetryAt ? { $set: { smsRetries: attempt - 1, smsRetryAt: row.smsRetryAt } } : { $unset: { smsRetries: '', smsRetryAt: '' } },
      )),
    ...(email && { email }),
    ...(sms && { sms }),
    ...(w.overrides?.retryDelayMs !== undefined && { retryDelayMs: w.overrides.retryDelayMs }),
  });
  // A low rating reaches the team at once as a console alert; the comment stays in the ticket (no personal data in toasts).
  const answers = new CustomerAnswers(ticketDocs, zones, w.tickets.audit, clock, ({ ref, score }) =>
    w.live?.publish({ type: 'alert', ref, level: 'rating', message: `${ref} was rated ${score}/5 by the customer: worth a look` }),
  );
  const scheduler = new FollowUpScheduler(
    { tickets: ticketDocs, outbox, audit: w.tickets.audit, notifier, clock, logger: w.logger, timeZoneOf: (ticket) => answers.timeZoneOf(ticket.customer.channelId, ticket.customer.userId) },
    {
      brand: config.brandName,
      checkInHours: config.followUpCheckInHours,
      ...(staffedHours && { staffedHours }),
      quietHours: config.quietHours,
      reopenDays: config.csatReopenDays,
      csatDelayMinutes: config.csatDelayMinutes,
      leaseMs: config.followUpLeaseMs,
      batchSize: config.followUpBatchSize,
      concurrency: config.followUpConcurrency,
      fallbackTimeZone: config.supportTimeZone,
      ...(w.overrides?.owner && { owner: w.overrides.owner }),
    },
  );
  w.bot.use(new FollowUpInterceptor({ tickets: w.tickets, answers, dialogState: w.dialogState, dialogs: w.dialogs, clock, ticketPrefix: config.ticketPrefix, reopenDays: config.csatReopenDays, ...(w.withPerson && { withPerson: w.withPerson }) }));
  const smsReceived = db.collection<ReceivedSms>('smsReceived');
  await Promise.all(SmsReplies.indexes(smsReceived));
  const smsReplies = new SmsReplies({
    tickets: w.tickets, ticketDocs, received: smsReceived, orderNumberIn: (text) => w.dialogs.orderNumbers.find(text), answers, transcripts: w.transcripts, clock, logger: w.logger, reopenDays: config.csatReopenDays, brand: config.brandName, ...(w.live && { live: w.live }),
    lastTexted: async (refs) => (await outbox.find({ ticketRef: { $in: refs }, route: 'sms', state: 'sent' }, { sort: { sentAt: -1 }, limit: 1 }))[0]?.ticketRef,
  });
  smsInboundRoute({ authToken: config.smsAuthToken, publicBaseUrl: config.publicBaseUrl, maxBodyBytes: config.maxBodyBytes, handle: (sms) => smsReplies.handle(sms) })(w.server);
  const deliveryReports = new SmsDeliveryReports({ outbox, tickets: w.tickets, clock, logger: w.logger });
  smsStatusRoute({ authToken: config.smsAuthToken, publicBaseUrl: config.publicBaseUrl, maxBodyBytes: config.maxBodyBytes, handle: (report) => deliveryReports.handle(report) })(w.server);
  ticketEventsRoute({ apiKey: config.ticketEventsApiKey, tickets: w.tickets, applied, maxBodyBytes: config.maxBodyBytes, now: () => clock.now() })(w.server);
  scheduler.start(config.followUpSweepMs);
  return {
    scheduler,
    notifier,
    answers,
    sweepOnce: () => scheduler.sweepOnce(),
    close: async () => {
      await scheduler.stop();
      email?.close?.();
    },
  };
}
