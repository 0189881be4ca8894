/**
 * The console's REST API (`/api/agent/…`), its live feed (SSE), the OpenAPI document and the console's
 * static files. One table describes every API route: it registers them, guards each with its role,
 * and writes /api/openapi.json, so the document and the guards cannot drift apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Next, Request, RequestHandler, Response, Server } from 'restify';
import { type Role, ROLES, roleRank } from '../agents/accounts';
import { type AgentAuth, type ConsoleNav, type Principal } from '../agents/auth';
import { DomainError } from '../errors';
import { HandoffError } from '../handoff/errors';
import { requireChangeRights, requireHoldRights } from '../handoff/changeRights';
import type { Escalations } from '../handoff/escalation';
import { audienceOf, type LiveEvents } from '../handoff/liveEvents';
import { type HandoffQueue, slaDue } from '../handoff/queue';
import { agentActor, type Takeover } from '../handoff/takeover';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import type { AgentAccounts } from '../agents/accounts';
import type { TicketService } from '../tickets/ticketService';
import type { Ticket } from '../tickets/types';
import type { Transcripts } from '../tickets/transcript';
import type { TicketSearch } from '../agents/ticketSearch';
import { PRIORITIES, SUPPORT_TIERS, TICKET_STATUSES } from '../tickets/types';
import { jsonBody } from './server';
import { STAFF_PAGE_HEADERS } from './securityHeaders';
import { getAndHead } from './getAndHead';
import { openApiDocument } from '../agents/openApi';
import { PRIVACY_API } from './privacyRoutes';
import { StatusError } from './apiErrors';
import { accountRoutes } from './accountRoutes';
import { savedReplyRoutes } from './savedReplyRoutes';
import type { SavedReplies } from '../agents/savedReplies';
import type { AccountEvents } from '../agents/accountEvents';
import { REPORT_API } from './reportRoutes';
import type { ConversationDirectory } from '../conversations';
import { replyWindowOf } from '../followUps/windows';
import { lastSmsUndelivered } from '../followUps/smsDelivery';

export interface AgentApiDeps {
  auth: AgentAuth;
  nav: ConsoleNav;
  accounts: AgentAccounts;
  tickets: TicketService;
  transcripts: Transcripts;
  search: TicketSearch;
  queue: HandoffQueue;
  takeover: Takeover;
  escalations: Escalations;
  events: LiveEvents;
  clock: Clock;
  logger: Logger;
  maxBodyBytes: number;
  handoffMode: 'console' | 'external';
  idleMinutes: number;
  /** The account audit: creations, disabling, password resets, role changes. */
  accountEvents: AccountEvents;
  /** The team's saved replies (macros) for the reply box. */
  savedReplies: SavedReplies;
  /** Where conversations stand now (the customer's last message): the ticket view says up front when a reply window closes. */
  directory?: ConversationDirectory;
  /** A fresh install: the sign-in page says how to create the first account while none exists. */
  firstAccount?: { needed: () => Promise<boolean>; hint: string };
}

/** `verbatim`: taken as typed, spaces included (passwords), where other text is trimmed. */
export type FieldSpec = { type: 'string' | 'boolean'; enum?: readonly string[]; required?: boolean; maxLength?: number; verbatim?: boolean };

export interface ApiRoute {
  method: 'get' | 'post';
  path: string;
  /** Lowest role allowed; the guard answers 401/403 before the handler runs. */
  role: Role;
  /** Open to a session whose password someone else handed over (otherwise 403 PASSWORD_CHANGE_REQUIRED until it is replaced). */
  beforeOwnPassword?: true;
  summary: string;
  body?: Record<string, FieldSpec>;
  /** Query-string fields (GET), validated like a body. */
  query?: Record<string, FieldSpec>;
  run(call: { principal: Principal; params: Record<string, string>; body: Record<string, unknown>; query: Record<string, unknown> }): Promise<unknown>;
}

const TEXT = { type: 'string', required: true, maxLength: 4000 } as const;

export function agentApiRoutes(deps: AgentApiDeps): ApiRoute[] {
  const { tickets, takeover } = deps;
  const actor = (p: Principal) => agentActor(p.agent);
  return [
    {
      method: 'get', path: '/api/agent/me', role: 'agent', beforeOwnPassword: true, summary: 'The signed-in agent, CSRF token and navigation',
      run: async ({ principal }) => ({
        agent: principal.agent,
        csrfToken: principal.csrfToken ?? null,
        nav: deps.nav.for(principal.agent.role),
        settings: { handoffMode: deps.handoffMode, idleMinutes: deps.idleMinutes },
      }),
    },
    { method: 'post', path: '/api/agent/logout', role: 'agent', beforeOwnPassword: true, summary: 'Sign out (clears the session)', run: async () => ({ ok: true }) },
    { method: 'get', path: '/api/agent/queue', role: 'agent', summary: 'Waiting conversations by SLA due time, and the ones held', run: () => deps.queue.list() },
    { method: 'get', path: '/api/agent/agents', role: 'agent', summary: 'Active agents (for transfers)', run: () => deps.accounts.list() },
    {
      method: 'get', path: '/api/agent/tickets', role: 'agent', summary: 'Find tickets, queued or not, by reference (any case, dash optional), order number, e-mail, phone, or customer name / @handle',
      query: { query: { type: 'string', required: true, maxLength: 100 } },
      run: async ({ query }) => ({ tickets: await deps.search.find(String(query.query)) }),
    },
    {
      method: 'get', path: '/api/agent/tickets/:ref', role: 'agent', summary: 'Ticket, hold, SLA, transcript and audit trail',
      run: async ({ params }) => {
        const ticket = await tickets.require(params.ref);
        const [handoff, transcript, audit] = await Promise.all([
          deps.queue.get(ticket.ref),
          ticket.conversation ? deps.transcripts.forConversation(ticket.conversation.conversationId) : deps.transcripts.forTicket(ticket.ref),
          tickets.audit.list(ticket.ref),
        ]);
        const phone = ticket.contact?.smsBlocked ? undefined : ticket.contact?.phone;
        const [replyWindow, smsBlocked] = await Promise.all([replyWindowFor(ticket, deps), phone ? tickets.smsBlockOf(phone) : undefined]);
        // The phone's SMS refusal as follow-ups see it (any ticket with this phone), not only when this ticket was marked.
        const shown = smsBlocked ? { ...ticket, contact: { ...ticket.contact!, smsBlocked } } : ticket;
        // `now`: the server's clock, so the console follows the reply window's deadlines even when the agent's clock is off.
        const now = deps.clock.now();
        return { ticket: shown, handoff, due: slaDue(ticket, now), transcript, audit, replyWindow, smsUndelivered: lastSmsUndelivered(audit) ?? null, now };
      },
    },
    {
      method: 'post', path: '/api/agent/tickets/:ref/takeover', role: 'agent', summary: 'Take the conversation (force: take it from its holder)',
      body: { force: { type: 'boolean' } },
      run: async ({ principal, params, body }) => ({ handoff: await takeover.claim(params.ref, principal.agent, { force: body.force === true }) }),
    },
    {
      method: 'post', path: '/api/agent/tickets/:ref/messages', role: 'agent', summary: 'Reply to the customer (clientMessageId makes retries safe)',
      body: { text: TEXT, clientMessageId: { type: 'string', required: true, maxLength: 100 } },
      run: ({ principal, params, body }) => takeover.reply(params.ref, principal.agent, String(body.text), String(body.clientMessageId)),
    },
    {
      method: 'post', path: '/api/agent/tickets/:ref/typing', role: 'agent', summary: 'Show the customer that the agent is typing',
      run: async ({ principal, params }) => (await takeover.agentTyping(params.ref, principal.agent), { ok: true }),
    },
    {
      method: 'post', path: '/api/agent/tickets/:ref/handback', role: 'agent', summary: 'Hand the conversation back to the bot',
      run: async ({ principal, params }) => (await takeover.handBack(params.ref, principal.agent), { ok: true }),
    },
    {
      method: 'post', path: '/api/agent/tickets/:ref/transfer', role: 'agent', summary: 'Transfer to a colleague (agentId) or a tier',
      body: { agentId: { type: 'string', maxLength: 100 }, tier: { type: 'string', enum: SUPPORT_TIERS } },
      run: async ({ principal, params, body }) => {
        if (typeof body.agentId === 'string') await takeover.transfer(params.ref, principal.agent, { agentId: body.agentId });
        else if (typeof body.tier === 'string') await takeover.transfer(params.ref, principal.agent, { tier: body.tier as (typeof SUPPORT_TIERS)[number] });
        else throw new DomainError('VALIDATION_FAILED', 'Send agentId or tier');
        return { ok: true };
      },
    },
    {
      method: 'post', path: '/api/agent/tickets/:ref/escalate', role: 'agent', summary: 'Escalate one tier up (agent → supervisor → executive); refused (403) while someone else holds the chat, unless supervisor',
      body: { reason: TEXT },
      run: async ({ principal, params, body }) => {
        await requireHoldRights(deps, params.ref, principal.agent, 'escalate it');
        return { ticket: await deps.escalations.escalate(params.ref, actor(principal), String(body.reason)) };
      },
    },
    {
      method: 'post', path: '/api/agent/tickets/:ref/status', role: 'agent', summary: 'Change the ticket status (the customer is told by follow-ups); refused (403) above your tier or while someone else holds the chat, unless supervisor',
      body: { status: { type: 'string', enum: TICKET_STATUSES, required: true }, note: { type: 'string', maxLength: 4000 } },
      run: async ({ principal, params, body }) => {
        await requireChangeRights(deps, params.ref, principal.agent);
        const ticket = await tickets.changeStatus(params.ref, body.status as (typeof TICKET_STATUSES)[number], actor(principal), body.note as string | undefined);
        await takeover.noteActivity(params.ref, principal.agent);
        return { ticket };
      },
    },
    {
      method: 'post', path: '/api/agent/tickets/:ref/priority', role: 'agent', summary: 'Set the priority (SLA timers follow); refused (403) above your tier or while someone else holds the chat, unless supervisor',
      body: { priority: { type: 'string', enum: PRIORITIES, required: true }, reason: TEXT },
      run: async ({ principal, params, body }) => {
        await requireChangeRights(deps, params.ref, principal.agent);
        const ticket = await tickets.setPriority(params.ref, body.priority as (typeof PRIORITIES)[number], actor(principal), `${principal.agent.name}: ${String(body.reason)}`);
        deps.events.publish({ type: 'queue.changed' });
        return { ticket };
      },
    },
    {
      method: 'post', path: '/api/agent/tickets/:ref/notes', role: 'agent', summary: 'Add a note: internal (team only) or public (the customer is told)',
      body: { visibility: { type: 'string', enum: ['internal', 'public'], required: true }, text: TEXT },
      run: async ({ principal, params, body }) => {
        const ticket = await tickets.addNote(params.ref, body.visibility as 'internal' | 'public', String(body.text), actor(principal));
        await takeover.noteActivity(params.ref, principal.agent);
        return { ticket };
      },
    },
    {
      method: 'post', path: '/api/agent/tickets/:ref/assign', role: 'supervisor', summary: 'Assign the ticket to an agent without taking the conversation',
      body: { agentId: { type: 'string', required: true, maxLength: 100 } },
      run: async ({ principal, params, body }) => {
        const target = await deps.accounts.get(String(body.agentId));
        if (!target) throw new HandoffError('NO_SUCH_AGENT', 'There is no active agent with that id');
        const ticket = await tickets.mutate(params.ref, actor(principal), 'ticket.assigned', (current) => ({
          patch: { assignee: { id: target._id, name: target.name } },
          before: { assignee: current.assignee?.name ?? null },
          after: { assignee: target.name },
        }));
        return { ticket };
      },
    },
    {
      method: 'post', path: '/api/agent/agents', role: 'supervisor', summary: 'Create an agent account (its owner chooses their own password at the first sign-in)',
      body: { email: { type: 'string', required: true, maxLength: 200 }, name: { type: 'string', required: true, maxLength: 80 }, role: { type: 'string', enum: ROLES, required: true }, password: { type: 'string', required: true, maxLength: 200, verbatim: true } },
      run: async ({ principal, body }) => {
        const role = body.role as Role;
        if (ROLES.indexOf(role) > ROLES.indexOf(principal.agent.role)) throw new DomainError('FORBIDDEN', 'You cannot create an account with a higher role than your own');
        const agent = await deps.accounts.create({ email: String(body.email), name: String(body.name), role, password: String(body.password), temporary: true });
        await deps.accountEvents.record('agent.created', agent._id, principal.agent, { after: role });
        return { agent };
      },
    },
    {
      method: 'post', path: '/api/agent/tokens', role: 'supervisor', summary: 'Create an API token for an integration (shown once)',
      body: { label: { type: 'string', required: true, maxLength: 80 } },
      run: ({ principal, body }) => deps.auth.createApiToken(principal.agent._id, String(body.label)),
    },
    ...accountRoutes(deps),
    ...savedReplyRoutes(deps),
  ];
}

/**
 * Whether an agent's reply can still reach the customer on a windowed channel (Messenger, Instagram), from the
 * directory's last customer message (fresher than the ticket's copy), as the send path judges it; null elsewhere.
 */
async function replyWindowFor(ticket: Ticket, deps: Pick<AgentApiDeps, 'directory' | 'clock'>) {
  const stored = ticket.conversation;
  if (!stored) return null;
  const entry = await deps.directory?.get(stored.channelId, stored.conversationId);
  return replyWindowOf(stored.channelId, entry?.lastCustomerMessageAt ?? stored.lastCustomerMessageAt, deps.clock.now());
}

export function agentRoutes(deps: AgentApiDeps) {
  const routes = agentApiRoutes(deps);
  return (server: Server): void => {
    server.post('/api/agent/login', ...consistentJsonBody(deps.maxBodyBytes), async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (typeof body.email !== 'string' || typeof body.password !== 'string' || body.password.length > 200) {
        res.send(400, { error: 'VALIDATION_FAILED', message: 'Send email and password.' });
        return;
      }
      const result = await deps.auth.login(body.email, body.password);
      if ('refused' in result) {
        res.send(result.refused === 'locked' ? 429 : 401, {
          error: result.refused === 'locked' ? 'LOCKED' : 'UNAUTHENTICATED',
          message: result.refused === 'locked' ? 'Too many failed attempts; try again in 15 minutes.' : 'The e-mail or password is not right.',
        });
        return;
      }
      res.header('set-cookie', result.cookie);
      res.header('cache-control', 'no-store');
      res.send(200, { agent: result.agent, csrfToken: result.csrfToken });
    });
    // Public, for the sign-in page: only whether any account exists at all (never whether an e-mail does).
    server.get('/api/agent/setup', async (_req: Request, res: Response) => {
      const needed = deps.firstAccount ? await deps.firstAccount.needed() : false;
      res.header('cache-control', 'no-store');
      res.send(200, needed ? { firstAccountNeeded: true, hint: deps.firstAccount!.hint } : { firstAccountNeeded: false });
    });

    for (const route of routes) {
      const guard = deps.auth.requireRole(route.role, { beforeOwnPassword: route.beforeOwnPassword });
      const handler = async (req: Request, res: Response) => {
        const principal = deps.auth.principal(req);
        try {
          const body = route.method === 'post' ? validate((req.body ?? {}) as Record<string, unknown>, route.body ?? {}) : {};
          const query = route.query ? validate((req.query ?? {}) as Record<string, unknown>, route.query) : {};
          const result = await route.run({ principal, params: (req.params ?? {}) as Record<string, string>, body, query });
          if (route.path === '/api/agent/logout') res.header('set-cookie', await deps.auth.logout(req));
          res.header('cache-control', 'no-store');
          res.send(200, result);
        } catch (error) {
          sendError(res, error, deps.logger, route.path);
        }
      };
      if (route.method === 'get') server.get(route.path, guard, handler);
      else server.post(route.path, guard, ...consistentJsonBody(deps.maxBodyBytes), handler);
    }

    server.get('/api/agent/events', deps.auth.requireRole('agent'), async (req: Request, res: Response) => liveFeed(req, res, deps, server, deps.auth.principal(req)));
    server.get('/api/openapi.json', async (_req: Request, res: Response) => {
      res.send(200, openApiDocument(routes, [...Object.values(REPORT_API), ...Object.values(PRIVACY_API)]));
    });
    consoleStatic(server);
  };
}

/**
 * Server-sent events until the client leaves, the server stops listening (so shutdown is not held up), or the
 * caller's credential ends: sign-out, revocation and disabling close it at once (AgentAuth.trackStream), expiry
 * is checked before every event, and the store is re-read every 15 s (a sign-out on another instance).
 */
function liveFeed(req: Request, res: Response, deps: Pick<AgentApiDeps, 'events' | 'auth'>, server: Server, principal: Principal): Promise<void> {
  const role: Role = principal.agent.role;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write('retry: 3000\n\n');
  return new Promise((resolve) => {
    let finished = false;
    const unsubscribe = deps.events.subscribe((event) => {
      if (!deps.auth.stillValid(principal)) return finish();
      // Some events (listening alerts) are for supervisors and up only.
      if (roleRank(role) >= roleRank(audienceOf(event))) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const untrack = deps.auth.trackStream(principal, () => finish());
    let beats = 0;
    const timer = setInterval(() => {
      if (!server.server.listening || !deps.auth.stillValid(principal)) return finish();
      if (++beats % 60 === 0) {
        res.write(': keep-alive\n\n');
        void deps.auth.stillSignedIn(principal).then((ok) => ok || finish(), () => undefined);
      }
    }, 250);
    function finish() {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      unsubscribe();
      untrack();
      res.end();
      resolve();
    }
    req.once('close', finish);
  });
}

/**
 * The shared JSON body parser, with its refusals in this API's shape (`{ error, message }`, like every other
 * answer here) instead of restify's `{ code, message }`: 415 for another media type, 400 malformed, 413 too large.
 */
function consistentJsonBody(maxBytes: number): RequestHandler[] {
  const refuse = (res: Response, status: number, error: string, message: string) => res.send(status, { error, message });
  const [, ...parsers] = jsonBody(maxBytes) as RequestHandler[];
  const requireJson: RequestHandler = (req, res, next) => {
    const declared = req.header('content-type');
    if (declared && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(declared)) {
      refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `Send JSON (content-type: application/json), not ${declared.split(';')[0]}.`);
      return next(false);
    }
    return next();
  };
  const wrapped = parsers.map((parser): RequestHandler => (req, res, next) =>
    parser(req, res, ((result?: unknown) => {
      if (!(result instanceof Error)) return next(result as boolean | undefined);
      const status = (result as { statusCode?: number }).statusCode ?? 400;
      if (status === 413) refuse(res, 413, 'BODY_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
      else if (status === 415) refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON (content-type: application/json).');
      else refuse(res, status >= 400 && status < 500 ? status : 400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
      return next(false);
    }) as Next),
  );
  return [requireJson, ...wrapped];
}

function validate(body: Record<string, unknown>, spec: Record<string, FieldSpec>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const value = body[key];
    if (value === undefined || value === null || value === '') {
      if (field.required) throw new DomainError('VALIDATION_FAILED', `${key} is required`);
      continue;
    }
    if (typeof value !== field.type) throw new DomainError('VALIDATION_FAILED', `${key} must be a ${field.type}`);
    if (field.type === 'string') {
      const text = field.verbatim ? (value as string) : (value as string).trim();
      if (field.required && !text) throw new DomainError('VALIDATION_FAILED', `${key} is required`);
      // Characters as people count them (code points), so an emoji is one, not two UTF-16 units.
      if (field.maxLength && [...text].length > field.maxLength) throw new DomainError('VALIDATION_FAILED', `${key} is longer than ${field.maxLength} characters`);
      if (field.enum && !field.enum.includes(text)) throw new DomainError('VALIDATION_FAILED', `${key} must be one of ${field.enum.join(', ')}`);
      out[key] = text;
    } else out[key] = value;
  }
  return out;
}

const DOMAIN_STATUS: Partial<Record<string, number>> = {
  TICKET_NOT_FOUND: 404,
  TICKET_TRANSITION_INVALID: 409,
  TICKET_CONFLICT: 409,
  VALIDATION_FAILED: 400,
  FORBIDDEN: 403,
  CHANNEL_UNREACHABLE: 502,
  CHANNEL_WINDOW_CLOSED: 409,
};

function sendError(res: Response, error: unknown, logger: Logger, route: string): void {
  if (error instanceof HandoffError) {
    res.send(error.status, { error: error.code, message: error.message, ...(error.holder && { holder: error.holder }) });
    return;
  }
  if (error instanceof StatusError) {
    res.send(error.status, { error: error.code, message: error.message });
    return;
  }
  if (error instanceof DomainError && DOMAIN_STATUS[error.code]) {
    res.send(DOMAIN_STATUS[error.code]!, { error: error.code, message: error.message });
    return;
  }
  logger.error({ err: error, route }, 'agent API failed');
  res.send(500, { error: 'INTERNAL', message: 'Something went wrong; nothing was changed if the request failed before saving.' });
}

const WEB_DIR = path.join(__dirname, '..', '..', 'web', 'agent');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** The console: plain files read once, served only by exact name (no path from the request touches the disk). */
function consoleStatic(server: Server): void {
  const files = new Map<string, Buffer>(
    readdirSync(WEB_DIR)
      .filter((name) => TYPES[path.extname(name)])
      .map((name) => [name, readFileSync(path.join(WEB_DIR, name))]),
  );
  const serve = (name: string, res: Response) => {
    const file = files.get(name);
    if (!file) {
      res.send(404, { error: 'NOT_FOUND', message: 'No such console file' });
      return;
    }
    res.sendRaw(200, file, { 'content-type': `${TYPES[path.extname(name)]}; charset=utf-8`, 'cache-control': 'no-cache', ...STAFF_PAGE_HEADERS });
  };
  getAndHead(server, '/agent', async (_req: Request, res: Response) => serve('index.html', res));
  // The same page with a trailing slash (bookmarks, typed URLs); its assets use absolute paths.
  getAndHead(server, '/agent/', async (_req: Request, res: Response) => serve('index.html', res));
  // Supervisors' pages by their short address, like /agent/reports and /agent/privacy.
  getAndHead(server, '/agent/team', async (_req: Request, res: Response) => serve('team.html', res));
  getAndHead(server, '/agent/:file', async (req: Request, res: Response) => serve(String(req.params.file), res));
}
