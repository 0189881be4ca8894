/**
 * Agent accounts: who may sign in to the console, with which role. Passwords are kept only as
 * scrypt hashes (node:crypto) with a per-account salt and the cost parameters stored alongside.
 */
import { randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Clock } from '../clock';
import { DomainError } from '../errors';
import type { Collection, Document } from '../store/types';
import { isDuplicateKey } from '../store/types';
import type { AgentRef, SupportTier } from '../tickets/types';

export const ROLES = ['agent', 'supervisor', 'executive'] as const satisfies readonly SupportTier[];
export type Role = (typeof ROLES)[number];

export function roleRank(role: Role | SupportTier): number {
  return ROLES.indexOf(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface AgentAccount extends Document {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  disabled?: boolean;
  createdAt: Date;
  /** Set on each successful sign-in, for the supervisors' team list. */
  lastSignInAt?: Date;
  /**
   * The password was handed over by someone else (a supervisor's add or reset, a generated one from the CLI): the
   * console asks its owner to choose their own before anything else, since another person has seen this one.
   */
  mustChangePassword?: boolean;
}

/** What the console and API show of an account: never the hash. */
export type AgentProfile = Pick<AgentAccount, '_id' | 'email' | 'name' | 'role' | 'mustChangePassword'>;

/** One row of the supervisors' team list: disabled accounts included, never the hash. */
export type AccountSummary = AgentProfile & Pick<AgentAccount, 'createdAt' | 'lastSignInAt'> & { disabled: boolean };

export const MIN_PASSWORD_LENGTH = 12;
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** "scrypt$N$r$p$salt$hash" (base64): the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash computed once so unknown e-mails cost as much time as wrong passwords (no account probing by timing). */
let decoyHash: Promise<string> | undefined;

export function profileOf(account: AgentAccount): AgentProfile {
  return { _id: account._id, email: account.email, name: account.name, role: account.role, ...(account.mustChangePassword && { mustChangePassword: true }) };
}

export function agentRefOf(profile: Pick<AgentProfile, '_id' | 'name'>): AgentRef {
  return { id: profile._id, name: profile.name };
}

export interface NewAgent {
  email: string;
  name: string;
  role: Role;
  password: string;
  /** Someone other than its owner chose or saw it: to be replaced at the first sign-in. */
  temporary?: boolean;
}

export class AgentAccounts {
  constructor(
    private readonly accounts: Collection<AgentAccount>,
    private readonly clock: Clock,
  ) {}

  static indexes(accounts: Collection<AgentAccount>): Promise<void>[] {
    return [accounts.createIndex({ fields: { email: 1 }, unique: true })];
  }

  async create(input: NewAgent): Promise<AgentProfile> {
    const email = normaliseEmail(input.email);
    const name = input.name.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new DomainError('VALIDATION_FAILED', 'The e-mail address is not valid');
    if (!name || name.length > 80) throw new DomainError('VALIDATION_FAILED', 'The name must be 1-80 characters');
    if (!isRole(input.role)) throw new DomainError('VALIDATION_FAILED', `The role must be one of ${ROLES.join(', ')}`);
    checkPasswordLength(input.password);
    const account: AgentAccount = {
      _id: `agt_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      email,
      name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      createdAt: this.clock.now(),
      ...(input.temporary && { mustChangePassword: true }),
    };
    try {
      await this.accounts.insertOne(account);
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainError('VALIDATION_FAILED', 'An account with this e-mail address already exists', { cause: error });
      throw error;
    }
    return profileOf(account);
  }

  /** The account when the password matches; null otherwise, taking about the same time either way. */
  async authenticate(email: string, password: string): Promise<AgentProfile | null> {
    const account = await this.accounts.findOne({ email: normaliseEmail(email) });
    if (!account || account.disabled) {
      await verifyPassword(password, await (decoyHash ??= hashPassword(randomUUID())));
      return null;
    }
    return (await verifyPassword(password, account.passwordHash)) ? profileOf(account) : null;
  }

  async get(id: string): Promise<AgentProfile | null> {
    const account = await this.accounts.findOne({ _id: id });
    return account && !account.disabled ? profileOf(account) : null;
  }

  async list(): Promise<AgentProfile[]> {
    return (await this.accounts.find({ disabled: { $ne: true } }, { sort: { name: 1 } })).map(profileOf);
  }

  /** Every account, disabled ones too (the team page; transfers use `list`). */
  async listAll(): Promise<AccountSummary[]> {
    const accounts = await this.accounts.find({}, { sort: { name: 1 } });
    return accounts.map((account) => ({
      ...profileOf(account),
      disabled: account.disabled === true,
      createdAt: account.createdAt,
      ...(account.lastSignInAt && { lastSignInAt: account.lastSignInAt }),
    }));
  }

  async recordSignIn(id: string): Promise<void> {
    await this.accounts.updateOne({ _id: id }, { $set: { lastSignInAt: this.clock.now() } });
  }

  /** Offboarding: a disabled account cannot sign in and is left out of transfers; its history stays. */
  async setDisabled(id: string, disabled: boolean): Promise<AgentProfile | null> {
    const account = await this.accounts.findOneAndUpdate({ _id: id }, disabled ? { $set: { disabled: true } } : { $unset: { disabled: '' } });
    return account && profileOf(account);
  }

  /**
   * A supervisor's reset (`temporary`: its owner must replace it) or the agent's own change; the old password stops
   * working at once. Null when no such account.
   */
  async setPassword(id: string, password: string, { temporary = false } = {}): Promise<AgentProfile | null> {
    checkPasswordLength(password);
    const passwordHash = await hashPassword(password);
    const update = temporary ? { $set: { passwordHash, mustChangePassword: true } } : { $set: { passwordHash }, $unset: { mustChangePassword: '' } };
    const account = await this.accounts.findOneAndUpdate({ _id: id }, update);
    return account && profileOf(account);
  }

  /** True when `password` is this account's current one (the own-password change asks for it). */
  async passwordMatches(id: string, password: string): Promise<boolean> {
    const account = await this.accounts.findOne({ _id: id });
    return account ? verifyPassword(password, account.passwordHash) : false;
  }

  /** Sets the role; returns the account as it was before (null when there is none), so callers can audit before → after. */
  async setRole(id: string, role: Role): Promise<(AgentProfile & { disabled: boolean }) | null> {
    if (!isRole(role)) throw new DomainError('VALIDATION_FAILED', `The role must be one of ${ROLES.join(', ')}`);
    const before = await this.accounts.findOneAndUpdate({ _id: id }, { $set: { role } }, { returnDocument: 'before' });
    return before && { ...profileOf(before), disabled: before.disabled === true };
  }

  /** Any account, disabled or not (for the supervisors' offboarding view). */
  async find(id: string): Promise<(AgentProfile & { disabled: boolean }) | null> {
    const account = await this.accounts.findOne({ _id: id });
    return account && { ...profileOf(account), disabled: account.disabled === true };
  }

  async count(): Promise<number> {
    return this.accounts.countDocuments({});
  }

  /** Local mode's first account: created only when there is none, so restarting never resets a password. */
  async bootstrap(email: string, password: string): Promise<AgentProfile | null> {
    if ((await this.count()) > 0) return null;
    return this.create({ email, password, name: email.split('@')[0], role: 'supervisor' });
  }
}

function checkPasswordLength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new DomainError('VALIDATION_FAILED', `The password must be at least ${MIN_PASSWORD_LENGTH} characters`);
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789-_';

/** 16 characters without look-alikes (0/O, 1/l/I), drawn without modulo bias: what a supervisor's reset hands over. */
export function generatePassword(length = 16): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(32)) {
      if (byte < 256 - (256 % PASSWORD_ALPHABET.length) && out.length < length) out += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length];
    }
  }
  return out;
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
