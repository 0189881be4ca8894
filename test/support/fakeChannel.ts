/**
 * A loopback fake of the Bot Framework channel (the Connector service): it sends activities to the
 * bot's /api/messages over real HTTP, with its own address as serviceUrl, and records every activity
 * the bot posts back (replies and proactive messages), as Azure Bot Service or the Emulator would.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { type LoopbackHttp, serveOnLoopback } from './loopbackHttp';

export interface BotActivity {
  type: string;
  text?: string;
  conversation?: { id: string };
  replyToId?: string;
  suggestedActions?: { actions: Array<{ title?: string; value?: unknown }> };
  [key: string]: unknown;
}

export interface FakeChannelOptions {
  channelId?: string;
  /** Answer the bot's next posts with this status (e.g. 403 for a blocked conversation). */
}

export class FakeChannel {
  readonly received: BotActivity[] = [];
  private server?: LoopbackHttp;
  private waiters: Array<() => void> = [];
  /** Per conversation: a status to answer the bot's posts with instead of 200 (403 = blocked, 500 = outage). */
  readonly failWith = new Map<string, number>();
  /** How long the channel takes to acknowledge each post from the bot (a slow channel keeps turns in flight). */
  replyDelayMs = 0;
  /** Posts from the bot counted as they arrive, before any delay: a retry of a slow one would count twice. */
  attempts = 0;
  botUrl = '';
  url = '';

  constructor(readonly channelId = 'emulator') {}

  async start(botUrl: string): Promise<this> {
    this.botUrl = botUrl;
    this.server = await serveOnLoopback((req, res) => void this.handle(req, res));
    this.url = this.server.url;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** A customer in one conversation. */
  user(userId = `user-${randomUUID().slice(0, 8)}`, name = 'Priya Raman', conversationId = `conv-${randomUUID().slice(0, 8)}`): FakeUser {
    return new FakeUser(this, userId, name, conversationId);
  }

  /** Posts an activity to the bot; returns the HTTP status and body. */
  async post(activity: Record<string, unknown>): Promise<{ status: number; body: string }> {
    const response = await fetch(this.botUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    return { status: response.status, body: await response.text() };
  }

  messagesFor(conversationId: string): BotActivity[] {
    return this.received.filter((activity) => activity.conversation?.id === conversationId && activity.type === 'message');
  }

  /** Waits until `predicate` holds over what was received (bounded, so a broken bot fails the test instead of hanging). */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('fake channel: timed out waiting for the bot');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    if (!match) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const conversationId = decodeURIComponent(match[1]);
    this.attempts++;
    // Unref'd: a post still held when the test ends must not keep the process alive.
    if (this.replyDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.replyDelayMs).unref());
    const failure = this.failWith.get(conversationId);
    if (failure) {
      res.statusCode = failure;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: { code: 'Failed', message: 'fake channel refused' } }));
      return;
    }
    if (req.method === 'POST' || req.method === 'PUT') {
      const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as BotActivity;
      activity.conversation ??= { id: conversationId };
      this.received.push(activity);
      for (const wake of this.waiters.splice(0)) wake();
    }
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: randomUUID() }));
  }
}

export class FakeUser {
  private sent = 0;

  constructor(
    readonly channel: FakeChannel,
    readonly userId: string,
    readonly name: string,
    readonly conversationId: string,
  ) {}

  activity(fields: Record<string, unknown>): Record<string, unknown> {
    this.sent++;
    return {
      type: 'message',
      id: `${this.conversationId}-${this.sent}-${randomUUID().slice(0, 6)}`,
      timestamp: new Date().toISOString(),
      channelId: this.channel.channelId,
      serviceUrl: this.channel.url,
      from: { id: this.userId, name: this.name },
      recipient: { id: 'bot', name: 'Acme' },
      conversation: { id: this.conversationId },
      locale: 'en-US',
      ...fields,
    };
  }

  /** Sends text and waits until the bot has answered with at least one new message; returns the new messages. */
  async says(text: string, extra: Record<string, unknown> = {}): Promise<string[]> {
    return this.sendAndCollect(this.activity({ text, ...extra }));
  }

  async sendAndCollect(activity: Record<string, unknown>): Promise<string[]> {
    const before = this.channel.messagesFor(this.conversationId).length;
    const { status, body } = await this.channel.post(activity);
    if (status >= 300) throw new Error(`bot answered ${status}: ${body}`);
    // The bot replies within the same HTTP exchange; everything it sent has arrived when post() returns.
    return this.channel.messagesFor(this.conversationId).slice(before).map((message) => message.text ?? '');
  }

  /** Every message the bot has sent in this conversation. */
  transcript(): string[] {
    return this.channel.messagesFor(this.conversationId).map((message) => message.text ?? '');
  }
}
