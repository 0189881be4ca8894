/**
 * POST /api/tickets/:ref/events: an operator or an external order system changes a ticket's status and/or
 * adds a note, so follow-ups can be driven end to end without the console. Authenticated with an API key
 * (x-api-key, compared in constant time). 401 bad key, 404 unknown ticket, 400 bad body, 409 invalid
 * transition. An `Idempotency-Key` header makes a retried request a no-op that answers the same.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { DomainError, hasCode } from '../errors';
import { canTransition } from '../tickets/lifecycle';
import type { Collection, Document } from '../store/types';
import { isDuplicateKey } from '../store/types';
import type { TicketService } from '../tickets/ticketService';
import { type Actor, PRIORITIES, type Priority, TICKET_STATUSES, type TicketStatus } from '../tickets/types';
import { jsonBody } from './server';

export interface TicketEventBody {
  status?: TicketStatus;
  /** Told to the customer by the follow-ups. */
  publicNote?: string;
  /** Stays with the team. */
  internalNote?: string;
  priority?: Priority;
  /** Who made the change, as shown on the audit trail (e.g. "order-system"). */
  actor?: { id: string; name?: string };
}

export interface AppliedEvent extends Document {
  ref: string;
  at: Date;
  response: Record<string, unknown>;
}

export interface TicketEventsDeps {
  apiKey: string;
  tickets: TicketService;
  applied: Collection<AppliedEvent>;
  maxBodyBytes: number;
  now: () => Date;
}

const MAX_NOTE = 4000;
const KEYS = new Set(['status', 'publicNote', 'internalNote', 'priority', 'actor']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function parseTicketEvent(body: unknown): TicketEventBody {
  const fail = (message: string) => new DomainError('VALIDATION_FAILED', message);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw fail('The body must be a JSON object.');
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).filter((key) => !KEYS.has(key));
  if (unknown.length > 0) throw fail(`Unknown field(s): ${unknown.join(', ')}. Allowed: ${[...KEYS].join(', ')}.`);
  const out: TicketEventBody = {};
  if (input.status !== undefined) {
    if (!TICKET_STATUSES.includes(input.status as TicketStatus)) throw fail(`status must be one of ${TICKET_STATUSES.join(', ')}.`);
    out.status = input.status as TicketStatus;
  }
  if (input.priority !== undefined) {
    if (!PRIORITIES.includes(input.priority as Priority)) throw fail(`priority must be one of ${PRIORITIES.join(', ')}.`);
    out.priority = input.priority as Priority;
  }
  for (const key of ['publicNote', 'internalNote'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NOTE) throw fail(`${key} must be text of 1 to ${MAX_NOTE} characters.`);
    out[key] = value.trim();
  }
  if (input.actor !== undefined) {
    const actor = input.actor as Record<string, unknown>;
    if (!actor || typeof actor !== 'object' || typeof actor.id !== 'string' || !/^[\w.@:-]{1,100}$/.test(actor.id) || (actor.name !== undefined && typeof actor.name !== 'string')) {
      throw fail('actor must be { "id": "order-system", "name"?: "Order system" }.');
    }
    out.actor = { id: actor.id, ...(typeof actor.name === 'string' && { name: actor.name.slice(0, 100) }) };
  }
  if (!out.status && !out.publicNote && !out.internalNote && !out.priority) throw fail('Nothing to do: give status, publicNote, internalNote and/or priority.');
  return out;
}

export function ticketEventsRoute(deps: TicketEventsDeps) {
  const expected = digest(deps.apiKey);
  return (server: Server): void => {
    server.post('/api/tickets/:ref/events', jsonBody(deps.maxBodyBytes), async (req: Request, res: Response) => {
      if (!deps.apiKey) {
        res.send(503, { error: 'NOT_CONFIGURED', message: 'The ticket events API is off: set TICKET_EVENTS_API_KEY.' });
        return;
      }
      const given = req.header('x-api-key') ?? '';
      if (!given || !timingSafeEqual(digest(given), expected)) {
        res.send(401, { error: 'UNAUTHENTICATED', message: 'Send a valid API key in the x-api-key header.' });
        return;
      }
      const ref = String(req.params.ref ?? '').toUpperCase();
      let event: TicketEventBody;
      try {
        event = parseTicketEvent(req.body);
      } catch (error) {
        res.send(400, { error: 'VALIDATION_FAILED', message: (error as Error).message });
        return;
      }
      const idempotencyKey = req.header('idempotency-key');
      const keyId = idempotencyKey ? `${ref}:${idempotencyKey.slice(0, 200)}` : undefined;
      if (keyId) {
        const earlier = await deps.applied.findOne({ _id: keyId });
        if (earlier) {
          res.send(200, { ...earlier.response, replayed: true });
          return;
        }
      }
      try {
        const response = await apply(deps.tickets, ref, event);
        if (keyId) await deps.applied.insertOne({ _id: keyId, ref, at: deps.now(), response }).catch((error: unknown) => {
          if (!isDuplicateKey(error)) throw error;
        });
        res.send(200, response);
      } catch (error) {
        if (hasCode(error, 'TICKET_NOT_FOUND')) res.send(404, { error: 'TICKET_NOT_FOUND', message: `No ticket ${ref}.` });
        else if (hasCode(error, 'TICKET_TRANSITION_INVALID')) res.send(409, { error: 'TICKET_TRANSITION_INVALID', message: (error as Error).message });
        else throw error;
      }
    });
  };
}

/** Notes first, so a resolution's follow-up can say what was done; then priority, then status. */
async function apply(tickets: TicketService, ref: string, event: TicketEventBody): Promise<Record<string, unknown>> {
  const actor: Actor = { kind: 'system', id: event.actor?.id ?? 'events-api', ...(event.actor?.name && { name: event.actor.name }) };
  let ticket = await tickets.require(ref);
  if (event.status && ticket.status !== event.status) {
    // Check the transition before writing anything, so a refused request changes nothing.
    if (!canTransition(ticket.status, event.status)) throw new DomainError('TICKET_TRANSITION_INVALID', `A ${ticket.status} ticket cannot become ${event.status}`);
  }
  if (event.internalNote) ticket = await tickets.addNote(ref, 'internal', event.internalNote, actor);
  if (event.publicNote) ticket = await tickets.addNote(ref, 'public', event.publicNote, actor);
  if (event.priority) ticket = await tickets.setPriority(ref, event.priority, actor, `set by ${actor.id}`);
  if (event.status) ticket = await tickets.changeStatus(ref, event.status, actor);
  return { ref: ticket.ref, status: ticket.status, priority: ticket.priority, version: ticket.version };
}
