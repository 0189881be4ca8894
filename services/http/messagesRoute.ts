/** POST /api/messages: the Azure Bot Service door. The adapter (and its auth) is handed in by index.ts. */
import type { Request, Response, Server } from 'restify';
import { jsonBody } from './server';

export type ActivityProcessor = (req: Request, res: Response) => Promise<void>;

export function messagesRoute(process: ActivityProcessor, maxBodyBytes: number) {
  return (server: Server): void => {
    server.post('/api/messages', jsonBody(maxBodyBytes), async (req: Request, res: Response) => {
      if (!req.body || typeof req.body !== 'object' || typeof (req.body as { type?: unknown }).type !== 'string') {
        res.send(400, { error: 'BAD_ACTIVITY', message: 'The body must be a Bot Framework activity (JSON with a "type").' });
        return;
      }
      await process(req, res);
    });
  };
}
