/** POST /api/messages: the Azure Bot Service door. The adapter (and its auth) is handed in by index.ts. */
import type { Request, Response, Server } from 'restify';
import { conversationKey } from '../conversations';
import type { OneAtATime } from '../oneAtATime';
import { jsonBody } from './server';

export type ActivityProcessor = (req: Request, res: Response) => Promise<void>;

/** One conversation's activities are processed in the order they arrive, one at a time. */
export function messagesRoute(process: ActivityProcessor, maxBodyBytes: number, turns: OneAtATime) {
  return (server: Server): void => {
    server.post('/api/messages', jsonBody(maxBodyBytes), async (req: Request, res: Response) => {
      if (!req.body || typeof req.body !== 'object' || typeof (req.body as { type?: unknown }).type !== 'string') {
        res.send(400, { error: 'BAD_ACTIVITY', message: 'The body must be a Bot Framework activity (JSON with a "type").' });
        return;
      }
      const { channelId, conversation } = req.body as { channelId?: unknown; conversation?: { id?: unknown } | null };
      if (typeof conversation?.id !== 'string') return process(req, res);
      await turns.run(conversationKey(String(channelId), conversation.id), () => process(req, res));
    });
  };
}
