/**
 * Accounts on the team page: offboarding (disable or re-enable an account, list and revoke integration tokens),
 * a supervisor resetting a colleague's forgotten password or changing their role, and anyone changing their own
 * password. Every change goes to the account audit (never the password itself).
 */
import { type AgentProfile, generatePassword, type Role, ROLES, roleRank } from '../agents/accounts';
import type { Principal } from '../agents/auth';
import { DomainError } from '../errors';
import type { AgentApiDeps, ApiRoute } from './agentRoutes';
import { NotFound, StatusError } from './apiErrors';

export function accountRoutes(deps: AgentApiDeps): ApiRoute[] {
  /** The account a supervisor may change: it exists (404), is not their own (403), and is not above them (403). */
  const changeable = async (principal: Principal, id: string, what: string, ownRefusal = `You cannot change your own ${what} here`) => {
    const target = await deps.accounts.find(id);
    if (!target) throw new NotFound('AGENT_NOT_FOUND', 'There is no account with that id');
    if (target._id === principal.agent._id) throw new DomainError('FORBIDDEN', ownRefusal);
    if (roleRank(target.role) > roleRank(principal.agent.role)) throw new DomainError('FORBIDDEN', `Only an ${target.role} can change a ${target.role}'s ${what}`);
    return target;
  };

  const setDisabled = async (principal: Principal, id: string, disabled: boolean) => {
    await changeable(principal, id, 'account', 'You cannot disable your own account');
    const agent = await deps.accounts.setDisabled(id, disabled);
    if (disabled) {
      await deps.auth.endAgentSessions(id);
      await deps.takeover.releaseHoldsOf(id);
    }
    // Account changes are not about a ticket: they go to the account audit and the log (ids only, no e-mail), not a ticket's chain.
    await deps.accountEvents.record(disabled ? 'agent.disabled' : 'agent.enabled', id, principal.agent);
    deps.logger.info({ by: principal.agent._id, agentId: id, action: disabled ? 'agent.disabled' : 'agent.enabled' }, 'agent account changed');
    return { agent: { ...agent, disabled } };
  };

  return [
    {
      method: 'get', path: '/api/agent/accounts', role: 'supervisor', summary: 'Every account, disabled ones too, with last sign-in and how many conversations each holds (the team page)',
      run: async () => {
        const [accounts, held] = await Promise.all([deps.accounts.listAll(), deps.queue.records.find({ state: 'held' })]);
        const holding = new Map<string, number>();
        for (const record of held) if (record.holder) holding.set(record.holder.id, (holding.get(record.holder.id) ?? 0) + 1);
        return { accounts: accounts.map((account) => ({ ...account, holding: holding.get(account._id) ?? 0 })) };
      },
    },
    {
      method: 'post', path: '/api/agent/agents/:id/disable', role: 'supervisor', summary: 'Disable an account (offboarding): no sign-in, sessions and live feeds end, tokens stop working',
      run: ({ principal, params }) => setDisabled(principal, params.id, true),
    },
    {
      method: 'post', path: '/api/agent/agents/:id/enable', role: 'supervisor', summary: 'Re-enable a disabled account',
      run: ({ principal, params }) => setDisabled(principal, params.id, false),
    },
    { method: 'get', path: '/api/agent/tokens', role: 'supervisor', summary: 'Integration tokens (labels and short ids, never the secret)', run: async () => ({ tokens: await deps.auth.listApiTokens() }) },
    {
      method: 'post', path: '/api/agent/tokens/:id/revoke', role: 'supervisor', summary: 'Revoke an integration token by its short id (it stops working at once)',
      run: async ({ params }) => {
        const token = await deps.auth.revokeApiToken(params.id);
        if (!token) throw new NotFound('TOKEN_NOT_FOUND', 'There is no token with that id');
        return { token };
      },
    },
    {
      method: 'post', path: '/api/agent/agents/:id/password', role: 'supervisor',
      summary: 'Reset a forgotten password: returns a new generated one (shown once), signs the agent out everywhere and lifts their sign-in lockout',
      run: async ({ principal, params }) => {
        const target = await changeable(principal, params.id, 'password');
        const password = generatePassword();
        await deps.accounts.setPassword(target._id, password, { temporary: true });
        await deps.auth.endAgentSessions(target._id);
        await deps.auth.clearLockout(target.email);
        await deps.accountEvents.record('agent.password_reset', target._id, principal.agent);
        deps.logger.info({ by: principal.agent._id, agentId: target._id, action: 'agent.password_reset' }, 'agent account changed');
        return { agent: publicProfile(target), password };
      },
    },
    {
      method: 'post', path: '/api/agent/agents/:id/role', role: 'supervisor',
      summary: 'Change an agent\'s role (never your own, never above your own or of someone above you); their open sessions get it at once',
      body: { role: { type: 'string', enum: ROLES, required: true } },
      run: async ({ principal, params, body }) => {
        const role = body.role as Role;
        const target = await changeable(principal, params.id, 'role');
        if (roleRank(role) > roleRank(principal.agent.role)) throw new DomainError('FORBIDDEN', `You cannot give a role above your own (${principal.agent.role})`);
        if (target.role === role) return { agent: publicProfile(target), changed: false };
        const before = await deps.accounts.setRole(target._id, role);
        if (!before) throw new NotFound('AGENT_NOT_FOUND', 'There is no account with that id');
        // Requests read the role from the store each time; live feeds hold it, so they reconnect with the new one.
        deps.auth.endAgentStreams(target._id);
        await deps.accountEvents.record('agent.role_changed', target._id, principal.agent, { before: before.role, after: role });
        deps.logger.info({ by: principal.agent._id, agentId: target._id, action: 'agent.role_changed', before: before.role, after: role }, 'agent account changed');
        return { agent: { ...publicProfile(target), role }, changed: true };
      },
    },
    {
      method: 'get', path: '/api/agent/agents/:id/events', role: 'supervisor', summary: 'An account\'s audit: created, disabled, re-enabled, password reset or changed, role changed (who and when)',
      run: async ({ params }) => {
        if (!(await deps.accounts.find(params.id))) throw new NotFound('AGENT_NOT_FOUND', 'There is no account with that id');
        return { events: await deps.accountEvents.forAgent(params.id) };
      },
    },
    {
      method: 'post', path: '/api/agent/me/password', role: 'agent', beforeOwnPassword: true,
      summary: 'Change your own password (send the current one); your other sessions end. Required first after a supervisor set or reset it',
      body: { currentPassword: { type: 'string', required: true, maxLength: 200, verbatim: true }, newPassword: { type: 'string', required: true, maxLength: 200, verbatim: true } },
      run: async ({ principal, body }) => {
        // An integration token must not become a way to take over its owner's console sign-in.
        if (principal.via !== 'session') throw new DomainError('FORBIDDEN', 'Sign in to the console to change your password');
        const { _id, email } = principal.agent;
        if (await deps.auth.isLockedOut(email)) throw new StatusError(429, 'LOCKED', 'Too many failed attempts; try again in 15 minutes.');
        if (!(await deps.accounts.passwordMatches(_id, String(body.currentPassword)))) {
          // Wrong guesses count like failed sign-ins, so a borrowed session cannot try passwords forever.
          await deps.auth.recordFailure(email);
          throw new DomainError('FORBIDDEN', 'The current password is not right');
        }
        // The one a supervisor handed over must really be replaced; re-using it would keep a password someone else knows.
        if (body.newPassword === body.currentPassword) throw new DomainError('VALIDATION_FAILED', 'Choose a new password, not the current one');
        await deps.accounts.setPassword(_id, String(body.newPassword));
        await deps.auth.endAgentSessions(_id, principal.credentialId);
        await deps.accountEvents.record('agent.password_changed', _id, principal.agent);
        return { ok: true };
      },
    },
  ];
}

const publicProfile = (account: AgentProfile): AgentProfile => ({ _id: account._id, email: account.email, name: account.name, role: account.role });
