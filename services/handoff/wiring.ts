/**
 * Composes the agent area for index.ts: accounts and auth, the handoff queue, takeover, escalation,
 * the external-hub mode, the HTTP routes, and the two background sweeps (idle holds, SLA escalation).
 */
import { acrossInstances, isLocalMode } from '../config';
import type { ConversationDirectory, ConversationSender } from '../conversations';
import type { Transcripts } from '../tickets/transcript';
import type { Ticket } from '../tickets/types';
import { type AgentAccount, AgentAccounts } from '../agents/accounts';
import { AgentAuth, type AgentSession, type ApiToken, ConsoleNav } from '../agents/auth';
import { type LoginFailures, LoginThrottle } from '../agents/loginThrottle';
import { ACCOUNT_EVENTS_COLLECTION, type AccountEvent, AccountEvents } from '../agents/accountEvents';
import { SAVED_REPLIES_COLLECTION, type SavedReply, SavedReplies } from '../agents/savedReplies';
import { agentRoutes } from '../http/agentRoutes';
import { firstAccountCheck, firstAccountHint } from '../agents/firstAccount';
import { TicketSearch } from '../agents/ticketSearch';
import type { CountryCode } from '../recognition/contact';
import type { OrderNumberRecognizer } from '../recognition/orderNumber';
import type { RouteModule } from '../http/server';
import { CustomerMessenger } from './customerMessenger';
import { Escalations } from './escalation';
import { LiveEvents } from './liveEvents';
import { LIVE_RELAY_COLLECTION, LiveRelay, type RelayedEvent } from './liveRelay';
import { reasonsToQueue } from './autoQueue';
import { ExternalHandoff, type HandoffHub } from './protocol';
import { type HandoffRecord, HandoffQueue } from './queue';
import { QueueHandoff } from './queueHandoff';
import type { StaffedHours } from './staffedHours';
import { Takeover } from './takeover';
import { HandoffOnTicketEnd } from './ticketEnding';
import { WaitingNotes } from './waitingNotes';
import type { AreaDeps } from '../areaDeps';

export interface AgentAreaDeps extends AreaDeps {
  transcripts: Transcripts;
  directory: ConversationDirectory;
  sender: ConversationSender;
  /** Reads order numbers in the console's ticket search. */
  orderNumbers: OrderNumberRecognizer;
  /** Used only when HANDOFF_MODE=external. */
  hub: HandoffHub;
  /** Staffed hours: the waits customers are told (queue, idle return). */
  hours: StaffedHours;
}

export type AgentArea = Awaited<ReturnType<typeof wireAgents>>;

export async function wireAgents(deps: AgentAreaDeps) {
  const { config, db, clock, logger, tickets, hours } = deps;
  const accountDocs = db.collection<AgentAccount>('agentAccounts');
  const sessionDocs = db.collection<AgentSession>('agentSessions');
  const tokenDocs = db.collection<ApiToken>('agentApiTokens');
  const handoffDocs = db.collection<HandoffRecord>('handoffs');
  const ticketDocs = db.collection<Ticket>('tickets');
  const relayDocs = db.collection<RelayedEvent>(LIVE_RELAY_COLLECTION);
  const loginFailureDocs = db.collection<LoginFailures>('agentLoginFailures');
  const accountEventDocs = db.collection<AccountEvent>(ACCOUNT_EVENTS_COLLECTION);
  const savedReplyDocs = db.collection<SavedReply>(SAVED_REPLIES_COLLECTION);
  const relayed = acrossInstances(config.liveRelay, db.engine);
  await Promise.all([
    ...AgentAccounts.indexes(accountDocs),
    ...AgentAuth.indexes(sessionDocs, tokenDocs),
    ...LoginThrottle.indexes(loginFailureDocs),
    ...AccountEvents.indexes(accountEventDocs),
    ...SavedReplies.indexes(savedReplyDocs),
    ...HandoffQueue.indexes(handoffDocs),
    ...(relayed ? LiveRelay.indexes(relayDocs) : []),
  ]);

  const accounts = new AgentAccounts(accountDocs, clock);
  const auth = new AgentAuth({
    accounts,
    sessions: sessionDocs,
    tokens: tokenDocs,
    throttle: new LoginThrottle(loginFailureDocs, clock),
    clock,
    sessionTtlHours: config.sessionTtlHours,
    secureCookies: config.publicBaseUrl.startsWith('https://'),
  });
  const nav = new ConsoleNav();
  nav.add({ href: '/agent/team', label: 'Team', minRole: 'supervisor' });
  const events = new LiveEvents(relayed ? new LiveRelay(relayDocs, clock, logger, config.liveRelayPollMs) : undefined);
  const queue = new HandoffQueue(handoffDocs, ticketDocs, clock, config.queueMinutesPerPlace);
  const messenger = new CustomerMessenger({ sender: deps.sender, directory: deps.directory, transcripts: deps.transcripts, outbox: db.collection('handoffOutbox'), clock, logger });
  const takeover = new Takeover({ queue, tickets, accounts, messenger, events, clock, logger, idleMs: config.agentIdleMinutes * 60_000, hours });
  const escalations = new Escalations({ tickets, ticketDocs, queue, messenger, events, clock, logger, marginMs: config.escalationMarginMinutes * 60_000 });
  const external =
    config.handoffMode === 'external'
      ? new ExternalHandoff({ hub: deps.hub, queue, tickets, transcripts: deps.transcripts, messenger, events, clock, logger })
      : undefined;
  const handoff = new QueueHandoff({ queue, tickets, events, clock, hours, ...(external && { external }) });
  const ending = new HandoffOnTicketEnd({ queue, tickets, messenger, events, clock, logger });
  tickets.onChange(ending.onChange);
  const notes = new WaitingNotes({ tickets, orderNumbers: deps.orderNumbers, phoneRegion: config.defaultPhoneRegion as CountryCode });

  // The console refreshes what changed: any ticket change may move it in the queue or on screen.
  tickets.onChange(async (change) => {
    events.publish({ type: 'ticket.changed', ref: change.ticket.ref, action: change.action });
    const reasons = config.handoffMode === 'console' ? reasonsToQueue(change) : [];
    if (reasons.length === 0) return;
    const record = await queue.get(change.ticket.ref);
    if (record && record.state !== 'ended') return;
    await queue.enqueue(change.ticket, reasons.join('; '), { customerWaiting: false });
    events.publish({ type: 'queue.changed' });
  });

  if (isLocalMode(config) && config.agentBootstrapEmail && config.agentBootstrapPassword) {
    const created = await accounts.bootstrap(config.agentBootstrapEmail, config.agentBootstrapPassword);
    if (created) logger.info({ agentId: created._id }, 'local mode: bootstrap supervisor created from AGENT_BOOTSTRAP_EMAIL');
  }
  const firstAccount = { needed: firstAccountCheck(accounts), hint: firstAccountHint(isLocalMode(config), db.engine) };
  if (await firstAccount.needed()) logger.info(firstAccount.hint);

  const sweep = async () => {
    try {
      await auth.purgeExpiredSessions();
      await takeover.sweepIdle();
      await escalations.sweep();
    } catch (error) {
      logger.error({ err: error }, 'handoff sweep failed');
    }
  };
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= sweep().finally(() => (running = undefined));
  }, config.handoffSweepSeconds * 1000);
  timer.unref();

  // Built from config the way index.ts builds it, so the console reads order numbers as the bot does.
  const search = new TicketSearch(tickets, deps.orderNumbers, config.ticketPrefix, config.defaultPhoneRegion as CountryCode);
  const routes: RouteModule = agentRoutes({
    auth, nav, accounts, tickets, transcripts: deps.transcripts, search, queue, takeover, escalations, events, clock, logger,
    maxBodyBytes: config.maxBodyBytes, handoffMode: config.handoffMode, idleMinutes: config.agentIdleMinutes,
    accountEvents: new AccountEvents(accountEventDocs, clock, () => events.publish({ type: 'accounts.changed', audience: 'supervisor' })),
    directory: deps.directory,
    savedReplies: new SavedReplies(savedReplyDocs, clock),
    firstAccount,
  });

  return {
    accounts,
    auth,
    nav,
    events,
    queue,
    takeover,
    escalations,
    external,
    handoff,
    routes,
    /** What the bot-side relay (interceptor + middleware) needs. */
    relay: { queue, handoff, events, logger, clock, ending, notes, ...(external && { external }) },
    /** Runs both sweeps now (tests drive them with a manual clock). */
    sweep,
    close: async () => {
      clearInterval(timer);
      await running;
      await events.close();
    },
  };
}
