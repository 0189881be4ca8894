/**
 * Customers' data rights: subject access (everything held, by channel user id, e-mail or phone), erasure
 * (personal data replaced or deleted in every registered holder; anonymised audit events and counts stay,
 * the hash chain still verifies) and retention (closed tickets past the configured age). Every request is
 * itself recorded in `privacyRequests` with who asked, when and what was touched, never the personal values.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Clock } from '../clock';
import { DAY } from '../clock';
import type { ConversationEntry } from '../conversations';
import { DomainError } from '../errors';
import type { Collection, Document, Filter } from '../store/types';
import type { Ticket, TranscriptEntry } from '../tickets/types';
import type { ReplyJob, SocialPostRecord } from '../social/types';
import type { ListeningAlert } from '../listening/alertTypes';
import { alertAgedOut } from '../listening/alertPrivacy';
import { redactPersonalData } from '../recognition/contact';
import { escapeRegex } from '../store/regex';
import { ERASED, type PersonalDataRegistry, type Subject } from './registry';

export interface SubjectQuery {
  channelUserId?: string;
  /** Narrows a channel user id to one channel (ids are only unique per channel). */
  channelId?: string;
  email?: string;
  phone?: string;
}

export interface PrivacyActor {
  kind: 'agent' | 'system';
  id: string;
  name?: string;
}

export interface PrivacyRequestRecord extends Document {
  kind: 'access' | 'erasure' | 'retention';
  at: Date;
  actor: PrivacyActor;
  /** sha256 of the normalised query: proves which request it was without keeping the e-mail or phone. */
  queryDigest?: string;
  ticketRefs: string[];
  counts: Record<string, number>;
  reason?: string;
}

export const PRIVACY_REQUESTS_COLLECTION = 'privacyRequests';

export interface PrivacyDeps {
  registry: PersonalDataRegistry;
  tickets: Collection<Ticket>;
  conversations: Collection<ConversationEntry>;
  socialPosts: Collection<SocialPostRecord>;
  /** What customers typed: an e-mail or phone given in a chat that never became a ticket is found there. */
  transcripts: Collection<TranscriptEntry>;
  requests: Collection<PrivacyRequestRecord>;
  /** Listening alerts: their example posts age out with the archive. */
  alerts?: Collection<ListeningAlert>;
  /** Public reply jobs: their texts name the author, and age out with the post they answer. */
  replies?: Collection<ReplyJob>;
  clock: Clock;
  phoneRegion: string;
}

export class PrivacyService {
  constructor(private readonly deps: PrivacyDeps) {}

  static indexes(requests: Collection<PrivacyRequestRecord>): Promise<void>[] {
    return [requests.createIndex({ fields: { at: -1 } })];
  }

  normalise(query: SubjectQuery): SubjectQuery {
    const out: SubjectQuery = {};
    if (query.channelUserId?.trim()) out.channelUserId = query.channelUserId.trim();
    if (query.channelId?.trim()) out.channelId = query.channelId.trim();
    if (query.email?.trim()) {
      const email = query.email.trim().toLowerCase();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new DomainError('VALIDATION_FAILED', 'That is not an e-mail address.');
      out.email = email;
    }
    if (query.phone?.trim()) {
      const phone = parsePhoneNumberFromString(query.phone.trim(), this.deps.phoneRegion as CountryCode);
      if (!phone?.isValid()) throw new DomainError('VALIDATION_FAILED', 'That is not a valid phone number.');
      out.phone = phone.number;
    }
    if (!out.channelUserId && !out.email && !out.phone) throw new DomainError('VALIDATION_FAILED', 'Give a channel user id, an e-mail or a phone number.');
    return out;
  }

  /** Everything held about the person, holder by holder. */
  async access(query: SubjectQuery, actor: PrivacyActor): Promise<{ subject: SubjectQuery; ticketRefs: string[]; data: Record<string, unknown[]> }> {
    const normalised = this.normalise(query);
    const subject = await this.resolve(normalised);
    const data: Record<string, unknown[]> = {};
    for (const holder of this.deps.registry.all()) data[holder.name] = await holder.find(subject);
    await this.record('access', actor, subject.ticketRefs, countsOf(data), normalised);
    return { subject: normalised, ticketRefs: subject.ticketRefs, data };
  }

  async erase(query: SubjectQuery, actor: PrivacyActor, reason = 'customer request'): Promise<{ ticketRefs: string[]; counts: Record<string, number> }> {
    const normalised = this.normalise(query);
    const subject = await this.resolve(normalised);
    // The reason an operator types may quote the customer; it is kept, their data is not.
    const basis = scrubReason(reason, subject.values);
    const counts = await this.eraseSubject(subject, actor, basis);
    await this.record('erasure', actor, subject.ticketRefs, counts, normalised, basis);
    return { ticketRefs: subject.ticketRefs, counts };
  }

  /** Erases the personal data of tickets closed more than `days` ago; returns how many tickets it touched. */
  async applyRetention(days: number, batch = 200): Promise<number> {
    if (days <= 0) return 0;
    const cutoff = this.cutoff(days);
    // Most tickets end resolved and are never closed by hand: they age out from their resolution.
    const due = await this.deps.tickets.find(
      { $or: [{ status: 'closed', closedAt: { $lte: cutoff } }, { status: 'resolved', resolvedAt: { $lte: cutoff } }], erasedAt: { $exists: false } },
      { sort: { updatedAt: 1 }, limit: batch },
    );
    if (due.length === 0) return 0;
    const subject = await this.subjectOfTickets(due, 'tickets');
    const counts = await this.eraseSubject(subject, RETENTION_ACTOR, `retention: resolved or closed more than ${days} days ago`);
    await this.record('retention', RETENTION_ACTOR, subject.ticketRefs, counts, undefined, `resolved or closed before ${cutoff.toISOString()}`);
    return due.length;
  }

  /**
   * Archived public posts older than `days` that never led to a ticket (those age out with their ticket):
   * the author and text are replaced, the counts (platform, date, triage decision) stay. Returns how many.
   */
  async applyPostRetention(days: number): Promise<number> {
    if (days <= 0) return 0;
    const cutoff = this.cutoff(days);
    const pseudonym = `erased-${randomBytes(6).toString('hex')}`;
    // In pages: a viral hour leaves 100,000 posts to age out at once.
    const modifiedCount = await inPages(
      (limit) => this.deps.socialPosts.find({ receivedAt: { $lte: cutoff }, ticketRef: { $exists: false }, text: { $ne: ERASED } }, { limit }),
      1000,
      async (due) => {
        const keys = due.map((post) => post._id);
        const { modifiedCount: erased } = await this.deps.socialPosts.updateMany(
          { _id: { $in: keys } },
          { $set: { text: ERASED, author: { id: pseudonym }, 'triage.reason': ERASED, topics: { hashtags: [], products: [], subjects: [] } }, $unset: { url: '', impressions: '', language: '', othersInThread: '' } },
        );
        // Our replies to them greet the author by name, and their follow-ups too; one still waiting after all this time never goes.
        await this.deps.replies?.updateMany({ postKey: { $in: keys }, status: 'pending' }, { $set: { status: 'cancelled', lastError: 'the post aged out of the archive' } });
        await this.deps.replies?.updateMany({ postKey: { $in: keys }, status: { $ne: 'sending' } }, { $set: { text: ERASED }, $unset: { then: '', excludeUserIds: '' } });
        return erased;
      },
    );
    if (modifiedCount > 0) await this.record('retention', RETENTION_ACTOR, [], { socialPosts: modifiedCount }, undefined, `public posts without a ticket received before ${cutoff.toISOString()}`);
    return modifiedCount;
  }

  /**
   * Alerts raised more than `days` ago lose their example posts (author, handle, text, link); the topic,
   * numbers and title stay for the reports. Returns how many alerts it touched.
   */
  async applyAlertRetention(days: number, batch = 500): Promise<number> {
    const alerts = this.deps.alerts;
    if (days <= 0 || !alerts) return 0;
    const now = this.deps.clock.now();
    const cutoff = this.cutoff(days);
    const aged = await inPages(
      (limit) => alerts.find({ at: { $lte: cutoff }, examplesAgedOutAt: { $exists: false } }, { limit }),
      batch,
      async (due) => {
        for (const alert of due) await alerts.updateOne({ _id: alert._id }, { $set: { ...alertAgedOut(alert), examplesAgedOutAt: now } });
        return due.length;
      },
    );
    if (aged > 0) {
      await (alerts as Partial<{ compactDatafile(): Promise<void> }>).compactDatafile?.();
      await this.record('retention', RETENTION_ACTOR, [], { listeningAlerts: aged }, undefined, `example posts of alerts raised before ${cutoff.toISOString()}`);
    }
    return aged;
  }

  history(limit = 100): Promise<PrivacyRequestRecord[]> {
    return this.deps.requests.find({}, { sort: { at: -1 }, limit });
  }

  private async eraseSubject(subject: Subject, actor: PrivacyActor, reason: string): Promise<Record<string, number>> {
    const context = { pseudonym: `erased-${randomBytes(6).toString('hex')}`, actor, reason, at: this.deps.clock.now() };
    const counts: Record<string, number> = {};
    for (const holder of this.deps.registry.all()) counts[holder.name] = await holder.erase(subject, context);
    return counts;
  }

  /** Finds the person's tickets, then everything linked to them (conversations, posts, identities, values). */
  private async resolve(query: SubjectQuery): Promise<Subject> {
    const or: Filter[] = [];
    if (query.channelUserId) or.push({ 'customer.userId': query.channelUserId, ...(query.channelId && { 'customer.channelId': query.channelId }) });
    if (query.channelUserId) or.push({ 'publicPost.authorId': query.channelUserId });
    if (query.email) or.push({ 'contact.email': query.email });
    if (query.phone) or.push({ 'contact.phone': query.phone });
    const tickets = await this.deps.tickets.find({ $or: or });
    const subject = await this.subjectOfTickets(tickets, 'customer');
    if (query.channelUserId) {
      addUnique(subject.values, query.channelUserId);
      if (!subject.identities.some((identity) => identity.userId === query.channelUserId)) subject.identities.push({ channelId: query.channelId ?? '*', userId: query.channelUserId });
      addUnique(subject.authorIds, query.channelUserId);
      const conversations = await this.deps.conversations.find({ userId: query.channelUserId, ...(query.channelId && { channelId: query.channelId }) });
      for (const conversation of conversations) addUnique(subject.conversationIds, conversation.conversationId);
    }
    for (const value of [query.email, query.phone]) if (value) addUnique(subject.values, value);
    await this.addChatsThatMention(query, subject);
    const posts = subject.authorIds.length ? await this.deps.socialPosts.find({ 'author.id': { $in: subject.authorIds } }) : [];
    for (const post of posts) {
      addUnique(subject.postKeys, post._id);
      for (const value of [post.author.handle, post.author.name]) if (value) addUnique(subject.values, value);
    }
    return subject;
  }

  /**
   * Conversations where the customer typed this e-mail or phone, ticket or not (they gave it and left).
   * A scan of what customers wrote, with no index to use: privacy requests are rare, and must be complete.
   */
  private async addChatsThatMention(query: SubjectQuery, subject: Subject): Promise<void> {
    const patterns: RegExp[] = [];
    if (query.email) patterns.push(new RegExp(escapeRegex(query.email), 'i'));
    // The last 8 digits of the phone, however they were spaced or dotted.
    const digits = query.phone?.replace(/\D/g, '').slice(-8);
    if (digits && digits.length === 8) patterns.push(new RegExp(digits.split('').join('[\\s.()-]*')));
    if (patterns.length === 0) return;
    const lines = await this.deps.transcripts.find({ direction: 'in', $or: patterns.map((pattern) => ({ text: { $regex: pattern } })) });
    for (const line of lines) {
      addUnique(subject.conversationIds, line.conversationId);
      const userId = line.actor.id;
      if (!subject.identities.some((identity) => identity.channelId === line.channelId && identity.userId === userId)) subject.identities.push({ channelId: line.channelId, userId });
      addUnique(subject.values, userId);
    }
  }

  private async subjectOfTickets(tickets: Ticket[], scope: Subject['scope']): Promise<Subject> {
    const subject: Subject = { scope, ticketRefs: [], identities: [], conversationIds: [], postKeys: [], authorIds: [], values: [] };
    for (const ticket of tickets) {
      subject.ticketRefs.push(ticket.ref);
      if (!ticket.erasedAt) {
        if (!subject.identities.some((i) => i.channelId === ticket.customer.channelId && i.userId === ticket.customer.userId)) subject.identities.push({ channelId: ticket.customer.channelId, userId: ticket.customer.userId });
        for (const value of [ticket.customer.userId, ticket.customer.name, ticket.contact?.email, ticket.contact?.phone, ticket.orderNumber, ...(ticket.otherOrderNumbers ?? []), ticket.conversation?.userName, ticket.publicPost?.authorHandle, ticket.publicPost?.authorName]) {
          if (value) addUnique(subject.values, value);
        }
      }
      if (ticket.conversation) addUnique(subject.conversationIds, ticket.conversation.conversationId);
      if (ticket.publicPost) {
        addUnique(subject.postKeys, `${ticket.publicPost.platform}:${ticket.publicPost.postId}`);
        addUnique(subject.authorIds, ticket.publicPost.authorId);
      }
    }
    if (scope === 'tickets') {
      // Retention: a conversation (and its bot state) stays while a ticket that is not being erased still uses it.
      const shared = await this.deps.tickets.find({ 'conversation.conversationId': { $in: subject.conversationIds }, _id: { $nin: subject.ticketRefs }, erasedAt: { $exists: false } });
      const keep = new Set(shared.map((ticket) => ticket.conversation!.conversationId));
      subject.conversationIds = subject.conversationIds.filter((id) => !keep.has(id));
      subject.identities = [];
      subject.authorIds = [];
    }
    return subject;
  }

  /** The moment before which data is more than `days` old. */
  private cutoff(days: number): Date {
    return new Date(this.deps.clock.now().getTime() - days * DAY);
  }

  private async record(kind: PrivacyRequestRecord['kind'], actor: PrivacyActor, ticketRefs: string[], counts: Record<string, number>, query?: SubjectQuery, reason?: string): Promise<void> {
    await this.deps.requests.insertOne({
      kind,
      at: this.deps.clock.now(),
      actor,
      ...(query && { queryDigest: createHash('sha256').update(JSON.stringify(query)).digest('hex') }),
      ticketRefs,
      counts,
      ...(reason && { reason }),
    });
  }
}

/** The text without the subject's own values, nor anything shaped like an e-mail address or a phone number. */
/** Who the retention sweeps act as, in the privacy request log. */
const RETENTION_ACTOR: PrivacyActor = { kind: 'system', id: 'retention' };

/**
 * Runs `sweep` over what `due` finds, a page of `limit` at a time, until a page comes back short; `sweep` must take
 * its page out of what `due` finds. Returns the sum of what `sweep` counted.
 */
async function inPages<T>(due: (limit: number) => Promise<T[]>, limit: number, sweep: (page: T[]) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const page = await due(limit);
    if (page.length > 0) total += await sweep(page);
    if (page.length < limit) return total;
  }
}

function scrubReason(reason: string, values: string[]): string {
  let scrubbed = redactPersonalData(reason);
  for (const value of values) if (value.length >= 3) scrubbed = scrubbed.replace(new RegExp(escapeRegex(value), 'gi'), ERASED);
  return scrubbed;
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function countsOf(data: Record<string, unknown[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(data).map(([name, records]) => [name, records.length]));
}
