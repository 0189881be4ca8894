/**
 * Wiring of listening (spikes, alerts, crisis mode), reports, audit export and privacy: builds the
 * services, registers the personal-data holders, the routes, and the two background jobs (spike
 * evaluation, retention), and returns `close` to stop them.
 */
import { HOUR, MINUTE } from '../clock';
import type { ConversationEntry } from '../conversations';
import type { Logger } from '../log';
import type { RouteModule } from '../http/server';
import { privacyRoutes, type RetentionStatus } from '../http/privacyRoutes';
import type { LiveEvent } from '../handoff/liveEvents';
import { reportRoutes } from '../http/reportRoutes';
import type { StaffGuard } from '../http/staffGuard';
import { identityKeyedHolder, registerCoreHolders, ticketKeyedHolder } from '../privacy/coreHolders';
import { PRIVACY_REQUESTS_COLLECTION, PrivacyService, type PrivacyRequestRecord } from '../privacy/privacyService';
import { PersonalDataRegistry } from '../privacy/registry';
import type { Document } from '../store/types';
import { socialPostsOf, SOCIAL_REPLIES_COLLECTION, SOCIAL_REPLY_AUTHORS_COLLECTION, type ReplyAuthorClaim, type ReplyJob } from '../social/types';
import type { AuditRecord } from '../tickets/audit';
import type { Transcripts } from '../tickets/transcript';
import type { Ticket, TranscriptEntry } from '../tickets/types';
import type { OutboxRow } from '../followUps/types';
import { LISTENING_ALERTS_COLLECTION, type ListeningAlert } from './alertTypes';
import { AlertService } from './alerts';
import { CRISIS_HELD_COLLECTION, CRISIS_MODES_COLLECTION, CRISIS_REPLIES_COLLECTION, CrisisService, type CrisisMode, type HeldReply, type HoldingStatementPublisher } from './crisis';
import { ListeningMonitor } from './monitor';
import { Reports } from './reports';
import { SpikeDetector } from './spikes';
import { AlertWebhook } from './webhook';
import type { AreaDeps } from '../areaDeps';

export interface InsightDeps extends AreaDeps {
  transcripts: Transcripts;
  guard: StaffGuard;
  /** Adds "Reports" to the console's navigation, when the agent area offers it. */
  nav?: { add(link: { href: string; label: string; minRole: 'agent' | 'supervisor' | 'executive' }): void };
  redact: (text: string) => string;
  publisher?: HoldingStatementPublisher;
  /** The console's live feed: alerts are pushed to signed-in supervisors and executives. */
  live?: { publish(event: LiveEvent): void };
}

export async function wireInsight({ config, db, clock, logger, tickets, transcripts, guard, nav, redact, publisher, live }: InsightDeps) {
  const log = logger.child({ area: 'listening' });
  const posts = socialPostsOf(db);
  const alertDocs = db.collection<ListeningAlert>(LISTENING_ALERTS_COLLECTION);
  const crisisDocs = db.collection<CrisisMode>(CRISIS_MODES_COLLECTION);
  const crisisReplies = db.collection<Document & { topic: string; postKey: string; at: Date }>(CRISIS_REPLIES_COLLECTION);
  const crisisHeld = db.collection<HeldReply>(CRISIS_HELD_COLLECTION);
  const requests = db.collection<PrivacyRequestRecord>(PRIVACY_REQUESTS_COLLECTION);
  const ticketDocs = db.collection<Ticket>('tickets');
  await Promise.all([...AlertService.indexes(alertDocs), ...CrisisService.indexes(crisisReplies, crisisHeld), ...PrivacyService.indexes(requests), posts.createIndex({ fields: { receivedAt: 1 } })]);

  const vocabulary = { products: config.listeningProducts, keywords: config.listeningKeywords };
  const bucketMs = config.spikeBucketMinutes * MINUTE;
  const webhook = config.alertWebhookUrl
    ? new AlertWebhook({ url: config.alertWebhookUrl, format: config.alertWebhookFormat, timeoutMs: config.alertWebhookTimeoutMs, consoleUrl: `${config.publicBaseUrl}/agent/reports` })
    : undefined;
  const alerts = new AlertService(alertDocs, clock, webhook, log);
  if (live) {
    alerts.subscribe((alert) => live.publish(liveAlertEvent(alert)));
    alerts.onSubsided((alert) => live.publish(liveSubsidedEvent(alert)));
  }
  const crisis = new CrisisService(
    crisisDocs,
    crisisReplies,
    clock,
    { publicRepliesPerHour: config.crisisPublicRepliesPerHour, holdingStatementTemplate: config.crisisHoldingStatement, brandName: config.brandName, autoHours: config.crisisAutoHours, vocabulary },
    publisher,
    crisisHeld,
    log,
  );
  const detector = new SpikeDetector({
    bucketMs,
    alpha: config.spikeEwmaAlphaPercent / 100,
    zThreshold: config.spikeZThreshold,
    minCount: config.spikeMinCount,
    minRatio: config.spikeMinRatio,
    warmupBuckets: config.spikeWarmupBuckets,
    cooldownMs: config.spikeCooldownMinutes * MINUTE,
  });
  const monitor = new ListeningMonitor(
    posts,
    detector,
    alerts,
    crisis,
    clock,
    {
      bucketMs,
      historyBuckets: Math.max(config.spikeWarmupBuckets * 2, Math.ceil((24 * HOUR) / bucketMs)),
      reachThreshold: config.reachAlertImpressions,
      reachWindowMs: config.reachAlertWindowHours * HOUR,
      crisisAutoZ: config.crisisAutoZThreshold,
      crisisAutoMinCount: config.crisisAutoMinCount,
      subsideWindows: config.spikeSubsideWindows,
      spikeMinCount: config.spikeMinCount,
      vocabulary,
    },
    redact,
    log,
  );
  const reports = new Reports(ticketDocs, clock);

  const registry = new PersonalDataRegistry();
  registerCoreHolders(registry, {
    tickets: ticketDocs,
    ticketService: tickets,
    audit: db.collection<AuditRecord>('auditEvents'),
    transcripts: db.collection<TranscriptEntry>('transcripts'),
    conversations: db.collection<ConversationEntry>('conversations'),
    botState: db.collection<Document & { json: string }>('botState'),
    processedActivities: db.collection<Document>('processedActivities'),
    socialPosts: posts,
    socialReplies: db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION),
    socialReplyAuthors: db.collection<ReplyAuthorClaim>(SOCIAL_REPLY_AUTHORS_COLLECTION),
    alerts: alertDocs,
    crisisReplies,
    crisisHeld,
  });
  // Other areas' collections that hold customer data; each area may move its line next to its own wiring.
  for (const name of ['followUpOutbox', 'handoffs', 'handoffOutbox']) registry.register(ticketKeyedHolder(name, db.collection(name)));
  registry.register(identityKeyedHolder('customerTimeZones', db.collection('customerTimeZones')));
  const privacy = new PrivacyService({
    registry,
    tickets: ticketDocs,
    conversations: db.collection<ConversationEntry>('conversations'),
    socialPosts: posts,
    transcripts: db.collection<TranscriptEntry>('transcripts'),
    requests,
    alerts: alertDocs,
    replies: db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION),
    clock,
    phoneRegion: config.defaultPhoneRegion,
  });

  nav?.add({ href: '/agent/reports', label: 'Reports', minRole: 'supervisor' });
  nav?.add({ href: '/agent/privacy', label: 'Privacy', minRole: 'supervisor' });
  const retention: RetentionStatus = { days: config.retentionDays, sweepMinutes: config.retentionSweepMinutes };
  const sweepRetention = async () => {
    try {
      const erasedTickets = await privacy.applyRetention(config.retentionDays);
      // Public posts that never became a ticket hold people's words and handles too: they age out as well.
      const erasedPosts = await privacy.applyPostRetention(config.retentionDays);
      // Alerts copied example posts when they were raised: those copies age out on the same clock.
      retention.lastRun = { at: clock.now(), erasedTickets, erasedPosts, erasedAlerts: await privacy.applyAlertRetention(config.retentionDays) };
    } catch (error) {
      retention.lastRun = { at: clock.now(), erasedTickets: 0, erasedPosts: 0, error: error instanceof Error ? error.message : String(error) };
      throw error;
    }
  };
  const routes: RouteModule[] = [
    reportRoutes({ guard, reports, alerts, crisis, exports: { tickets, audit: tickets.audit, transcripts, posts, replies: db.collection<ReplyJob>(SOCIAL_REPLIES_COLLECTION), followUps: db.collection<OutboxRow>('followUpOutbox'), clock }, clock, maxBodyBytes: config.maxBodyBytes }),
    privacyRoutes({ guard, privacy, maxBodyBytes: config.maxBodyBytes, retention: () => retention }),
  ];

  const jobs = [
    every(config.listeningTickSeconds * 1000, () => monitor.tick(), log, 'spike evaluation'),
    ...(config.retentionDays > 0 ? [every(config.retentionSweepMinutes * MINUTE, sweepRetention, log, 'retention')] : []),
  ];

  return {
    alerts,
    crisis,
    monitor,
    reports,
    privacy,
    /** Runs one retention sweep now, as the background job does (tests, operators). */
    sweepRetention,
    registry,
    routes: (server: Parameters<RouteModule>[0]) => routes.forEach((route) => route(server)),
    close: async () => {
      for (const job of jobs) await job.stop();
      await alerts.drain();
    },
  };
}

export type InsightArea = Awaited<ReturnType<typeof wireInsight>>;

/** The console's copy of an alert: no example posts (those stay behind the alerts API), supervisors and up only. */
function liveAlertEvent(alert: ListeningAlert): LiveEvent {
  return {
    type: 'listening.alert',
    audience: 'supervisor',
    alert: { id: alert._id, kind: alert.kind, severity: alert.severity, topic: alert.topic, title: alert.title, summary: alert.summary, at: alert.at.toISOString() },
  };
}

/** An alert's surge is over: the console marks it subsided (the same one line the webhook follow-up carries). */
function liveSubsidedEvent(alert: ListeningAlert): LiveEvent {
  const surge = alert.surge!;
  return {
    type: 'listening.alert.subsided',
    audience: 'supervisor',
    alert: { id: alert._id, topic: alert.topic, title: alert.title, summary: surge.subsidedSummary ?? '', subsidedAt: surge.subsidedAt!.toISOString(), peak: surge.peak.count, people: surge.people ?? 0 },
  };
}

/** A periodic job that never overlaps itself, logs its failures, and waits for the run in flight on stop. */
function every(ms: number, run: () => Promise<unknown>, log: Logger, name: string): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= run()
      .then(() => undefined)
      .catch((error: unknown) => log.error({ err: error, job: name }, 'background job failed'))
      .finally(() => (running = undefined));
  }, ms);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
