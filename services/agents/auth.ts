/**
 * Console and API authentication. Browsers sign in and get an http-only, SameSite=Strict session cookie
 * (the store keeps only its hash) plus a synchronizer CSRF token that every state-changing request must
 * echo in `x-csrf-token`. Integrations use `Authorization: Bearer <api token>` (no cookie, so no CSRF).
 * `requireRole(...)` is the one guard every console/API route uses: 401 when nobody is signed in,
 * 403 when the role is too low, and the handler never runs in either case.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Next, Request, Response } from 'restify';
import type { Clock } from '../clock';
import { HOUR } from '../clock';
import type { Collection, Document } from '../store/types';
import { type AgentAccounts, type AgentProfile, type Role, roleRank } from './accounts';
import type { LoginThrottle } from './loginThrottle';

export const SESSION_COOKIE = 'sc_agent';
export const CSRF_HEADER = 'x-csrf-token';

export interface AgentSession extends Document {
  agentId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface ApiToken extends Document {
  agentId: string;
  label: string;
  createdAt: Date;
  revokedAt?: Date;
}

export interface Principal {
  agent: AgentProfile;
  via: 'session' | 'token';
  csrfToken?: string;
  /** Which session or token this is (its stored hash): open live feeds are closed when it ends. */
  credentialId?: string;
  /** Sessions only: after this the live feed stops, like every other request would. */
  expiresAt?: Date;
}

/** An integration token as supervisors see it: never the secret, a short id to revoke it by. */
export interface ApiTokenSummary {
  id: string;
  label: string;
  agentId: string;
  createdAt: Date;
  revokedAt?: Date;
}

export interface AgentAuthOptions {
  accounts: AgentAccounts;
  sessions: Collection<AgentSession>;
  tokens: Collection<ApiToken>;
  throttle: LoginThrottle;
  clock: Clock;
  sessionTtlHours: number;
  /** Set the cookie's Secure flag (the console is served over https). */
  secureCookies: boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class AgentAuth {
  private readonly principals = new WeakMap<Request, Principal>();
  /** Open live feeds (SSE) by credential and by agent, so sign-out, revocation and disabling end them at once. */
  private readonly streams = new Map<string, Set<() => void>>();

  constructor(private readonly options: AgentAuthOptions) {}

  static indexes(sessions: Collection<Document>, tokens: Collection<Document>): Promise<void>[] {
    return [sessions.createIndex({ fields: { expiresAt: 1 } }), tokens.createIndex({ fields: { agentId: 1 } })];
  }

  /** Signs in; returns the Set-Cookie value and CSRF token, or why not. Five failures lock the e-mail for 15 minutes. */
  async login(email: string, password: string): Promise<{ agent: AgentProfile; cookie: string; csrfToken: string } | { refused: 'invalid' | 'locked' }> {
    if (await this.options.throttle.isLocked(email)) return { refused: 'locked' };
    const agent = await this.options.accounts.authenticate(email, password);
    if (!agent) {
      await this.options.throttle.failed(email);
      return { refused: 'invalid' };
    }
    await this.options.throttle.clear(email);
    await this.options.accounts.recordSignIn(agent._id);
    const token = newSecret();
    const csrfToken = newSecret();
    const createdAt = this.options.clock.now();
    const expiresAt = new Date(createdAt.getTime() + this.options.sessionTtlHours * HOUR);
    await this.options.sessions.insertOne({ _id: sha256(token), agentId: agent._id, csrfToken, createdAt, expiresAt });
    return { agent, cookie: this.cookie(token, this.options.sessionTtlHours * 3600), csrfToken };
  }

  async logout(req: Request): Promise<string> {
    const token = cookieOf(req, SESSION_COOKIE);
    if (token) {
      await this.options.sessions.deleteOne({ _id: sha256(token) });
      this.endStreams(`cred:${sha256(token)}`);
    }
    return this.cookie('', 0);
  }

  /**
   * Registers an open live feed; `close` runs when its session ends (sign-out, expiry seen by `stillValid`),
   * its token is revoked, or its agent is disabled. Returns the unregister function.
   */
  trackStream(principal: Principal, close: () => void): () => void {
    const keys = [`agent:${principal.agent._id}`, ...(principal.credentialId ? [`cred:${principal.credentialId}`] : [])];
    for (const key of keys) (this.streams.get(key) ?? this.streams.set(key, new Set()).get(key)!).add(close);
    return () => {
      for (const key of keys) {
        const set = this.streams.get(key);
        set?.delete(close);
        if (set?.size === 0) this.streams.delete(key);
      }
    };
  }

  /** False once the session has expired (checked before every live event, without a store read). */
  stillValid(principal: Principal): boolean {
    return !principal.expiresAt || principal.expiresAt.getTime() > this.options.clock.now().getTime();
  }

  /** Re-reads the credential from the store (another instance may have signed it out or disabled the agent). */
  async stillSignedIn(principal: Principal): Promise<boolean> {
    if (!this.stillValid(principal) || !principal.credentialId) return this.stillValid(principal);
    const agent = await this.options.accounts.get(principal.agent._id);
    if (!agent) return false;
    if (principal.via === 'token') return (await this.options.tokens.findOne({ _id: principal.credentialId, revokedAt: { $exists: false } })) !== null;
    return (await this.options.sessions.findOne({ _id: principal.credentialId, expiresAt: { $gt: this.options.clock.now() } })) !== null;
  }

  /**
   * Offboarding and password resets: the agent's sessions go (all, or all but `keep`, the one changing its own
   * password), and their open live feeds close. Tokens stop working on disabling because the account is disabled.
   */
  async endAgentSessions(agentId: string, keep?: string): Promise<void> {
    await this.options.sessions.deleteMany(keep ? { agentId, _id: { $ne: keep } } : { agentId });
    if (!keep) return this.endStreams(`agent:${agentId}`);
    const kept = this.streams.get(`cred:${keep}`);
    for (const close of [...(this.streams.get(`agent:${agentId}`) ?? [])]) if (!kept?.has(close)) close();
  }

  /** A role change: open live feeds close so they reconnect with the new role (sessions read the role on every request). */
  endAgentStreams(agentId: string): void {
    this.endStreams(`agent:${agentId}`);
  }

  /** After a supervisor's reset, the address's sign-in lockout ends too. */
  clearLockout(email: string): Promise<void> {
    return this.options.throttle.clear(email);
  }

  /** Is this address locked out after repeated failures (the own-password change counts wrong current passwords too)? */
  isLockedOut(email: string): Promise<boolean> {
    return this.options.throttle.isLocked(email);
  }

  recordFailure(email: string): Promise<void> {
    return this.options.throttle.failed(email);
  }

  async listApiTokens(): Promise<ApiTokenSummary[]> {
    const tokens = await this.options.tokens.find({}, { sort: { createdAt: 1 } });
    return tokens.map((token) => ({ id: token._id.slice(0, 12), label: token.label, agentId: token.agentId, createdAt: token.createdAt, ...(token.revokedAt && { revokedAt: token.revokedAt }) }));
  }

  /** Revokes by the short id `createApiToken` returned; null when no such token. Revoking twice keeps the first time. */
  async revokeApiToken(shortId: string): Promise<ApiTokenSummary | null> {
    if (!/^[0-9a-f]{12}$/.test(shortId)) return null;
    const token = (await this.options.tokens.find({})).find((candidate) => candidate._id.startsWith(shortId));
    if (!token) return null;
    const revokedAt = token.revokedAt ?? this.options.clock.now();
    if (!token.revokedAt) await this.options.tokens.updateOne({ _id: token._id }, { $set: { revokedAt } });
    this.endStreams(`cred:${token._id}`);
    return { id: shortId, label: token.label, agentId: token.agentId, createdAt: token.createdAt, revokedAt };
  }

  private endStreams(key: string): void {
    for (const close of [...(this.streams.get(key) ?? [])]) close();
    this.streams.delete(key);
  }

  /** Who is calling, from the bearer token or the session cookie; null when neither is valid. */
  async authenticate(req: Request): Promise<Principal | null> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    if (bearer) {
      const token = await this.options.tokens.findOne({ _id: sha256(bearer), revokedAt: { $exists: false } });
      const agent = token && (await this.options.accounts.get(token.agentId));
      return agent && token ? { agent, via: 'token', credentialId: token._id } : null;
    }
    const cookie = cookieOf(req, SESSION_COOKIE);
    if (!cookie) return null;
    const session = await this.options.sessions.findOne({ _id: sha256(cookie), expiresAt: { $gt: this.options.clock.now() } });
    const agent = session && (await this.options.accounts.get(session.agentId));
    return agent && session ? { agent, via: 'session', csrfToken: session.csrfToken, credentialId: session._id, expiresAt: new Date(session.expiresAt) } : null;
  }

  async purgeExpiredSessions(): Promise<number> {
    return this.options.sessions.deleteMany({ expiresAt: { $lt: this.options.clock.now() } });
  }

  /** A long-lived token for an integration; acts with its owner's role. Only the hash is stored. */
  async createApiToken(agentId: string, label: string): Promise<{ id: string; token: string }> {
    const token = `sct_${newSecret()}`;
    const id = sha256(token);
    await this.options.tokens.insertOne({ _id: id, agentId, label: label.slice(0, 80), createdAt: this.options.clock.now() });
    return { id: id.slice(0, 12), token };
  }

  /**
   * The route guard: `server.post(path, auth.requireRole('supervisor'), handler)`. Checks, in order:
   * signed in (401), CSRF on state-changing cookie requests (403), role at least `min` (403).
   */
  requireRole(min: Role, { beforeOwnPassword = false }: { beforeOwnPassword?: boolean } = {}) {
    return (req: Request, res: Response, next: Next): void => {
      this.check(req, min, beforeOwnPassword)
        .then((failure) => {
          if (!failure) return next();
          res.send(failure.status, { error: failure.code, message: failure.message });
          return next(false);
        })
        .catch((error: unknown) => next(error as Error));
    };
  }

  /** The caller, once `requireRole` let the request through. */
  principal(req: Request): Principal {
    const principal = this.principals.get(req);
    if (!principal) throw new Error('principal() called on a route without requireRole()');
    return principal;
  }

  private async check(req: Request, min: Role, beforeOwnPassword: boolean): Promise<{ status: number; code: string; message: string } | null> {
    const principal = await this.authenticate(req);
    if (!principal) return { status: 401, code: 'UNAUTHENTICATED', message: 'Sign in, or send a valid API token.' };
    if (principal.via === 'session' && !SAFE_METHODS.has(req.method ?? 'GET')) {
      const sent = req.header(CSRF_HEADER) ?? '';
      if (!principal.csrfToken || !sameSecret(sent, principal.csrfToken)) {
        return { status: 403, code: 'CSRF_REJECTED', message: `State-changing requests must carry the ${CSRF_HEADER} header.` };
      }
    }
    // Integration tokens are credentials of their own; a console session waits until its owner chose their password.
    if (principal.via === 'session' && principal.agent.mustChangePassword && !beforeOwnPassword) {
      return { status: 403, code: 'PASSWORD_CHANGE_REQUIRED', message: 'Choose your own password first: the one you signed in with was set by someone else.' };
    }
    if (roleRank(principal.agent.role) < roleRank(min)) {
      return { status: 403, code: 'FORBIDDEN', message: `This needs the ${min} role or higher.` };
    }
    this.principals.set(req, principal);
    return null;
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${this.options.secureCookies ? '; Secure' : ''}`;
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [key = '', ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || undefined;
  }
  return undefined;
}

/** Links shown in the console's navigation; other areas (reports) add theirs with the role they need. */
export interface ConsoleNavLink {
  href: string;
  label: string;
  minRole: Role;
}

export class ConsoleNav {
  private readonly links: ConsoleNavLink[] = [{ href: '/agent', label: 'Conversations', minRole: 'agent' }];

  add(link: ConsoleNavLink): void {
    if (!this.links.some((existing) => existing.href === link.href)) this.links.push(link);
  }

  for(role: Role): Array<Pick<ConsoleNavLink, 'href' | 'label'>> {
    return this.links.filter((link) => roleRank(role) >= roleRank(link.minRole)).map(({ href, label }) => ({ href, label }));
  }
}
