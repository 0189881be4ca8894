/** The supervisors' account list behind the team page: every account, disabled ones too; agents are refused. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerAsksForAPerson, type Kit, startKit } from '../handoff/handoffTestKit';
import { PASSWORD, signedIn } from './agentClient';

interface Row {
  _id: string;
  name: string;
  email: string;
  role: string;
  disabled: boolean;
  createdAt: string;
  lastSignInAt?: string;
  holding: number;
  passwordHash?: unknown;
}

describe('GET /api/agent/accounts', () => {
  let kit: Kit;
  beforeEach(async () => {
    kit = await startKit();
  });
  afterEach(() => kit.close());

  it('a supervisor sees every account with role, status, last sign-in and conversations held, disabled ones included, never a password hash', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const ben = await signedIn(kit.app, 'agent', 'Ben Okafor');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    await kit.app.agents.accounts.create({ email: 'never@example.com', name: 'Nia Never', role: 'agent', password: PASSWORD });
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    kit.clock.advance(60_000);
    await sam.json('POST', `/api/agent/agents/${ben.agentId}/disable`, {});

    const { accounts } = await sam.json<{ accounts: Row[] }>('GET', '/api/agent/accounts');
    const byName = Object.fromEntries(accounts.map((row) => [row.name, row]));
    expect(accounts.map((row) => row.name)).toEqual(['Asha Patel', 'Ben Okafor', 'Nia Never', 'Sam Lee']);
    expect(byName['Asha Patel']).toMatchObject({ email: 'asha.patel@example.com', role: 'agent', disabled: false, holding: 1, lastSignInAt: '2026-03-02T10:00:00.000Z' });
    expect(byName['Ben Okafor']).toMatchObject({ disabled: true, holding: 0 });
    expect(byName['Sam Lee']).toMatchObject({ role: 'supervisor', disabled: false });
    expect(byName['Nia Never']!.lastSignInAt).toBeUndefined();
    expect(JSON.stringify(accounts)).not.toMatch(/scrypt|passwordHash/);

    // The transfer list keeps leaving disabled accounts out.
    expect((await asha.json<Array<{ name: string }>>('GET', '/api/agent/agents')).map((a) => a.name)).toEqual(['Asha Patel', 'Nia Never', 'Sam Lee']);
  });

  it('records the time of each sign-in', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    kit.clock.advance(3_600_000);
    expect((await asha.login('asha.patel@example.com')).status).toBe(200);
    const { accounts } = await sam.json<{ accounts: Row[] }>('GET', '/api/agent/accounts');
    expect(accounts.find((row) => row._id === asha.agentId)!.lastSignInAt).toBe('2026-03-02T11:00:00.000Z');
  });

  it('an agent gets 403 and nobody signed in gets 401; the route is in /api/openapi.json for supervisors', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const denied = await asha.request('GET', '/api/agent/accounts');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: 'FORBIDDEN' });
    expect((await fetch(`${kit.app.url}/api/agent/accounts`)).status).toBe(401);
    const eve = await signedIn(kit.app, 'executive', 'Eve Stone');
    expect((await eve.request('GET', '/api/agent/accounts')).status).toBe(200);
    const doc = (await (await fetch(`${kit.app.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-min-role'?: string }>> };
    expect(doc.paths['/api/agent/accounts']!.get!['x-min-role']).toBe('supervisor');
  });
});
