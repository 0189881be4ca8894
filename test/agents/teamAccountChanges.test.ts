/** Supervisors reset a colleague's forgotten password and change roles; agents change their own password. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_EVENTS_COLLECTION } from '../../services/agents/accountEvents';
import { type Kit, startKit } from '../handoff/handoffTestKit';
import { AgentClient, openFeed, PASSWORD, signedIn } from './agentClient';

interface Me {
  agent: { _id: string; role: string };
  nav: Array<{ href: string; label: string }>;
}

let kit: Kit;
beforeEach(async () => {
  kit = await startKit();
});
afterEach(() => kit.close());

const status = async (client: AgentClient, path: string, body: unknown = {}) => (await client.request('POST', path, body)).status;
const auditOf = async (agentId: string) => JSON.stringify(await kit.app.db.collection(ACCOUNT_EVENTS_COLLECTION).find({ agentId }));

describe('POST /api/agent/agents/:id/password', () => {
  it('when a supervisor resets a password, then the old one stops working, the new one (returned once) works and the agent’s session gets 401', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const feed = await openFeed(asha);

    const answer = await sam.json<{ password: string; agent: { _id: string } }>('POST', `/api/agent/agents/${asha.agentId}/password`, {});
    expect(answer.agent._id).toBe(asha.agentId);
    expect(answer.password.length).toBeGreaterThanOrEqual(16);
    expect(answer.password).not.toBe(PASSWORD);

    expect((await asha.request('GET', '/api/agent/me')).status).toBe(401);
    await feed.ended();
    expect((await new AgentClient(kit.app.url).login('asha.patel@example.com', PASSWORD)).status).toBe(401);
    const again = new AgentClient(kit.app.url);
    expect((await again.login('asha.patel@example.com', answer.password)).status).toBe(200);
    expect((await again.request('GET', '/api/agent/me')).status).toBe(200);
    // The supervisor's own session is untouched.
    expect((await sam.request('GET', '/api/agent/me')).status).toBe(200);
  });

  it('when the address is locked out after five wrong passwords, then a reset lifts the lockout', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const guesser = new AgentClient(kit.app.url);
    for (let i = 0; i < 5; i++) await guesser.login('asha.patel@example.com', `wrong guess ${i}`);
    expect((await guesser.login('asha.patel@example.com', PASSWORD)).status).toBe(429);

    const { password } = await sam.json<{ password: string }>('POST', `/api/agent/agents/${asha.agentId}/password`, {});
    expect((await new AgentClient(kit.app.url).login('asha.patel@example.com', password)).status).toBe(200);
  });

  it('refuses yourself and anyone above you with 403, an unknown id with 404, agents with 403, and records each reset without the password', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const ben = await signedIn(kit.app, 'agent', 'Ben Okafor');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const tia = await signedIn(kit.app, 'supervisor', 'Tia Park');
    const eve = await signedIn(kit.app, 'executive', 'Eve Stone');

    expect(await status(sam, `/api/agent/agents/${sam.agentId}/password`)).toBe(403);
    expect(await status(sam, `/api/agent/agents/${eve.agentId}/password`)).toBe(403);
    expect(await status(sam, '/api/agent/agents/agt_nobody/password')).toBe(404);
    expect(await status(asha, `/api/agent/agents/${ben.agentId}/password`)).toBe(403);
    expect(await status(eve, `/api/agent/agents/${eve.agentId}/password`)).toBe(403);
    // The refused ones left everyone's password alone.
    for (const email of ['sam.lee@example.com', 'eve.stone@example.com', 'ben.okafor@example.com']) {
      expect((await new AgentClient(kit.app.url).login(email, PASSWORD)).status).toBe(200);
    }

    const { password } = await sam.json<{ password: string }>('POST', `/api/agent/agents/${tia.agentId}/password`, {});
    await eve.json('POST', `/api/agent/agents/${sam.agentId}/password`, {});
    const audit = await auditOf(tia.agentId);
    expect(JSON.parse(audit)).toEqual([expect.objectContaining({ action: 'agent.password_reset', agentId: tia.agentId, by: { id: sam.agentId, name: 'Sam Lee' }, at: '2026-03-02T10:00:00.000Z' })]);
    expect(audit).not.toContain(password);
    expect(audit).not.toMatch(/scrypt|passwordHash|password"|@example/);
    // Supervisors read it through the API as well.
    const { events } = await eve.json<{ events: Array<{ action: string }> }>('GET', `/api/agent/agents/${sam.agentId}/events`);
    expect(events.map((event) => event.action)).toEqual(['agent.password_reset']);
    expect((await eve.request('GET', '/api/agent/agents/agt_nobody/events')).status).toBe(404);
  });
});

describe('POST /api/agent/agents/:id/role', () => {
  it('when a supervisor promotes an agent, then the agent’s open session has the new role at once, sees the Team link, and can use supervisor routes', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    expect((await asha.json<Me>('GET', '/api/agent/me')).nav.map((link) => link.label)).not.toContain('Team');
    expect((await asha.request('GET', '/api/agent/accounts')).status).toBe(403);
    const feed = await openFeed(asha);

    const answer = await sam.json<{ agent: { role: string }; changed: boolean }>('POST', `/api/agent/agents/${asha.agentId}/role`, { role: 'supervisor' });
    expect(answer).toMatchObject({ agent: { role: 'supervisor' }, changed: true });

    const me = await asha.json<Me>('GET', '/api/agent/me');
    expect(me.agent.role).toBe('supervisor');
    expect(me.nav.map((link) => link.label)).toContain('Team');
    expect((await asha.request('GET', '/api/agent/accounts')).status).toBe(200);
    // The live feed, which holds the role it started with, is closed so the console reconnects with the new one.
    await feed.ended();

    // And back: the session loses the supervisor routes at once.
    await sam.json('POST', `/api/agent/agents/${asha.agentId}/role`, { role: 'agent' });
    expect((await asha.request('GET', '/api/agent/accounts')).status).toBe(403);
    expect((await asha.json<Me>('GET', '/api/agent/me')).nav.map((link) => link.label)).not.toContain('Team');

    const audit = JSON.parse(await auditOf(asha.agentId)) as Array<Record<string, unknown>>;
    expect(audit).toHaveLength(2);
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'agent.role_changed', by: { id: sam.agentId, name: 'Sam Lee' }, before: { role: 'agent' }, after: { role: 'supervisor' } }),
        expect.objectContaining({ action: 'agent.role_changed', before: { role: 'supervisor' }, after: { role: 'agent' } }),
      ]),
    );
  });

  it('refuses a bad role with 400, an unknown id with 404, yourself, someone above you and a role above your own with 403', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const ben = await signedIn(kit.app, 'agent', 'Ben Okafor');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const eve = await signedIn(kit.app, 'executive', 'Eve Stone');
    const role = (id: string) => `/api/agent/agents/${id}/role`;

    expect(await status(sam, role(asha.agentId), { role: 'admin' })).toBe(400);
    expect(await status(sam, role(asha.agentId), {})).toBe(400);
    expect(await status(sam, role('agt_nobody'), { role: 'agent' })).toBe(404);
    expect(await status(sam, role(sam.agentId), { role: 'agent' })).toBe(403);
    expect(await status(sam, role(eve.agentId), { role: 'supervisor' })).toBe(403);
    expect(await status(sam, role(asha.agentId), { role: 'executive' })).toBe(403);
    expect(await status(asha, role(ben.agentId), { role: 'supervisor' })).toBe(403);
    expect(await status(eve, role(eve.agentId), { role: 'supervisor' })).toBe(403);
    const roles = Object.fromEntries((await eve.json<{ accounts: Array<{ name: string; role: string }> }>('GET', '/api/agent/accounts')).accounts.map((a) => [a.name, a.role]));
    expect(roles).toEqual({ 'Asha Patel': 'agent', 'Ben Okafor': 'agent', 'Eve Stone': 'executive', 'Sam Lee': 'supervisor' });
    expect(await auditOf(asha.agentId)).toBe('[]');

    // An executive may give the executive role.
    expect(await status(eve, role(sam.agentId), { role: 'executive' })).toBe(200);
    expect((await sam.json<Me>('GET', '/api/agent/me')).agent.role).toBe('executive');
  });

  it('both routes are in /api/openapi.json for supervisors, with the role body', async () => {
    const doc = (await (await fetch(`${kit.app.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(doc.paths['/api/agent/agents/{id}/password']!.post!['x-min-role']).toBe('supervisor');
    const rolePath = doc.paths['/api/agent/agents/{id}/role']!.post!;
    expect(rolePath['x-min-role']).toBe('supervisor');
    expect(JSON.stringify(rolePath.requestBody)).toContain('"enum":["agent","supervisor","executive"]');
    expect(doc.paths['/api/agent/me/password']!.post!['x-min-role']).toBe('agent');
  });
});

describe('the account audit', () => {
  it('records creating, disabling and re-enabling an account with who did it, and no e-mail or password', async () => {
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const { agent } = await sam.json<{ agent: { _id: string } }>('POST', '/api/agent/agents', { email: 'new@example.com', name: 'Nia New', role: 'agent', password: PASSWORD });
    await sam.json('POST', `/api/agent/agents/${agent._id}/disable`, {});
    await sam.json('POST', `/api/agent/agents/${agent._id}/enable`, {});
    const { events } = await sam.json<{ events: Array<{ action: string; by: { name: string } }> }>('GET', `/api/agent/agents/${agent._id}/events`);
    expect(events.map((event) => event.action).sort()).toEqual(['agent.created', 'agent.disabled', 'agent.enabled']);
    expect(events.every((event) => event.by.name === 'Sam Lee')).toBe(true);
    expect(JSON.stringify(events)).not.toMatch(/new@example|correct horse/);
  });
});

describe('POST /api/agent/me/password', () => {
  it('when an agent sends the right current password, then the new one works, their other sessions end and this one stays', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const elsewhere = new AgentClient(kit.app.url);
    await elsewhere.login('asha.patel@example.com');
    const fresh = 'a brand new passphrase';

    expect(await status(asha, '/api/agent/me/password', { currentPassword: 'not it at all', newPassword: fresh })).toBe(403);
    expect(await status(asha, '/api/agent/me/password', { currentPassword: PASSWORD, newPassword: 'short' })).toBe(400);
    expect(await status(asha, '/api/agent/me/password', { currentPassword: PASSWORD, newPassword: fresh })).toBe(200);

    expect((await asha.request('GET', '/api/agent/me')).status).toBe(200);
    expect((await elsewhere.request('GET', '/api/agent/me')).status).toBe(401);
    expect((await new AgentClient(kit.app.url).login('asha.patel@example.com', PASSWORD)).status).toBe(401);
    expect((await new AgentClient(kit.app.url).login('asha.patel@example.com', fresh)).status).toBe(200);
    const audit = await auditOf(asha.agentId);
    expect(audit).toContain('agent.password_changed');
    expect(audit).not.toContain(fresh);
  });

  it('wrong current passwords count towards the sign-in lockout, and an API token cannot change the password', async () => {
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    for (let i = 0; i < 5; i++) await status(asha, '/api/agent/me/password', { currentPassword: `guess ${i}`, newPassword: 'whatever long enough' });
    expect(await status(asha, '/api/agent/me/password', { currentPassword: PASSWORD, newPassword: 'whatever long enough' })).toBe(429);

    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const { token } = await sam.json<{ token: string }>('POST', '/api/agent/tokens', { label: 'CRM' });
    const viaToken = await fetch(`${kit.app.url}/api/agent/me/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'taken over by a token' }),
    });
    expect(viaToken.status).toBe(403);
    expect((await new AgentClient(kit.app.url).login('sam.lee@example.com', PASSWORD)).status).toBe(200);
  });
});

describe('a password someone else handed over', () => {
  const reportsPath = '/api/reports/summary';
  it('when a supervisor adds an account, then its owner can only see who they are, sign out or choose their own password, and after choosing everything opens', async () => {
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const handedOver = 'handed over by Sam 1';
    await sam.json('POST', '/api/agent/agents', { email: 'ben@example.com', name: 'Ben Okafor', role: 'supervisor', password: handedOver });
    const ben = new AgentClient(kit.app.url);
    const signIn = await ben.login('ben@example.com', handedOver);
    expect(((await signIn.json()) as { agent: { mustChangePassword?: boolean } }).agent.mustChangePassword).toBe(true);

    expect((await ben.json<Me & { agent: { mustChangePassword?: boolean } }>('GET', '/api/agent/me')).agent.mustChangePassword).toBe(true);
    for (const path of ['/api/agent/queue', '/api/agent/events', '/api/agent/accounts', reportsPath]) {
      const refused = await ben.request('GET', path);
      expect({ path, status: refused.status, body: await refused.json() }).toMatchObject({ path, status: 403, body: { error: 'PASSWORD_CHANGE_REQUIRED' } });
    }
    expect((await sam.json<{ accounts: Array<{ email: string; mustChangePassword?: boolean }> }>('GET', '/api/agent/accounts')).accounts.find((account) => account.email === 'ben@example.com')?.mustChangePassword).toBe(true);

    // Keeping the handed-over one is not choosing.
    expect(await status(ben, '/api/agent/me/password', { currentPassword: handedOver, newPassword: handedOver })).toBe(400);
    expect(await status(ben, '/api/agent/me/password', { currentPassword: handedOver, newPassword: 'only Ben knows this one' })).toBe(200);

    expect((await ben.json<Me & { agent: { mustChangePassword?: boolean } }>('GET', '/api/agent/me')).agent.mustChangePassword).toBeUndefined();
    for (const path of ['/api/agent/queue', '/api/agent/accounts', reportsPath]) expect({ path, status: (await ben.request('GET', path)).status }).toEqual({ path, status: 200 });
    expect((await new AgentClient(kit.app.url).login('ben@example.com', handedOver)).status).toBe(401);
  });

  it("when a supervisor resets a password, then its owner must choose again, while their integration tokens keep working; accounts made by the operator's store set-up are not asked", async () => {
    const eve = await signedIn(kit.app, 'executive', 'Eve Stone');
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    expect((await sam.request('GET', '/api/agent/queue')).status).toBe(200);
    const { token } = await sam.json<{ token: string }>('POST', '/api/agent/tokens', { label: 'CRM' });

    const { password } = await eve.json<{ password: string }>('POST', `/api/agent/agents/${sam.agentId}/password`, {});
    const samAgain = new AgentClient(kit.app.url);
    await samAgain.login('sam.lee@example.com', password);
    expect((await samAgain.request('GET', '/api/agent/queue')).status).toBe(403);
    const viaToken = await fetch(`${kit.app.url}/api/agent/queue`, { headers: { authorization: `Bearer ${token}` } });
    expect(viaToken.status).toBe(200);
  });
});

describe('passwords are taken as typed', () => {
  it('a password with spaces at its ends, set on creation or changed by its owner, signs in exactly as typed', async () => {
    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    const spaced = '  correct horse battery staple  ';
    await sam.json('POST', '/api/agent/agents', { email: 'ben@example.com', name: 'Ben Okafor', role: 'agent', password: spaced });
    const ben = new AgentClient(kit.app.url);
    expect((await ben.login('ben@example.com', spaced)).status).toBe(200);
    expect((await new AgentClient(kit.app.url).login('ben@example.com', spaced.trim())).status).toBe(401);
    const changed = ' new passphrase with spaces ';
    expect(await status(ben, '/api/agent/me/password', { currentPassword: spaced, newPassword: changed })).toBe(200);
    expect((await new AgentClient(kit.app.url).login('ben@example.com', changed)).status).toBe(200);
  });
});
