import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentAccount } from '../../services/agents/accounts';
import { customerAsksForAPerson, type Kit, startKit } from '../handoff/handoffTestKit';
import { AgentClient, PASSWORD, signedIn } from './agentClient';

interface OpenApi {
  paths: Record<string, Record<string, { 'x-min-role'?: string; security?: unknown[] }>>;
}

const ROLE_RANK: Record<string, number> = { agent: 0, supervisor: 1, executive: 2 };

describe('the agent API guards every route', () => {
  let kit: Kit;
  let ref: string;

  beforeEach(async () => {
    kit = await startKit();
    ({ ref } = await customerAsksForAPerson(kit));
  });
  afterEach(() => kit.close());

  async function routeTable(): Promise<Array<{ method: string; path: string; role: string }>> {
    const doc = (await (await fetch(`${kit.app.url}/api/openapi.json`)).json()) as OpenApi;
    return Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op['x-min-role'])
        .map(([method, op]) => ({ method: method.toUpperCase(), path: path.replace('{ref}', ref), role: op['x-min-role']! })),
    );
  }

  async function snapshot() {
    const ticket = await kit.app.tickets.require(ref);
    return {
      version: ticket.version,
      audit: (await kit.app.tickets.audit.list(ref)).length,
      agents: await kit.app.agents.accounts.count(),
      handoff: (await kit.app.agents.queue.get(ref))?.state,
      sent: kit.channel.received.length,
    };
  }

  const sampleBody = { force: true, text: 'hello', clientMessageId: 'c1', status: 'resolved', priority: 'urgent', reason: 'because', visibility: 'public', tier: 'executive', agentId: 'agt_x', email: 'x@example.com', name: 'X', role: 'agent', password: PASSWORD, label: 'crm' };

  it('covers every route in the OpenAPI document, each with a role', async () => {
    const table = await routeTable();
    expect(table.length).toBeGreaterThanOrEqual(17);
    expect(table.filter((route) => route.role === 'supervisor').map((route) => route.path)).toEqual(
      expect.arrayContaining([`/api/agent/tickets/${ref}/assign`, '/api/agent/agents', '/api/agent/tokens']),
    );
    // Reports, listening, exports and privacy are in the same document, so the checks below cover them too.
    expect(table.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining(['GET /api/reports/summary', 'POST /api/listening/crisis', `GET /api/tickets/${ref}/export`, 'POST /api/privacy/erase', 'GET /api/privacy/requests']),
    );
  });

  it('answers 401 to every route without a session or token, and changes nothing', async () => {
    const before = await snapshot();
    const anonymous = new AgentClient(kit.app.url);
    for (const route of await routeTable()) {
      const response = await anonymous.request(route.method, route.path, route.method === 'GET' ? undefined : sampleBody);
      expect({ ...route, status: response.status }).toEqual({ ...route, status: 401 });
      await response.body?.cancel();
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers 403 to every route above the caller’s role, and changes nothing', async () => {
    const agent = await signedIn(kit.app, 'agent', 'Asha Patel');
    const before = await snapshot();
    const above = (await routeTable()).filter((route) => ROLE_RANK[route.role] > ROLE_RANK.agent);
    expect(above.length).toBeGreaterThan(0);
    for (const route of above) {
      const response = await agent.request(route.method, route.path, route.method === 'GET' ? undefined : sampleBody);
      expect({ ...route, status: response.status }).toEqual({ ...route, status: 403 });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('rejects state-changing requests without the CSRF token, and changes nothing', async () => {
    const agent = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const before = await snapshot();
    for (const route of (await routeTable()).filter((r) => r.method === 'POST')) {
      for (const csrf of [undefined, 'not-the-token']) {
        const response = await fetch(`${kit.app.url}${route.path}`, {
          method: 'POST',
          headers: { cookie: agent.cookie, 'content-type': 'application/json', ...(csrf && { 'x-csrf-token': csrf }) },
          body: JSON.stringify(sampleBody),
        });
        expect({ ...route, status: response.status, body: await response.json() }).toMatchObject({ ...route, status: 403, body: { error: 'CSRF_REJECTED' } });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets an integration act with an API token (no cookie, no CSRF) and refuses a made-up one', async () => {
    const supervisor = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const { token } = await supervisor.json<{ token: string }>('POST', '/api/agent/tokens', { label: 'CRM sync' });
    const withToken = (t: string) => fetch(`${kit.app.url}/api/agent/tickets/${ref}/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      body: JSON.stringify({ visibility: 'internal', text: 'Synced from CRM' }),
    });
    expect((await withToken(token)).status).toBe(200);
    expect((await withToken(`${token}x`)).status).toBe(401);
    expect(await kit.app.tickets.audit.list(ref)).toContainEqual(expect.objectContaining({ action: 'ticket.note_internal', actor: expect.objectContaining({ id: supervisor.agentId }) }));
  });

  it('signs in with an http-only SameSite cookie, signs out, and keeps only a scrypt hash of the password', async () => {
    await kit.app.agents.accounts.create({ email: 'Asha@Example.com', name: 'Asha Patel', role: 'agent', password: PASSWORD });
    const client = new AgentClient(kit.app.url);
    const response = await client.login('asha@example.com');
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(response.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
    expect((await client.request('GET', '/api/agent/me')).status).toBe(200);
    expect((await client.request('POST', '/api/agent/logout')).status).toBe(200);
    expect((await client.request('GET', '/api/agent/me')).status).toBe(401);

    const stored = await kit.app.db.collection<AgentAccount>('agentAccounts').findOne({ email: 'asha@example.com' });
    expect(stored?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored?.passwordHash).not.toContain(PASSWORD);
  });

  it('refuses a wrong password, and locks the e-mail after five failures', async () => {
    await kit.app.agents.accounts.create({ email: 'ben@example.com', name: 'Ben Okafor', role: 'agent', password: PASSWORD });
    const client = new AgentClient(kit.app.url);
    for (let i = 0; i < 5; i++) expect((await client.login('ben@example.com', 'wrong password!')).status).toBe(401);
    expect((await client.login('ben@example.com')).status).toBe(429);
    expect((await client.login('nobody@example.com', 'whatever123456')).status).toBe(401);
  });

  it('rejects bad input with a clear 400 and leaves the ticket as it was', async () => {
    const agent = await signedIn(kit.app, 'agent', 'Asha Patel');
    const before = await snapshot();
    const bad = await agent.request('POST', `/api/agent/tickets/${ref}/status`, { status: 'teleported' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'VALIDATION_FAILED', message: expect.stringContaining('status must be one of') });
    expect((await agent.request('GET', '/api/agent/tickets/CS-ZZZZZZ')).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('serves the console at /agent with a strict content security policy', async () => {
    const page = await fetch(`${kit.app.url}/agent`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/agent/console.js');
    expect((await fetch(`${kit.app.url}/agent/..%2Fpackage.json`)).status).toBe(404);
  });
});

describe('local-mode bootstrap', () => {
  it('creates the first supervisor from AGENT_BOOTSTRAP_EMAIL only when no account exists', async () => {
    const kit = await startKit({ AGENT_BOOTSTRAP_EMAIL: 'lead@example.com', AGENT_BOOTSTRAP_PASSWORD: 'first-supervisor-pass' });
    try {
      const client = new AgentClient(kit.app.url);
      expect((await client.login('lead@example.com', 'first-supervisor-pass')).status).toBe(200);
      expect((await client.json<{ agent: { role: string } }>('GET', '/api/agent/me')).agent.role).toBe('supervisor');
      expect(await kit.app.agents.accounts.bootstrap('lead@example.com', 'another-password-1')).toBeNull();
    } finally {
      await kit.close();
    }
  });
});
