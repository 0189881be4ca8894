/**
 * The append-only audit trail: who did what, when, before → after. Events are hash-chained per ticket
 * for tamper evidence. The chain covers a digest of the event's content rather than the content itself,
 * so erasing personal data (replacing content, keeping the digest) leaves the chain verifiable.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Collection } from '../store/types';
import { isDuplicateKey } from '../store/types';
import type { Clock } from '../clock';
import type { Actor, AuditEvent } from './types';

export interface AuditRecord extends AuditEvent {
  contentHash: string;
  /** Set when personal data was removed from before/after/note; the content no longer matches contentHash. */
  erased?: boolean;
  /** Customer actors: the chain covers sha256(actorSalt + ':' + actor.id), so erasure can drop the id (and salt) and still verify. */
  actorDigest?: string;
  actorSalt?: string;
}

export interface NewAuditEvent {
  actor: Actor;
  action: string;
  before?: unknown;
  after?: unknown;
  note?: string;
}

const GENESIS = '0'.repeat(64);

/** JSON with sorted keys and ISO dates, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function contentHashOf(event: Pick<AuditEvent, 'before' | 'after' | 'note'>): string {
  return sha256(canonicalJson({ before: event.before, after: event.after, note: event.note }));
}

function chainHash(event: Omit<AuditRecord, '_id' | 'hash' | 'erased' | 'before' | 'after' | 'note' | 'actorSalt'>): string {
  const { ticketRef, seq, at, actor, action, contentHash, prevHash, actorDigest } = event;
  const chainedActor = actorDigest ? { kind: actor.kind, digest: actorDigest } : { kind: actor.kind, id: actor.id };
  return sha256(prevHash + canonicalJson({ ticketRef, seq, at, actor: chainedActor, action, contentHash }));
}

const actorDigestOf = (salt: string, id: string): string => sha256(`${salt}:${id}`);

export class AuditTrail {
  constructor(
    private readonly events: Collection<AuditRecord>,
    private readonly clock: Clock,
  ) {}

  static indexes(events: Collection<AuditRecord>): Promise<void>[] {
    return [
      events.createIndex({ fields: { ticketRef: 1, seq: 1 }, unique: true }),
      // The embedded engine uses a compound index only for equality on every field; this one serves "last event of a ticket".
      events.createIndex({ fields: { ticketRef: 1 } }),
      events.createIndex({ fields: { at: 1 } }),
    ];
  }

  /** Appends one event at the end of the ticket's chain; concurrent writers retry on the unique (ticketRef, seq). */
  async append(ticketRef: string, event: NewAuditEvent): Promise<AuditRecord> {
    for (let attempt = 0; ; attempt++) {
      const [last] = await this.events.find({ ticketRef }, { sort: { seq: -1 }, limit: 1 });
      const actorSalt = event.actor.kind === 'customer' ? randomBytes(16).toString('hex') : undefined;
      const base = {
        ticketRef,
        seq: (last?.seq ?? 0) + 1,
        at: this.clock.now(),
        actor: event.actor,
        action: event.action,
        contentHash: contentHashOf(event),
        prevHash: last?.hash ?? GENESIS,
        ...(actorSalt && { actorDigest: actorDigestOf(actorSalt, event.actor.id) }),
      };
      const record: AuditRecord = {
        _id: `${ticketRef}:${base.seq}`,
        ...base,
        ...(actorSalt && { actorSalt }),
        ...(event.before !== undefined && { before: event.before }),
        ...(event.after !== undefined && { after: event.after }),
        ...(event.note !== undefined && { note: event.note }),
        hash: chainHash(base),
      };
      try {
        return await this.events.insertOne(record);
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 20) throw error;
      }
    }
  }

  list(ticketRef: string): Promise<AuditRecord[]> {
    return this.events.find({ ticketRef }, { sort: { seq: 1 } });
  }
}

export interface ChainVerdict {
  intact: boolean;
  events: number;
  /** The first event that does not verify, and why. */
  brokenAt?: { seq: number; reason: string };
}

/** Checks sequence, links, hashes and (where not erased) that content matches its digest. */
export function verifyChain(events: AuditRecord[]): ChainVerdict {
  let prevHash = GENESIS;
  for (const [index, event] of events.entries()) {
    const fail = (reason: string): ChainVerdict => ({ intact: false, events: events.length, brokenAt: { seq: event.seq, reason } });
    if (event.seq !== index + 1) return fail(`expected event ${index + 1}, found ${event.seq}`);
    if (event.prevHash !== prevHash) return fail('does not link to the previous event');
    if (!event.erased && contentHashOf(event) !== event.contentHash) return fail('content was changed after it was recorded');
    if (event.actorDigest && !event.erased && actorDigestOf(event.actorSalt ?? '', event.actor.id) !== event.actorDigest) return fail('actor was changed after it was recorded');
    if (chainHash(event) !== event.hash) return fail('event fields were changed after they were recorded');
    prevHash = event.hash;
  }
  return { intact: true, events: events.length };
}
