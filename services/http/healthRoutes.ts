/** Liveness (the process answers) and readiness (the store answers) for load balancers and probes. */
import type { Server } from 'restify';
import { getAndHead } from './getAndHead';

export function healthRoutes(ping: () => Promise<void>, draining: () => boolean) {
  return (server: Server): void => {
    getAndHead(server, '/healthz', async (_req, res) => {
      res.send(200, { status: 'ok' });
    });
    getAndHead(server, '/readyz', async (_req, res) => {
      if (draining()) {
        res.send(503, { status: 'unavailable', reason: 'shutting down' });
        return;
      }
      try {
        await ping();
        res.send(200, { status: 'ready' });
      } catch {
        res.send(503, { status: 'unavailable', reason: 'the store does not answer' });
      }
    });
  };
}
