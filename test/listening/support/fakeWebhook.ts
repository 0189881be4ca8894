/** A loopback incoming-webhook receiver (Slack/Teams) that records every call and can fail the first ones. */
import { createServer, type Server } from 'node:http';

export class FakeWebhook {
  readonly calls: Array<{ body: unknown; alertId?: string }> = [];
  failFirst = 0;
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
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
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as { port: number }).port}/hook`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
