/**
 * The composition root: config → store → services → adapter → dialogs → bot → HTTP routes → workers.
 * Nothing else reads process.env. `startApp` is what tests start on port 0 with fakes handed in.
 */
import { ConversationState, UserState, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { CountryCode } from 'libphonenumber-js';
import { createCloudAdapter, installTurnErrorHandler } from './bots/adapter';
import { DropRetriedActivities, RecordConversation, type ProcessedActivity } from './bots/middleware';
import { dedupeRetentionMs } from './services/social/webhookAge';
import { ChannelReplyTimeout } from './bots/replyTimeout';
import { ProactiveSender } from './bots/proactiveSender';
import { SupportBot } from './bots/supportBot';
import { DmLinkInterceptor } from './bots/dmLinkInterceptor';
import { wireDmChannels } from './bots/dmChannels';
import { emailChannelMiddleware, wireEmailChannel } from './bots/emailChannel';
import { ForeignLanguageInterceptor } from './bots/foreignLanguageInterceptor';
import { wireSocial } from './services/social/wireSocial';
import { type InsightArea, wireInsight } from './services/listening/wire';
import type { ConversationData, DialogServices } from './dialogs/dialogServices';
import { MainDialog } from './dialogs/mainDialog';
import { type Clock, HOUR, systemClock } from './services/clock';
import { acrossInstances, type Config, describeConfig, isLocalMode, loadConfig } from './services/config';
import { ConversationDirectory, type ConversationEntry } from './services/conversations';
import { AgentRelayInterceptor, AgentRelayMiddleware } from './bots/agentRelayInterceptor';
import { BotFrameworkHandoffHub } from './bots/handoffProtocol';
import { type AgentArea, wireAgents } from './services/handoff/wiring';
import { DEFAULT_SLA_POLICIES } from './services/tickets/sla';
import { promisedBy, slaClockOf, staffedHoursOf } from './services/handoff/staffedHours';
import type { HumanHandoff } from './services/handoff/types';
import { healthRoutes } from './services/http/healthRoutes';
import { type LocalDirectLine, startLocalDirectLine } from './services/http/localDirectLine';
import { messagesRoute } from './services/http/messagesRoute';
import { OneAtATime } from './services/oneAtATime';
import { TURN_LEASES_COLLECTION, TurnLeases, type TurnLease } from './services/turnLeases';
import { createHttpServer } from './services/http/server';
import { tryItRoutes } from './services/http/tryItRoutes';
import { createLogger, type Logger } from './services/log';
import { describeStartFailure } from './services/startFailure';
import { redactCustomerText } from './services/recognition/customerDetails';
import { createOrderNumberRecognizer, DEFAULT_ORDER_NUMBER_PATTERN } from './services/recognition/orderNumber';
import { BotStateStorage } from './services/store/botStateStorage';
import { databaseOptionsOf, openDatabase } from './services/store/openDatabase';
import type { Database } from './services/store/types';
import type { AuditRecord } from './services/tickets/audit';
import { AuditTrail } from './services/tickets/audit';
import { TicketService } from './services/tickets/ticketService';
import { Transcripts } from './services/tickets/transcript';
import { type FollowUps, type FollowUpsWiring, wireFollowUps } from './services/followUps/wire';
import type { Ticket, TranscriptEntry } from './services/tickets/types';

export interface AppOverrides {
  clock?: Clock;
  logger?: Logger;
  /** Use this store instead of opening one from config (tests share one across restarts). */
  database?: Database;
  /** Follow-ups: fake e-mail/SMS senders, short retry delays, a fixed lease owner. */
  followUps?: FollowUpsWiring['overrides'];
}

export interface App {
  config: Config;
  port: number;
  url: string;
  logger: Logger;
  clock: Clock;
  db: Database;
  tickets: TicketService;
  transcripts: Transcripts;
  directory: ConversationDirectory;
  sender: ProactiveSender;
  bot: SupportBot;
  agents: AgentArea;
  followUps: FollowUps;
  insight: InsightArea;
  localDirectLine?: LocalDirectLine;
  close(): Promise<void>;
}

export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const clock = overrides.clock ?? systemClock;
  const orderNumbers = createOrderNumberRecognizer(config.orderNumberPattern || DEFAULT_ORDER_NUMBER_PATTERN);
  const logger =
    overrides.logger ?? createLogger({ level: config.logLevel, redact: (text) => redactCustomerText(text, orderNumbers) });
  const db = overrides.database ?? (await openDatabase(databaseOptionsOf(config)));
  const closers: Array<() => Promise<void>> = [];

  // Store and domain services.
  const ticketDocs = db.collection<Ticket>('tickets');
  const auditDocs = db.collection<AuditRecord>('auditEvents');
  const transcriptDocs = db.collection<TranscriptEntry>('transcripts');
  const conversationDocs = db.collection<ConversationEntry>('conversations');
  const processedDocs = db.collection<ProcessedActivity>('processedActivities');
  await Promise.all([
    processedDocs.createIndex({ fields: { at: 1 } }),
    TicketService.createIndexes(ticketDocs, auditDocs),
    ...Transcripts.indexes(transcriptDocs),
    ...ConversationDirectory.indexes(conversationDocs),
  ]);
  // One calendar of staffed hours for SLA timers, the waits customers are told, and the queue.
  const staffedHours = staffedHoursOf(config);
  const tickets = new TicketService(ticketDocs, new AuditTrail(auditDocs, clock), {
    prefix: config.ticketPrefix,
    clock,
    logger,
    slaPolicies: { ...DEFAULT_SLA_POLICIES, ...config.slaPolicies },
    slaClock: slaClockOf(config.slaClock, staffedHours),
    priorityPolicy: { publicReachSteps: config.publicReachPrioritySteps, publicReachThreshold: config.publicReachThreshold },
    orderNumbersIn: (text) => orderNumbers.findAll(text),
  });
  const transcripts = new Transcripts(transcriptDocs, clock);
  const directory = new ConversationDirectory(conversationDocs);
  // Agents (issue 5): console, queue, takeover, escalation; sender and adapter are bound late (created below).
  const agents = await wireAgents({
    config, db, clock, logger, tickets, transcripts, directory, orderNumbers, hours: staffedHours,
    sender: { send: (conversation, message) => sender.send(conversation, message), typing: (conversation) => sender.typing(conversation) },
    hub: new BotFrameworkHandoffHub((reference, logic) => adapter.continueConversationAsync(config.microsoftAppId, reference, logic)),
  });
  closers.push(agents.close);
  const handoff: HumanHandoff = agents.handoff;

  // Bot Framework: adapter, state, dialogs, bot.
  const storage = new BotStateStorage(db.collection('botState'));
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const dialogState = conversationState.createProperty<DialogState>('dialogState');
  const conversationData = conversationState.createProperty<ConversationData>('conversationData');
  const dialogServices: DialogServices = {
    tickets,
    orderNumbers,
    phoneRegion: config.defaultPhoneRegion as CountryCode,
    brandName: config.brandName,
    ticketPrefix: config.ticketPrefix,
    handoff,
    conversationData,
    replyBy: (now, due) => promisedBy(now, due, staffedHours),
    reopenDays: config.csatReopenDays,
  };
  const adapter = createCloudAdapter(config);
  const dropRetries = new DropRetriedActivities(processedDocs, clock);
  adapter.use(new ChannelReplyTimeout(config.connectorTimeoutMs)).use(dropRetries).use(...emailChannelMiddleware(dialogServices)).use(new RecordConversation(transcripts, directory, conversationData, clock));
  const forgetOldRetries = setInterval(() => {
    // Kept as long as a webhook event may be handled (WEBHOOK_MAX_AGE_HOURS), so a replayed DM is still recognised.
    dropRetries.forgetOlderThan(new Date(clock.now().getTime() - dedupeRetentionMs(config.webhookMaxAgeHours * HOUR))).catch((error: unknown) => logger.warn({ err: error }, 'could not purge processed activity ids'));
  }, HOUR);
  forgetOldRetries.unref();
  closers.push(async () => clearInterval(forgetOldRetries));
  installTurnErrorHandler(adapter, logger, conversationState, dialogState);
  const bot = new SupportBot({
    brandName: config.brandName,
    conversationState,
    userState,
    dialogState,
    conversationData,
    mainDialog: new MainDialog(dialogServices),
  });
  const sender = ProactiveSender.forCloudAdapter(adapter, config.microsoftAppId);
  bot.use(new AgentRelayInterceptor({ ...agents.relay, dialogState }), 'first');
  adapter.use(new AgentRelayMiddleware(agents.relay));
  tickets.onChange(async ({ ticket, action }) => {
    if (action === 'ticket.opened' && ticket.conversation) {
      await Promise.all([
        transcripts.linkConversation(ticket.conversation.conversationId, ticket.ref),
        directory.linkTicket(ticket.conversation.channelId, ticket.conversation.conversationId, ticket.ref),
      ]);
    }
  });

  // HTTP doors.
  const http = createHttpServer(logger);
  let localDirectLine: LocalDirectLine | undefined;
  // One conversation's turns in arrival order: in this process, and across instances sharing the database.
  const turnsInOrder = new OneAtATime({ ...(acrossInstances(config.turnLeases, db.engine) && { across: new TurnLeases(db.collection<TurnLease>(TURN_LEASES_COLLECTION), clock) }) });
  const routes = [
    healthRoutes(() => db.ping(), () => http.draining),
    agents.routes,
    messagesRoute((req, res) => adapter.process(req, res, (context: TurnContext) => bot.run(context)), config.maxBodyBytes, turnsInOrder),
  ];
  // Social (issue 3): public posts → triage → public reply with a DM link; X and Instagram DMs run through platform-DM adapters.
  const social = await wireSocial({
    config,
    db,
    clock,
    logger,
    tickets,
    redact: (text) => redactCustomerText(text, orderNumbers),
    queueForPerson: (ticket, reason) => agents.queue.enqueue(ticket, reason, { customerWaiting: false }),
  });
  wireDmChannels({
    social, sender, turnsInOrder, run: (context) => bot.run(context), brandName: config.brandName, logger, conversationState, dialogState,
    serviceUrls: { x: config.xApiBaseUrl, instagram: config.metaGraphBaseUrl },
    middleware: [dropRetries, new RecordConversation(transcripts, directory, conversationData, clock), new AgentRelayMiddleware(agents.relay)],
  });
  bot.use(new DmLinkInterceptor(social.links, logger));
  routes.push(social.routes);
  closers.push(social.close);
  // Follow-ups (issue 4): durable schedule + sweeper, notifier (DM → e-mail → SMS), events API, customer answers.
  // A photo sent while a person has (or is about to take) the conversation is theirs, not a ticket update.
  const withPerson = async (channelId: string, conversationId: string) => (await agents.queue.forConversation(channelId, conversationId))?.customerWaiting ?? false;
  const followUps = await wireFollowUps({ config, db, clock, logger, tickets, directory, transcripts, sender, dialogState, dialogs: dialogServices, bot, server: http.server, withPerson, live: agents.events, overrides: overrides.followUps });
  closers.push(followUps.close);
  // E-mail (Azure Bot Service's Email channel): a thread's first mail opens its ticket, one reply mail per mail (middleware above).
  wireEmailChannel({ bot, dialogs: dialogServices, dialogState, transcripts });
  // A DM clearly in another language: acknowledged in both languages, ticket with the language, a person asked for.
  bot.use(new ForeignLanguageInterceptor({ services: dialogServices, dialogState }));
  // Listening, reports, audit export, privacy (issue 6): spike/reach alerts, crisis gate on public replies, retention job.
  const insight = await wireInsight({ config, db, clock, logger, tickets, transcripts, guard: agents.auth, nav: agents.nav, live: agents.events, redact: (text) => redactCustomerText(text, orderNumbers) });
  social.intake.crisisGate = insight.crisis;
  insight.crisis.releaseHeldTo((postKey) => social.intake.answerHeld(postKey));
  routes.push(insight.routes);
  closers.push(insight.close);
  const tryIt = isLocalMode(config) && config.localTryIt;
  if (tryIt) routes.push(tryItRoutes({ brandName: config.brandName, directLineUrl: () => `${localDirectLine?.url ?? ''}/directline` }));
  for (const route of routes) route(http.server);

  const port = await http.listen(config.port, isLocalMode(config) ? '127.0.0.1' : '0.0.0.0');
  const url = `http://127.0.0.1:${port}`;
  if (tryIt) localDirectLine = await startLocalDirectLine(config.localDirectLinePort, `${url}/api/messages`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await http.close(config.shutdownGraceMs);
      await localDirectLine?.close();
      for (const closer of closers.reverse()) await closer();
      if (!overrides.database) await db.close();
    })());

  logger.info({ port, engine: db.engine, localMode: isLocalMode(config), tryIt: tryIt ? url : undefined }, 'bot started');
  return { config, port, url, logger, clock, db, tickets, transcripts, directory, sender, bot, agents, followUps, insight, ...(localDirectLine && { localDirectLine }), close };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
  const app = await startApp(config);
  app.logger.info({ config: describeConfig(config) }, 'configuration');
  if (app.localDirectLine) {
    app.logger.info(`Local mode: chat with the bot at ${app.url}/ (Web Chat), or point the Bot Framework Emulator at ${app.url}/api/messages`);
  }
  const shutdown = (signal: string) => {
    app.logger.info({ signal }, 'shutting down: finishing turns in flight');
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`The bot could not start: ${describeStartFailure(error)}`);
    // 2 = a bad setting, as for loadConfig's refusals (some settings are checked by the area that uses them).
    process.exit((error as { code?: unknown } | null)?.code === 'CONFIG_INVALID' ? 2 : 1);
  });
}
