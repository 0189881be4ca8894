/** Uptime monitors and load balancers often probe with HEAD: the probes and pages answer it as they answer GET, without a body. */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { healthRoutes } from '../../services/http/healthRoutes';
import { createHttpServer } from '../../services/http/server';
import { silentLogger } from '../../services/log';
import { startTestApp } from '../support/testApp';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A HEAD request read off the wire: status, headers, and every byte that came after them. */
function head(url: string): Promise<{ status: number; headers: Record<string, unknown>; bodyBytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'HEAD' }, (res) => {
      let bodyBytes = 0;
      res.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bodyBytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HEAD on probes and pages', () => {
  it.each(['/healthz', '/readyz'])('HEAD %s answers with the status of GET and no body', async (path) => {
    app = await startTestApp();
    const answer = await head(`${app.url}${path}`);
    expect(answer.status).toBe((await fetch(`${app.url}${path}`)).status);
    expect(answer.status).toBe(200);
    expect(answer.bodyBytes).toBe(0);
  });

  it('HEAD /readyz answers 503 like GET once shutdown has started', async () => {
    const server = createHttpServer(silentLogger);
    let draining = false;
    healthRoutes(async () => undefined, () => draining)(server.server);
    const port = await server.listen(0, '127.0.0.1');
    draining = true;
    const answer = await head(`http://127.0.0.1:${port}/readyz`);
    expect(answer).toMatchObject({ status: 503, bodyBytes: 0 });
    await server.close(0);
  });

  it.each(['/', '/agent', '/agent/', '/agent/team', '/agent/reports', '/agent/privacy', '/agent/reports.js'])(
    'HEAD %s answers with the status and content type of GET and no body',
    async (path) => {
      app = await startTestApp({ LOCAL_TRY_IT: 'true', LOCAL_DIRECTLINE_PORT: '0' });
      const got = await fetch(`${app.url}${path}`);
      await got.arrayBuffer();
      expect(got.status).toBe(200);

      const answer = await head(`${app.url}${path}`);
      expect(answer.status).toBe(got.status);
      expect(answer.headers['content-type']).toBe(got.headers.get('content-type'));
      expect(answer.bodyBytes).toBe(0);
    },
  );

  it('HEAD on a console file that does not exist answers 404 like GET', async () => {
    app = await startTestApp();
    expect((await head(`${app.url}/agent/nosuch.js`)).status).toBe(404);
  });
});
