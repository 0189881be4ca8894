/**
 * Behind a load balancer (Azure App Service, Application Gateway) that keeps connections alive: the bot keeps
 * idle connections longer than the balancer does, and while shutting down it says it is not ready and closes
 * each connection after its answer, so no new work lands on an instance that is going away.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { healthRoutes } from '../../services/http/healthRoutes';
import { createHttpServer } from '../../services/http/server';
import { silentLogger } from '../../services/log';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp } from '../support/testApp';

let app: App | undefined;
let channel: FakeChannel | undefined;
afterEach(async () => {
  await channel?.stop();
  await app?.close();
  app = channel = undefined;
});

function request(url: string, agent: http.Agent, body?: unknown): Promise<{ status: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

describe('draining at shutdown', () => {
  it('idle keep-alive connections outlive a 4-minute load-balancer idle timeout, and the headers timeout is longer still (within the request timeout)', () => {
    const { server } = createHttpServer(silentLogger).server;
    expect(server.keepAliveTimeout).toBeGreaterThan(240_000);
    // Headers of a request on a reused connection get longer than the idle wait, and no more than the whole request.
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
  });

  it('a turn in flight when shutdown starts still finishes, and its answer closes the kept-alive connection', async () => {
    app = await startTestApp({ SHUTDOWN_GRACE_MS: '10000' });
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
    channel.replyDelayMs = 1000; // a slow channel keeps the turn in flight while the bot shuts down
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect(await request(`${app.url}/healthz`, agent)).toEqual({ status: 200, connection: 'keep-alive' });

    const priya = channel.user();
    const turn = request(`${app.url}/api/messages`, agent, priya.activity({ text: 'hi' }));
    await channel.waitFor(() => channel!.attempts > 0);
    const closing = app.close();

    expect(await turn).toEqual({ status: 200, connection: 'close' });
    expect(channel.messagesFor(priya.conversationId).map((reply) => reply.text).join('\n')).toMatch(/automated assistant/);
    await closing;
    agent.destroy();
  });

  it('/readyz answers 503 once shutdown has started, so the load balancer sends no new work', async () => {
    const http = createHttpServer(silentLogger);
    let draining = false;
    healthRoutes(async () => undefined, () => draining)(http.server);
    const port = await http.listen(0, '127.0.0.1');
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    draining = true;
    const answer = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({ status: 'unavailable', reason: 'shutting down' });
    await http.close(0);
  });
});
