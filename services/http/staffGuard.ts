/** The slice of the agent area's auth our routes use (AgentAuth satisfies it): role guard and who is calling. */
import type { Next, Request, RequestHandlerType, Response, Server } from 'restify';

export type StaffRole = 'agent' | 'supervisor' | 'executive';

export interface StaffGuard {
  requireRole(min: StaffRole): (req: Request, res: Response, next: Next) => void;
  principal(req: Request): { agent: { _id: string; name: string; role: StaffRole } };
}

/**
 * A staff route as /api/openapi.json describes it. `staffRoute` registers it with a guard made from the same
 * entry, so the document and the guard cannot drift apart (the agent API's own table does the same).
 */
export interface StaffRouteDoc {
  method: 'get' | 'post';
  path: string;
  role: StaffRole;
  summary: string;
}

export function staffRoute(server: Server, guard: StaffGuard, doc: StaffRouteDoc, ...handlers: RequestHandlerType[]): void {
  server[doc.method](doc.path, guard.requireRole(doc.role), ...handlers);
}

export function staffActor(guard: StaffGuard, req: Request): { kind: 'agent'; id: string; name: string } {
  const { agent } = guard.principal(req);
  return { kind: 'agent', id: agent._id, name: agent.name };
}

export function sendError(res: Response, error: unknown): void {
  const code = (error as { code?: string }).code;
  if (code === 'VALIDATION_FAILED') res.send(400, { error: code, message: (error as Error).message });
  else if (code === 'TICKET_NOT_FOUND') res.send(404, { error: code, message: (error as Error).message });
  else throw error;
}
