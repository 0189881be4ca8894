/**
 * What a browser and an attacker see of every answer: security headers on staff pages, the try-it page and
 * JSON answers, page policies that allow no inline script, and 500s that never carry the error's own words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { createHttpServer } from '../../services/http/server';
import { silentLogger } from '../../services/log';
import { signedIn, type AgentClient } from '../agents/agentClient';
import { startTestApp } from '../support/testApp';

let app: App;
let supervisor: AgentClient;
beforeAll(async () => {
  app = await startTestApp({ LOCAL_TRY_IT: 'true', LOCAL_DIRECTLINE_PORT: '0' });
  supervisor = await signedIn(app, 'supervisor');
});
afterAll(async () => app?.close());

function expectBaseHeaders(response: Response, label: string): void {
  expect(response.headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(response.headers.get('referrer-policy'), label).toBe('no-referrer');
  expect(response.headers.get('x-frame-options'), label).toBe('DENY');
  expect(response.headers.get('content-security-policy'), label).toContain("frame-ancestors 'none'");
}

describe('security headers', () => {
  it('every staff page sends a policy with scripts from this server only, nothing inline, never framed', async () => {
    for (const page of ['/agent', '/agent/', '/agent/team', '/agent/privacy', '/agent/reports', '/agent/console.js']) {
      const response = await fetch(`${app.url}${page}`);
      expect(response.status, page).toBe(200);
      expectBaseHeaders(response, page);
      const policy = response.headers.get('content-security-policy')!;
      expect(policy, page).toContain("script-src 'self'");
      expect(policy, page).not.toContain('unsafe-inline');
      expect(policy, page).not.toContain('unsafe-eval');
    }
  });

  it('JSON answers, refusals and unknown paths carry nosniff, no referrer, no framing, no caching and a policy that loads nothing', async () => {
    const answers: Array<[string, Response]> = [
      ['healthz', await fetch(`${app.url}/healthz`)],
      ['me (401)', await fetch(`${app.url}/api/agent/me`)],
      ['me', await supervisor.request('GET', '/api/agent/me')],
      ['openapi', await fetch(`${app.url}/api/openapi.json`)],
      ['unknown', await fetch(`${app.url}/nothing-here`)],
    ];
    answers.push(['privacy requests', await supervisor.request('GET', '/api/privacy/requests')], ['report', await supervisor.request('GET', '/api/reports/summary')], ['alerts', await supervisor.request('GET', '/api/listening/alerts')]);
    for (const [label, response] of answers) {
      expectBaseHeaders(response, label);
      // Personal data in JSON answers is never kept by a shared proxy or the browser's cache.
      expect(response.headers.get('cache-control'), label).toMatch(/^no-store(, no-store)*$/);
      expect(response.headers.get('content-security-policy'), label).toContain("default-src 'none'");
    }
  });

  it('the try-it page runs no inline script and its policy allows scripts from this server only', async () => {
    const response = await fetch(app.url);
    const html = await response.text();
    expectBaseHeaders(response, 'try-it');
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain(new URL(app.localDirectLine!.url).origin);
    // Every <script> has a src: an inline one would be blocked by the policy (and would be an injection point).
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
    expect((await fetch(`${app.url}/try-it.js`)).status).toBe(200);
  });

  it('the printable audit export runs no script at all', async () => {
    const ticket = await app.tickets.open(
      { customer: { channelId: 'webchat', userId: 'u-1', name: '<img src=x onerror=alert(1)>' }, source: 'web', description: '<script>alert(1)</script>' },
      { kind: 'system', id: 'test' },
    );
    const response = await supervisor.request('GET', `/api/tickets/${ticket.ref}/export?format=html`);
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toMatch(/script-src/);
    const html = await response.text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
  });
});

describe('errors', () => {
  it('a 500 answers a fixed message, never the error text (paths, queries, personal data)', async () => {
    const http = createHttpServer(silentLogger);
    http.server.get('/thrown', async () => {
      throw new Error('E11000 duplicate key: { contact.email: "priya@example.com" } at /srv/app/store.ts:12');
    });
    http.server.get('/passed', (_req, _res, next) => next(new Error('connect ECONNREFUSED mongodb://admin:hunter2@db:27017')));
    http.server.get('/not-an-error', async () => {
      throw 'priya@example.com'; // eslint-disable-line no-throw-literal
    });
    const port = await http.listen(0, '127.0.0.1');
    try {
      for (const path of ['/thrown', '/passed', '/not-an-error']) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(response.status, path).toBe(500);
        const text = await response.text();
        expect(text, path).not.toMatch(/priya|hunter2|store\.ts|E11000|ECONNREFUSED|Error/);
        expect(JSON.parse(text), path).toEqual({ code: 'Internal', message: expect.any(String) });
        expectBaseHeaders(response, path);
      }
      // Client mistakes keep restify's own clear answers.
      expect((await fetch(`http://127.0.0.1:${port}/missing`)).status).toBe(404);
    } finally {
      await http.close(100);
    }
  });
});
