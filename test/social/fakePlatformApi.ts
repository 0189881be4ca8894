/**
 * A loopback fake of a platform API (X API v2 or the Graph API): records every call (method, path,
 * headers, JSON body) and answers from a per-route script, 200 with a generated id by default.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { type LoopbackHttp, serveOnLoopback } from '../support/loopbackHttp';

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer this late (to make the caller time out). */
  delayMs?: number;
}

export class FakePlatformApi {
  readonly calls: RecordedCall[] = [];
  /** Answers queued per "METHOD /path-prefix"; each call takes the first matching one, else the default. */
  private readonly scripted: Array<{ method: string; prefix: string; answer: ScriptedAnswer }> = [];
  private server?: LoopbackHttp;
  url = '';

  constructor(private readonly defaultAnswer: (call: RecordedCall) => ScriptedAnswer = () => ({ status: 200, body: { data: { id: randomUUID() } } })) {}

  async start(): Promise<this> {
    this.server = await serveOnLoopback((req, res) => void this.handle(req, res));
    this.url = this.server.url;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  answerNext(method: string, prefix: string, answer: ScriptedAnswer): void {
    this.scripted.push({ method, prefix, answer });
  }

  callsTo(method: string, prefix: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method && call.path.startsWith(prefix));
  }

  /** Bounded wait, so a broken worker fails the test instead of hanging it. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`fake platform API: timed out; calls so far: ${JSON.stringify(this.calls.map((c) => `${c.method} ${c.path}`))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const call: RecordedCall = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
    this.calls.push(call);
    const index = this.scripted.findIndex((s) => s.method === call.method && call.path.startsWith(s.prefix));
    const answer = index >= 0 ? this.scripted.splice(index, 1)[0].answer : this.defaultAnswer(call);
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (res.destroyed) return;
    res.statusCode = answer.status;
    res.setHeader('content-type', 'application/json');
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }
}
