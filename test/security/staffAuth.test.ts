/**
 * Every staff route as /api/openapi.json lists it (the agent API table, reports, listening, privacy, accounts),
 * attacked the ways a browser or a curious agent can: no sign-in, a cross-site request without the CSRF
 * token, an agent's session against supervisor routes. Plus the session cookie's flags and fixation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { AgentClient, PASSWORD, signedIn } from '../agents/agentClient';
import { startTestApp } from '../support/testApp';

type Operation = { method: 'get' | 'post'; path: string; role: string };

let app: App;
let operations: Operation[];
beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: 'https://care.example.com' });
  const document = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-min-role': string }>> };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method as Operation['method'], path: path.replace(/\{\w+\}/g, 'CS-AAAAAA'), role: operation['x-min-role'] })),
  ).filter((operation) => operation.path !== '/api/agent/login'); // the one open door: it creates the session
});
afterAll(async () => app?.close());

describe('every staff route', () => {
  it('is listed with a role, and the list covers privacy, reports, listening and accounts', () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const operation of operations) expect(['agent', 'supervisor', 'executive'], operation.path).toContain(operation.role);
    const paths = operations.map((operation) => operation.path);
    for (const area of ['/api/privacy/erase', '/api/tickets/CS-AAAAAA/export', '/api/listening/crisis', '/api/agent/tokens', '/api/agent/agents']) expect(paths).toContain(area);
  });

  it('answers 401 to a caller who is not signed in', async () => {
    for (const { method, path } of operations) {
      const response = await fetch(`${app.url}${path}`, { method: method.toUpperCase(), headers: { 'content-type': 'application/json' }, ...(method === 'post' && { body: '{}' }) });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });

  it('refuses every state-changing request from a signed-in browser without the CSRF token (403 CSRF_REJECTED)', async () => {
    const executive = await signedIn(app, 'executive');
    for (const { path } of operations.filter((operation) => operation.method === 'post')) {
      for (const csrf of ['', 'forged-token', `${executive.csrf}x`]) {
        const response = await executive.request('POST', path, {}, { 'x-csrf-token': csrf });
        expect(response.status, `POST ${path} csrf=${csrf}`).toBe(403);
        expect(((await response.json()) as { error: string }).error).toBe('CSRF_REJECTED');
      }
    }
  });

  it("refuses an agent's session on every supervisor route (exports, erasure, reports, accounts, tokens)", async () => {
    const agent = await signedIn(app, 'agent', 'Curious Agent');
    const supervisorOnly = operations.filter((operation) => operation.role !== 'agent');
    expect(supervisorOnly.length).toBeGreaterThan(10);
    for (const { method, path } of supervisorOnly) {
      const response = await agent.request(method.toUpperCase(), path, method === 'post' ? { confirm: true, email: 'a@example.com' } : undefined);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(((await response.json()) as { error: string }).error, `${method} ${path}`).toBe('FORBIDDEN');
    }
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, Path=/ and Secure when PUBLIC_BASE_URL is https', async () => {
    await app.agents.accounts.create({ email: 'lee@example.com', name: 'Lee', role: 'agent', password: PASSWORD });
    const response = await new AgentClient(app.url).login('lee@example.com');
    const cookie = response.headers.get('set-cookie')!;
    for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure']) expect(cookie).toContain(flag);
  });

  it('is always a fresh secret: a cookie planted before sign-in is never the one signed in (no fixation)', async () => {
    await app.agents.accounts.create({ email: 'kim@example.com', name: 'Kim', role: 'agent', password: PASSWORD });
    const planted = 'sc_agent=attacker-chosen-value';
    const response = await fetch(`${app.url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: planted }, body: JSON.stringify({ email: 'kim@example.com', password: PASSWORD }) });
    expect(response.status).toBe(200);
    const issued = response.headers.get('set-cookie')!.split(';')[0];
    expect(issued).not.toBe(planted);
    expect(issued).toMatch(/^sc_agent=[A-Za-z0-9_-]{40,}$/);
    expect((await fetch(`${app.url}/api/agent/me`, { headers: { cookie: planted } })).status).toBe(401);
  });

  it('signing in answers the same for an unknown address and a wrong password (no account enumeration)', async () => {
    const attempt = (email: string) => fetch(`${app.url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'wrong password 123' }) });
    const [unknown, known] = await Promise.all([attempt('nobody@example.com'), attempt('lee@example.com')]);
    expect(unknown.status).toBe(known.status);
    expect(await unknown.json()).toEqual(await known.json());
  });
});
