/** A loopback incoming-webhook receiver (Slack/Teams) that records every call and can fail the first ones. */
import { type LoopbackHttp, serveOnLoopback } from '../../support/loopbackHttp';

export class FakeWebhook {
  readonly calls: Array<{ body: unknown; alertId?: string }> = [];
  failFirst = 0;
  private server?: LoopbackHttp;
  url = '';

  async start(): Promise<this> {
    this.server = await serveOnLoopback((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        this.calls.push({ body, alertId: req.headers['x-alert-id'] as string | undefined });
        if (this.failFirst > 0) {
          this.failFirst--;
          res.writeHead(500).end('try again');
        } else res.writeHead(200).end('ok');
      });
    });
    this.url = `${this.server.url}/hook`;
    return this;
  }

  stop(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }
}
