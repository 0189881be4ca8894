/**
 * The social doors. Each reads the raw bytes itself (signatures are computed over them, never over
 * re-serialised JSON), in this order: size (413) → signature or API key (401) → JSON (400) → handler.
 * A door whose area is not configured is not registered (404).
 */
import type { Request, Response, Server } from 'restify';
import { verificationChallenge, verifyMetaSignature } from '../social/meta/signature';
import { sameSecret } from '../social/signatures';
import { crcResponse, isCrcToken, verifyXSignature } from '../social/x/signature';
import { rawBodyOr413 } from './rawBody';

export interface DoorAnswer {
  status: number;
  body: unknown;
}

export interface SocialDoors {
  maxBodyBytes: number;
  x?: { consumerSecret: string; handle(body: Record<string, unknown>): Promise<DoorAnswer> };
  meta?: { appSecret: string; verifyToken: string; handle(body: Record<string, unknown>): Promise<DoorAnswer> };
  mentions?: { apiKey: string; handle(body: unknown): Promise<DoorAnswer> };
}

type Verify = (raw: Buffer, req: Request) => boolean;
type Handle = (body: unknown) => Promise<DoorAnswer>;

/** The shared POST pipeline of every door. */
function door(max: number, verify: Verify, handle: Handle, requireObject = true) {
  return async (req: Request, res: Response): Promise<void> => {
    const raw = await rawBodyOr413(req, res, max);
    if (!raw) return;
    if (!verify(raw, req)) {
      res.send(401, { error: 'UNAUTHENTICATED', message: 'The request is not signed (or keyed) as this door requires.' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      res.send(400, { error: 'BAD_JSON', message: 'The body is not valid JSON.' });
      return;
    }
    if (requireObject && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      res.send(400, { error: 'BAD_BODY', message: 'The body must be a JSON object.' });
      return;
    }
    const answer = await handle(body);
    res.send(answer.status, answer.body);
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function socialRoutes(doors: SocialDoors) {
  return (server: Server): void => {
    const { x, meta, mentions, maxBodyBytes } = doors;
    if (x) {
      server.get('/api/social/x/webhook', async (req: Request, res: Response) => {
        const token = (req.query as Record<string, unknown> | undefined)?.crc_token;
        if (!isCrcToken(token)) {
          res.send(400, { error: 'BAD_CRC', message: 'crc_token is missing or not a CRC token.' });
          return;
        }
        res.send(200, crcResponse(x.consumerSecret, token));
      });
      server.post(
        '/api/social/x/webhook',
        door(maxBodyBytes, (raw, req) => verifyXSignature(x.consumerSecret, raw, header(req, 'x-twitter-webhooks-signature')), (body) => x.handle(body as Record<string, unknown>)),
      );
    }
    if (meta) {
      server.get('/api/social/meta/webhook', async (req: Request, res: Response) => {
        const challenge = verificationChallenge(meta.verifyToken, (req.query ?? {}) as Record<string, unknown>);
        if (challenge === undefined) {
          res.send(403, { error: 'FORBIDDEN', message: 'hub.verify_token does not match.' });
          return;
        }
        res.setHeader('content-type', 'text/plain');
        res.sendRaw(200, challenge);
      });
      server.post(
        '/api/social/meta/webhook',
        door(maxBodyBytes, (raw, req) => verifyMetaSignature(meta.appSecret, raw, header(req, 'x-hub-signature-256')), (body) => meta.handle(body as Record<string, unknown>)),
      );
    }
    if (mentions) {
      server.post(
        '/api/social/mentions',
        door(maxBodyBytes, (_raw, req) => sameSecret(mentions.apiKey, header(req, 'x-api-key') ?? bearer(header(req, 'authorization'))), (body) => mentions.handle(body), false),
      );
    }
  };
}

function bearer(value: string | undefined): string | undefined {
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : undefined;
}
