/** A request's bytes exactly as sent, for doors whose signatures cover the raw body (webhooks). */
import type { Request, Response } from 'restify';

class BodyTooLarge extends Error {}

/** Reads the request's bytes up to `max`; anything larger is refused without buffering the rest. */
async function readRawBody(req: Request, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The request's bytes, or undefined once a body over `max` has been answered 413 (and the connection closed). */
export async function rawBodyOr413(req: Request, res: Response, max: number): Promise<Buffer | undefined> {
  try {
    return await readRawBody(req, max);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    res.header('connection', 'close');
    res.send(413, { error: 'BODY_TOO_LARGE', message: `The body is larger than ${max} bytes.` });
    return undefined;
  }
}
