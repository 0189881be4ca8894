/**
 * The only writer of tickets. Every change goes through `mutate`: one conditional write (optimistic
 * version check), one audit event, one domain event for listeners (follow-ups, console, listening).
 */
import type { Collection } from '../store/types';
import { isDuplicateKey } from '../store/types';
import type { Clock } from '../clock';
import { DAY } from '../clock';
import { DomainError } from '../errors';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { AuditTrail, type AuditRecord } from './audit';
import { canTransition, isActive } from './lifecycle';
import { computePriority, DEFAULT_PRIORITY_POLICY, type PriorityPolicy } from './priority';
import { escapeRegex } from '../store/regex';
import { CALENDAR_SLA_CLOCK, DEFAULT_SLA_POLICIES, type SlaClock, slaPauseHook, slaTimers, type SlaPolicy } from './sla';
import { PerKeyQueue } from './perKeyQueue';
import { newTicketRef } from './ticketRef';
import type {
  Actor,
  ContactDetails,
  ConversationRecord,
  CustomerIdentity,
  Priority,
  PublicPostSummary,
  SmsBlock,
  Ticket,
  TicketSource,
  TicketStatus,
} from './types';

export interface OpenTicketInput {
  customer: CustomerIdentity;
  source: TicketSource;
  orderNumber?: string;
  contact?: ContactDetails;
  description?: string;
  /** The opening mail's subject (e-mail tickets). */
  subject?: string;
  /** The customer's language when it is not English ('es'). */
  language?: string;
  publicPost?: PublicPostSummary;
  conversation?: ConversationRecord;
  humanRequestedReason?: string;
  /** Key of the inbound event that asked for this ticket; the same key never opens two tickets. */
  openedBy?: string;
}

export type NoteVisibility = 'internal' | 'public';

export interface TicketChange {
  ticket: Ticket;
  before: Ticket | null;
  action: string;
  actor: Actor;
  note?: { visibility: NoteVisibility; text: string };
}

export type TicketListener = (change: TicketChange) => void | Promise<void>;

/**
 * Fields another area writes in the same update as a change, so they cannot be lost to a crash between the
 * write and the listeners (follow-ups: "due now"). Dotted paths on updates; top-level fields on open
 * (before === null), where the document is inserted whole.
 */
export type WriteHook = (change: { before: Ticket | null; patch: Partial<Ticket>; action: string; actor: Actor; at: Date }) => Record<string, unknown> | undefined;

export interface TicketServiceOptions {
  prefix: string;
  clock: Clock;
  logger?: Logger;
  slaPolicies?: Record<Priority, SlaPolicy>;
  /** What SLA timers count: staffed time (business hours) or every hour (the default, calendar). */
  slaClock?: SlaClock;
  priorityPolicy?: PriorityPolicy;
  /** How far back an earlier ticket for the same customer or order counts as repeat contact. */
  repeatContactWindowMs?: number;
  /** Reads order numbers in the customer's words, so a ticket naming two orders is found by either. */
  orderNumbersIn?: (text: string) => string[];
}

type Patch = Partial<Omit<Ticket, '_id' | 'ref' | 'version' | 'createdAt'>>;

export class TicketService {
  private readonly listeners: TicketListener[] = [];
  private readonly writeHooks: WriteHook[] = [];
  private readonly logger: Logger;
  private readonly writesPerTicket = new PerKeyQueue();
  /** The clock due times were counted on; escalation judges "at risk" on the same one. */
  readonly slaClock: SlaClock;

  constructor(
    private readonly tickets: Collection<Ticket>,
    readonly audit: AuditTrail,
    private readonly options: TicketServiceOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.slaClock = options.slaClock ?? CALENDAR_SLA_CLOCK;
    this.writeHooks.push(slaPauseHook(this.slaClock));
  }

  /** The reference is the document's _id, so its uniqueness needs no index of its own. */
  static async createIndexes(tickets: Collection<Ticket>, audit: Collection<AuditRecord>): Promise<void> {
    await Promise.all([
      tickets.createIndex({ fields: { openedBy: 1 }, unique: true, sparse: true }),
      tickets.createIndex({ fields: { 'customer.userId': 1 } }),
      tickets.createIndex({ fields: { orderNumber: 1 }, sparse: true }),
      tickets.createIndex({ fields: { otherOrderNumbers: 1 }, sparse: true }),
      tickets.createIndex({ fields: { createdAt: 1 } }),
      ...AuditTrail.indexes(audit),
    ]);
  }

  onChange(listener: TicketListener): void {
    this.listeners.push(listener);
  }

  alsoWrite(hook: WriteHook): void {
    this.writeHooks.push(hook);
  }

  private hookFields(change: Parameters<WriteHook>[0]): Record<string, unknown> {
    return Object.assign({}, ...this.writeHooks.map((hook) => hook(change) ?? {}));
  }

  async open(input: OpenTicketInput, actor: Actor): Promise<Ticket> {
    if (input.openedBy) {
      const existing = await this.tickets.findOne({ openedBy: input.openedBy });
      if (existing) return existing;
    }
    const now = this.options.clock.now();
    const repeatContact = await this.isRepeatContact(input.customer, input.orderNumber, now);
    const { priority, reasons } = computePriority(
      {
        description: [input.description, input.publicPost?.text].filter(Boolean).join('\n'),
        repeatContact,
        humanRequested: Boolean(input.humanRequestedReason),
        publicReach: Math.max(input.publicPost?.followers ?? 0, input.publicPost?.impressions ?? 0),
      },
      this.options.priorityPolicy ?? DEFAULT_PRIORITY_POLICY,
    );
    const otherOrderNumbers = this.otherOrderNumbersIn(input);
    for (let attempt = 0; ; attempt++) {
      const ref = newTicketRef(this.options.prefix);
      const ticket: Ticket = {
        _id: ref,
        ref,
        status: 'open',
        priority,
        priorityReasons: reasons,
        channelId: input.customer.channelId,
        customer: input.customer,
        source: input.source,
        ...(input.orderNumber && { orderNumber: input.orderNumber }),
        ...(otherOrderNumbers.length > 0 && { otherOrderNumbers }),
        ...(input.contact && { contact: input.contact }),
        ...(input.description && { description: input.description }),
        ...(input.subject && { subject: input.subject }),
        ...(input.language && { language: input.language }),
        ...(input.publicPost && { publicPost: input.publicPost }),
        ...(input.conversation && { conversation: input.conversation }),
        ...(input.humanRequestedReason && { humanRequested: { at: now, reason: input.humanRequestedReason } }),
        ...(input.openedBy && { openedBy: input.openedBy }),
        sla: slaTimers(priority, now, this.options.slaPolicies ?? DEFAULT_SLA_POLICIES, {}, this.slaClock),
        createdAt: now,
        updatedAt: now,
        reopenCount: 0,
        version: 1,
      };
      Object.assign(ticket, this.hookFields({ before: null, patch: ticket, action: 'ticket.opened', actor, at: now }));
      try {
        await this.tickets.insertOne(ticket);
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 5) throw error;
        // A concurrent retry of the same event won: return its ticket. Otherwise the ref clashed: draw again.
        const winner = input.openedBy ? await this.tickets.findOne({ openedBy: input.openedBy }) : null;
        if (winner) return winner;
        continue;
      }
      await this.audit.append(ref, {
        actor,
        action: 'ticket.opened',
        after: { status: ticket.status, priority, priorityReasons: reasons, source: ticket.source, channelId: ticket.channelId },
      });
      if (input.humanRequestedReason) {
        await this.audit.append(ref, { actor, action: 'ticket.human_requested', note: input.humanRequestedReason });
      }
      this.emit({ ticket, before: null, action: 'ticket.opened', actor });
      return ticket;
    }
  }

  get(ref: string): Promise<Ticket | null> {
    return this.tickets.findOne({ _id: ref });
  }

  async require(ref: string): Promise<Ticket> {
    const ticket = await this.get(ref);
    if (!ticket) throw new DomainError('TICKET_NOT_FOUND', `No ticket ${ref}`);
    return ticket;
  }

  /** A customer only ever sees their own tickets: a reference of someone else's reads as not found. */
  async getForCustomer(ref: string, customer: Pick<CustomerIdentity, 'channelId' | 'userId'>): Promise<Ticket | null> {
    return this.tickets.findOne({ _id: ref, 'customer.channelId': customer.channelId, 'customer.userId': customer.userId });
  }

  listForCustomer(customer: Pick<CustomerIdentity, 'channelId' | 'userId'>, limit = 10): Promise<Ticket[]> {
    return this.tickets.find(
      { 'customer.channelId': customer.channelId, 'customer.userId': customer.userId },
      { sort: { createdAt: -1 }, limit },
    );
  }

  /** Every customer's tickets about this order, as their order number or among the others they name, newest first: the console's "Find a ticket". */
  async listForOrder(orderNumber: string, limit = 10): Promise<Ticket[]> {
    // Two indexed lookups rather than one $or, which the embedded engine answers by scanning every ticket.
    const [main, also] = await Promise.all([
      this.tickets.find({ orderNumber }, { sort: { createdAt: -1 }, limit }),
      this.tickets.find({ otherOrderNumbers: orderNumber }, { sort: { createdAt: -1 }, limit }),
    ]);
    // A ticket filled with one of the other orders it named is in both lists: listed once.
    const byRef = new Map([...main, ...also].map((ticket) => [ticket.ref, ticket]));
    return [...byRef.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
  }

  private otherOrderNumbersIn(input: OpenTicketInput): string[] {
    const words = [input.description, input.publicPost?.text].filter(Boolean).join('\n');
    const found = words && this.options.orderNumbersIn ? this.options.orderNumbersIn(words) : [];
    return [...new Set(found)].filter((order) => order !== input.orderNumber).slice(0, 10);
  }

  /** Tickets whose customer left this e-mail (any case) or phone (E.164), newest first. */
  listForContact(contact: { emails: string[]; phones: string[] }, limit = 10): Promise<Ticket[]> {
    const clauses = [
      ...contact.emails.map((email) => ({ 'contact.email': { $regex: new RegExp(`^${escapeRegex(email)}$`, 'i') } })),
      ...(contact.phones.length ? [{ 'contact.phone': { $in: contact.phones } }] : []),
    ];
    return clauses.length ? this.tickets.find({ $or: clauses }, { sort: { createdAt: -1 }, limit }) : Promise.resolve([]);
  }

  /** Tickets whose customer name, @handle or mail subject contains `text` (any case), newest first. */
  listByNameOrSubject(text: string, limit = 10): Promise<Ticket[]> {
    const pattern = new RegExp(escapeRegex(text), 'i');
    const fields = ['customer.name', 'publicPost.authorHandle', 'subject'];
    return this.tickets.find({ $or: fields.map((field) => ({ [field]: { $regex: pattern } })) }, { sort: { createdAt: -1 }, limit });
  }

  async latestActiveForCustomer(customer: Pick<CustomerIdentity, 'channelId' | 'userId'>): Promise<Ticket | null> {
    const [latest] = await this.tickets.find(
      {
        'customer.channelId': customer.channelId,
        'customer.userId': customer.userId,
        status: { $in: ['open', 'in_progress', 'waiting_on_customer'] },
      },
      { sort: { updatedAt: -1 }, limit: 1 },
    );
    return latest ?? null;
  }

  async changeStatus(ref: string, to: TicketStatus, actor: Actor, note?: string): Promise<Ticket> {
    return this.mutate(ref, actor, 'ticket.status_changed', (ticket) => {
      if (ticket.status === to) return null;
      if (!canTransition(ticket.status, to)) {
        throw new DomainError('TICKET_TRANSITION_INVALID', `A ${ticket.status} ticket cannot become ${to}`);
      }
      const now = this.options.clock.now();
      const patch: Patch = { status: to };
      if (to === 'resolved') patch.resolvedAt = now;
      if (to === 'closed') patch.closedAt = now;
      if (!isActive(ticket.status) && isActive(to)) patch.reopenCount = ticket.reopenCount + 1;
      return { patch, before: { status: ticket.status }, after: { status: to }, note };
    });
  }

  /** Corrections of what the customer told us (order number, contact, description). */
  async updateDetails(ref: string, details: Pick<Patch, 'orderNumber' | 'contact' | 'description'>, actor: Actor): Promise<Ticket> {
    return this.mutate(ref, actor, 'ticket.details_changed', (ticket) => {
      const keys = (Object.keys(details) as Array<keyof typeof details>).filter((key) => details[key] !== undefined);
      if (keys.length === 0) return null;
      const before = Object.fromEntries(keys.map((key) => [key, ticket[key]]));
      const after = Object.fromEntries(keys.map((key) => [key, details[key]]));
      return { patch: after as Patch, before, after };
    });
  }

  /** Details the customer gave later (while waiting for a person): fills empty fields only, never overwrites. */
  async fillDetails(ref: string, details: { orderNumber?: string; email?: string; phone?: string; consent?: boolean; preferred?: ContactDetails['preferred']; description?: string }, actor: Actor): Promise<Ticket> {
    return this.mutate(ref, actor, 'ticket.details_filled', (ticket) => {
      const patch: Patch = {};
      if (details.orderNumber && !ticket.orderNumber) patch.orderNumber = details.orderNumber;
      if (details.description && !ticket.description) patch.description = details.description;
      const email = !ticket.contact?.email ? details.email : undefined;
      const phone = !ticket.contact?.phone ? details.phone : undefined;
      if (email || phone) {
        // Consent and preference stay as they were on an existing contact; new contact details bring their own.
        const base: ContactDetails = ticket.contact ?? { consent: details.consent ?? false, ...(details.preferred && { preferred: details.preferred }) };
        patch.contact = { ...base, ...(email && { email }), ...(phone && { phone }) };
      }
      const keys = Object.keys(patch) as Array<keyof Patch>;
      if (keys.length === 0) return null;
      return { patch, before: Object.fromEntries(keys.map((key) => [key, ticket[key] ?? null])), after: patch };
    });
  }

  /** Whether the SMS provider refused this phone for good, as recorded on any of its tickets (one indexed lookup). */
  async smsBlockOf(phone: string): Promise<SmsBlock | undefined> {
    return (await this.tickets.findOne({ 'contact.phone': phone, 'contact.smsBlocked': { $exists: true } }))?.contact?.smsBlocked;
  }

  /**
   * The SMS provider refused this phone for good (STOP, invalid, landline): marked on this ticket and on every
   * active ticket with the same phone, each change audited, so no follow-up texts it again. Returns the refs marked.
   */
  async markSmsUnusable(phone: string, block: SmsBlock, actor: Actor, alsoRef?: string): Promise<string[]> {
    const active = { status: { $in: ['open', 'in_progress', 'waiting_on_customer'] } };
    const found = await this.tickets.find({ 'contact.phone': phone, 'contact.smsBlocked': { $exists: false }, ...(alsoRef ? { $or: [active, { _id: alsoRef }] } : active) });
    const marked: string[] = [];
    for (const { ref } of found) {
      await this.mutate(ref, actor, 'ticket.sms_blocked', (ticket) =>
        ticket.contact?.phone !== phone || ticket.contact.smsBlocked ? null : { patch: { contact: { ...ticket.contact, smsBlocked: block } }, after: { sms: block.reason, ...(block.code && { code: block.code }) } },
      );
      marked.push(ref);
    }
    return marked;
  }

  /**
   * The customer opted back in to SMS (replied START): the opt-out mark leaves every ticket with this phone,
   * whatever its status (the notifier asks any of them), each change audited. Other refusals stay. Returns the refs cleared.
   */
  async clearSmsOptOut(phone: string, actor: Actor): Promise<string[]> {
    const found = await this.tickets.find({ 'contact.phone': phone, 'contact.smsBlocked.reason': 'opted_out' });
    const cleared: string[] = [];
    for (const { ref } of found) {
      await this.mutate(ref, actor, 'ticket.sms_unblocked', (ticket) => {
        if (ticket.contact?.phone !== phone || ticket.contact.smsBlocked?.reason !== 'opted_out') return null;
        const { smsBlocked, ...contact } = ticket.contact;
        return { patch: { contact }, before: { sms: smsBlocked.reason }, after: { sms: 'usable' } };
      });
      cleared.push(ref);
    }
    return cleared;
  }

  /** The customer's active ticket about this order, if they already have one. */
  async activeForOrder(customer: Pick<CustomerIdentity, 'channelId' | 'userId'>, orderNumber: string): Promise<Ticket | null> {
    const [ticket] = await this.tickets.find(
      { orderNumber, 'customer.channelId': customer.channelId, 'customer.userId': customer.userId, status: { $in: ['open', 'in_progress', 'waiting_on_customer'] } },
      { sort: { updatedAt: -1 }, limit: 1 },
    );
    return ticket ?? null;
  }

  /** More from the customer on an open ticket (kept verbatim); a ticket waiting for them goes back to the team. */
  async addCustomerUpdate(ref: string, text: string, actor: Actor): Promise<Ticket> {
    return this.mutate(ref, actor, 'ticket.customer_update', (ticket) => ({
      patch: ticket.status === 'waiting_on_customer' ? { status: 'in_progress' } : {},
      ...(ticket.status === 'waiting_on_customer' && { before: { status: ticket.status }, after: { status: 'in_progress' } }),
      note: text,
    }));
  }

  async requestHuman(ref: string, reason: string, actor: Actor): Promise<Ticket> {
    return this.mutate(ref, actor, 'ticket.human_requested', () => ({
      patch: { humanRequested: { at: this.options.clock.now(), reason } },
      note: reason,
    }));
  }

  async setPriority(ref: string, priority: Priority, actor: Actor, reason: string): Promise<Ticket> {
    return this.mutate(ref, actor, 'ticket.priority_changed', (ticket) => {
      if (ticket.priority === priority) return null;
      return {
        patch: {
          priority,
          priorityReasons: [...ticket.priorityReasons, reason],
          sla: slaTimers(priority, ticket.createdAt, this.options.slaPolicies ?? DEFAULT_SLA_POLICIES, ticket.sla, this.slaClock),
        },
        before: { priority: ticket.priority },
        after: { priority },
        note: reason,
      };
    });
  }

  /** Internal notes stay with the team; public notes are told to the customer by the follow-ups. */
  async addNote(ref: string, visibility: NoteVisibility, text: string, actor: Actor): Promise<Ticket> {
    return this.mutate(ref, actor, `ticket.note_${visibility}`, () => ({ patch: {}, note: text }), { visibility, text });
  }

  async attachConversation(ref: string, conversation: ConversationRecord, actor: Actor): Promise<Ticket> {
    return this.mutate(ref, actor, 'ticket.conversation_attached', () => ({
      patch: { conversation },
      after: { channelId: conversation.channelId },
    }));
  }

  /** The first time someone from our side answered; SLA first-response is measured against it. */
  async recordFirstResponse(ref: string, actor: Actor): Promise<Ticket> {
    return this.mutate(ref, actor, 'ticket.first_response', (ticket) =>
      ticket.firstResponseAt ? null : { patch: { firstResponseAt: this.options.clock.now() } },
    );
  }

  /**
   * Applies one change: `decide` sees the current ticket and returns the patch (or null for "nothing to
   * do"); the write only lands if nobody changed the ticket meanwhile, else it is decided again.
   */
  async mutate(
    ref: string,
    actor: Actor,
    action: string,
    decide: (ticket: Ticket) => { patch: Patch; before?: unknown; after?: unknown; note?: string } | null,
    note?: TicketChange['note'],
  ): Promise<Ticket> {
    return this.writesPerTicket.run(ref, () => this.mutateNow(ref, actor, action, decide, note));
  }

  private async mutateNow(...[ref, actor, action, decide, note]: Parameters<TicketService['mutate']>): Promise<Ticket> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const ticket = await this.require(ref);
      const decision = decide(ticket);
      if (!decision) return ticket;
      const updatedAt = this.options.clock.now();
      const result = await this.tickets.updateOne(
        { _id: ref, version: ticket.version },
        { $set: { ...decision.patch, ...this.hookFields({ before: ticket, patch: decision.patch, action, actor, at: updatedAt }), updatedAt }, $inc: { version: 1 } },
      );
      if (result.matchedCount === 0) continue;
      const updated: Ticket = { ...ticket, ...decision.patch, updatedAt, version: ticket.version + 1 };
      await this.audit.append(ref, { actor, action, before: decision.before, after: decision.after, note: decision.note });
      this.emit({ ticket: updated, before: ticket, action, actor, ...(note && { note }) });
      return updated;
    }
    throw new DomainError('TICKET_CONFLICT', `Ticket ${ref} kept changing underneath; gave up after 10 attempts`);
  }

  private async isRepeatContact(customer: CustomerIdentity, orderNumber: string | undefined, now: Date): Promise<boolean> {
    const since = new Date(now.getTime() - (this.options.repeatContactWindowMs ?? 30 * DAY));
    const recent = { createdAt: { $gte: since } };
    // Two indexed lookups rather than one $or, which the embedded engine answers by scanning every ticket.
    const [sameCustomer, sameOrder] = await Promise.all([
      this.tickets.countDocuments({ 'customer.userId': customer.userId, 'customer.channelId': customer.channelId, ...recent }),
      orderNumber ? this.tickets.countDocuments({ orderNumber, ...recent }) : Promise.resolve(0),
    ]);
    return sameCustomer + sameOrder > 0;
  }

  private emit(change: TicketChange): void {
    for (const listener of this.listeners) {
      Promise.resolve()
        .then(() => listener(change))
        .catch((error: unknown) => this.logger.error({ err: error, ref: change.ticket.ref, action: change.action }, 'ticket listener failed'));
    }
  }
}
