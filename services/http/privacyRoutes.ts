/**
 * Data rights for supervisors: subject access and erasure (POST, so e-mails and phone numbers never sit
 * in URLs or access logs), and the record of past requests. Each call is itself recorded.
 */
import type { Request, Response, Server } from 'restify';
import type { PrivacyService, SubjectQuery } from '../privacy/privacyService';
import { jsonBody } from './server';
import { sendError, staffActor, type StaffGuard } from './staffGuard';

function queryOf(body: unknown): SubjectQuery {
  const raw = (body ?? {}) as Record<string, unknown>;
  const pick = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string).slice(0, 200) : undefined);
  return { channelUserId: pick('channelUserId'), channelId: pick('channelId'), email: pick('email'), phone: pick('phone') };
}

export function privacyRoutes(deps: { guard: StaffGuard; privacy: PrivacyService; maxBodyBytes: number }) {
  const supervisor = deps.guard.requireRole('supervisor');
  return (server: Server): void => {
    server.post('/api/privacy/access', supervisor, jsonBody(deps.maxBodyBytes), async (req: Request, res: Response) => {
      try {
        const result = await deps.privacy.access(queryOf(req.body), staffActor(deps.guard, req));
        res.header('cache-control', 'no-store');
        res.send(200, result);
      } catch (error) {
        sendError(res, error);
      }
    });
    server.post('/api/privacy/erase', supervisor, jsonBody(deps.maxBodyBytes), async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as { confirm?: unknown; reason?: unknown };
      if (body.confirm !== true) return void res.send(400, { error: 'VALIDATION_FAILED', message: 'Erasure cannot be undone: send "confirm": true with the subject.' });
      try {
        const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.slice(0, 300) : 'customer request';
        res.send(200, await deps.privacy.erase(queryOf(req.body), staffActor(deps.guard, req), reason));
      } catch (error) {
        sendError(res, error);
      }
    });
    server.get('/api/privacy/requests', supervisor, async (_req: Request, res: Response) => {
      res.send(200, { requests: await deps.privacy.history() });
    });
  };
}
