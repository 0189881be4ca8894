/**
 * Data rights for supervisors: subject access and erasure (POST, so e-mails and phone numbers never sit
 * in URLs or access logs), the record of past requests, the retention settings and the console page.
 * Each access and erasure is itself recorded.
 */
import path from 'node:path';
import type { Request, RequestHandlerType, Response, Server } from 'restify';
import type { PrivacyService, SubjectQuery } from '../privacy/privacyService';
import { type StaffFiles, staffFiles } from './staffFiles';
import { jsonBody } from './server';
import { sendError, staffActor, staffRoute, type StaffGuard, type StaffRouteDoc } from './staffGuard';

function queryOf(body: unknown): SubjectQuery {
  const raw = (body ?? {}) as Record<string, unknown>;
  const pick = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string).slice(0, 200) : undefined);
  return { channelUserId: pick('channelUserId'), channelId: pick('channelId'), email: pick('email'), phone: pick('phone') };
}

/** What the retention job is set to do, and what its last sweep in this process did. */
export interface RetentionStatus {
  days: number;
  sweepMinutes: number;
  lastRun?: { at: Date; erasedTickets: number; erasedPosts: number; erasedAlerts?: number; error?: string };
}

const WEB_DIR = path.join(__dirname, '..', '..', 'web', 'agent');
const PAGES: StaffFiles = {
  '/agent/privacy': { file: path.join(WEB_DIR, 'privacy.html'), type: 'text/html' },
  '/agent/privacy.js': { file: path.join(WEB_DIR, 'privacy.js'), type: 'text/javascript' },
  '/agent/privacy.css': { file: path.join(WEB_DIR, 'privacy.css'), type: 'text/css' },
};

/** The JSON routes, as /api/openapi.json lists them. */
export const PRIVACY_API = {
  access: { method: 'post', path: '/api/privacy/access', role: 'supervisor', summary: 'Subject access: everything held about a customer (by channel user id, e-mail or phone)' },
  erase: { method: 'post', path: '/api/privacy/erase', role: 'supervisor', summary: 'Erase a customer\'s personal data everywhere ("confirm": true); recorded' },
  requests: { method: 'get', path: '/api/privacy/requests', role: 'supervisor', summary: 'Past access, erasure and retention requests' },
  retention: { method: 'get', path: '/api/privacy/retention', role: 'supervisor', summary: 'Retention settings and the last retention sweep' },
} as const satisfies Record<string, StaffRouteDoc>;

export function privacyRoutes(deps: { guard: StaffGuard; privacy: PrivacyService; maxBodyBytes: number; retention: () => RetentionStatus }) {
  return (server: Server): void => {
    const route = (doc: StaffRouteDoc, ...handlers: RequestHandlerType[]) => staffRoute(server, deps.guard, doc, ...handlers);
    staffFiles(server, PAGES);
    route(PRIVACY_API.access, jsonBody(deps.maxBodyBytes), async (req: Request, res: Response) => {
      try {
        const result = await deps.privacy.access(queryOf(req.body), staffActor(deps.guard, req));
        res.header('cache-control', 'no-store');
        res.send(200, result);
      } catch (error) {
        sendError(res, error);
      }
    });
    route(PRIVACY_API.erase, jsonBody(deps.maxBodyBytes), async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as { confirm?: unknown; reason?: unknown };
      if (body.confirm !== true) return void res.send(400, { error: 'VALIDATION_FAILED', message: 'Erasure cannot be undone: send "confirm": true with the subject.' });
      try {
        const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.slice(0, 300) : 'customer request';
        res.send(200, await deps.privacy.erase(queryOf(req.body), staffActor(deps.guard, req), reason));
      } catch (error) {
        sendError(res, error);
      }
    });
    route(PRIVACY_API.requests, async (_req: Request, res: Response) => {
      res.send(200, { requests: await deps.privacy.history() });
    });
    route(PRIVACY_API.retention, async (_req: Request, res: Response) => {
      const [lastErasure] = (await deps.privacy.history(200)).filter((request) => request.kind === 'retention');
      res.send(200, { ...deps.retention(), enabled: deps.retention().days > 0, ...(lastErasure && { lastErasure: { at: lastErasure.at, tickets: lastErasure.ticketRefs.length } }) });
    });
  };
}
