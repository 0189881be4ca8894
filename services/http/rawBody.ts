/** A request's bytes exactly as sent, for doors whose signatures cover the raw body (webhooks). */
import type { Request } from 'restify';

export class BodyTooLarge extends Error {}

/** Reads the request's bytes up to `max`; anything larger is refused without buffering the rest. */
export async function readRawBody(req: Request, max: number): Promise<Buffer> {
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
