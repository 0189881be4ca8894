/**
 * A loopback fake of the SMS provider's REST API (Twilio's shape): records every request as received, checks
 * Basic auth, answers from a script (status, Twilio error code, delay) and otherwise 201 with a message `sid`.
 * Like a provider that honours idempotency keys, a repeated key after a success is answered with the same
 * message and not handed on a second time; `delivered` is what would reach phones. `GET …/Messages.json?To=`
 * lists a number's messages, newest first, as Twilio does.
 */
import { randomBytes } from 'node:crypto';
import { serveOnLoopback } from '../support/loopbackHttp';

export interface SmsRequest {
  method: string;
  path: string;
  authorization?: string;
  contentType?: string;
  idempotencyKey?: string;
  form: Record<string, string>;
}

export interface SmsReply {
  status: number;
  /** Twilio error code in the body of a 4xx (21211 = invalid 'To' number). */
  code?: number;
  /** Answer this late (the request was received and will be delivered if the status is 2xx). */
  delayMs?: number;
  /** Take the message (it reaches the phone) although the answer is an error: a server failing after the work was done. */
  createdAnyway?: boolean;
}

export interface FakeSmsProvider {
  baseUrl: string;
  env: Record<string, string>;
  requests: SmsRequest[];
  delivered: Array<{ sid: string; to: string; from?: string; body: string; createdAt: Date }>;
  /** Replies for the next requests, in order; when empty, 201 with a sid. */
  script: SmsReply[];
  stop(): Promise<void>;
}

export const SMS_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const SMS_AUTH_TOKEN = 'sms-token-for-tests';
export const SMS_FROM = '+15005550006';

export async function startFakeSmsProvider(): Promise<FakeSmsProvider> {
  const requests: SmsRequest[] = [];
  const delivered: FakeSmsProvider['delivered'] = [];
  const script: SmsReply[] = [];
  const sidByKey = new Map<string, string>();
  const expectedAuth = `Basic ${Buffer.from(`${SMS_ACCOUNT_SID}:${SMS_AUTH_TOKEN}`).toString('base64')}`;

  const server = await serveOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const request: SmsRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        ...(req.headers.authorization && { authorization: req.headers.authorization }),
        ...(req.headers['content-type'] && { contentType: req.headers['content-type'] }),
        ...(typeof req.headers['idempotency-key'] === 'string' && { idempotencyKey: req.headers['idempotency-key'] }),
        form: Object.fromEntries(new URLSearchParams(raw)),
      };
      requests.push(request);
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      // Scripted answers are for sends; lookups always answer.
      const reply = (request.method === 'POST' && script.shift()) || { status: 201 };
      const messagesPath = `/2010-04-01/Accounts/${SMS_ACCOUNT_SID}/Messages.json`;
      const deliver = () => {
        const sid = `SM${randomBytes(16).toString('hex')}`;
        delivered.push({ sid, to: request.form.To, ...(request.form.From && { from: request.form.From }), body: request.form.Body, createdAt: new Date() });
        return sid;
      };
      const respond = () => {
        if (request.authorization !== expectedAuth) return answer(401, { code: 20003, message: 'Authenticate', status: 401 });
        if (request.method === 'GET' && request.path.startsWith(`${messagesPath}?`)) {
          const to = new URLSearchParams(request.path.slice(messagesPath.length + 1)).get('To');
          const messages = delivered.filter((message) => message.to === to).reverse().map((message) => ({ sid: message.sid, to: message.to, body: message.body, date_created: message.createdAt.toUTCString() }));
          return answer(200, { messages });
        }
        if (request.method !== 'POST' || request.path !== messagesPath) return answer(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
        if (reply.status >= 300) {
          if (reply.createdAnyway) deliver();
          return answer(reply.status, { code: reply.code ?? reply.status, message: `scripted ${reply.status}`, status: reply.status });
        }
        const known = request.idempotencyKey ? sidByKey.get(request.idempotencyKey) : undefined;
        const sid = known ?? deliver();
        if (!known && request.idempotencyKey) sidByKey.set(request.idempotencyKey, sid);
        answer(known ? 200 : reply.status, { sid, account_sid: SMS_ACCOUNT_SID, to: request.form.To, from: request.form.From, body: request.form.Body, status: 'queued' });
      };
      if (reply.delayMs) setTimeout(respond, reply.delayMs);
      else respond();
    });
  });
  const baseUrl = server.url;
  return {
    baseUrl,
    env: { SMS_API_BASE_URL: baseUrl, SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM },
    requests,
    delivered,
    script,
    stop: () => server.close(),
  };
}
