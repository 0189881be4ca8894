/** The ticket domain's own types: no SDK objects, no raw webhook bodies. */

export const TICKET_STATUSES = ['open', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type ActorKind = 'customer' | 'bot' | 'agent' | 'system';
export interface Actor {
  kind: ActorKind;
  id: string;
  name?: string;
}

export const BOT_ACTOR: Actor = { kind: 'bot', id: 'bot' };
export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'system' };

/** Who the customer is on the channel they used. */
export interface CustomerIdentity {
  channelId: string;
  userId: string;
  name?: string;
}

export type ContactMethod = 'email' | 'phone' | 'dm';

export interface ContactDetails {
  email?: string;
  /** E.164 */
  phone?: string;
  preferred?: ContactMethod;
  /** The customer agreed to be contacted about this ticket outside the chat. */
  consent: boolean;
  /** IANA zone, when known; used for quiet hours. */
  timeZone?: string;
  /** The SMS provider refused this phone for good (the customer replied STOP, invalid number, landline): never texted again. */
  smsBlocked?: SmsBlock;
}

export type SmsBlockReason = 'opted_out' | 'invalid_number' | 'not_mobile' | 'unreachable' | 'blocked';

export interface SmsBlock {
  reason: SmsBlockReason;
  /** The provider's error code (Twilio 21610 = replied STOP). */
  code?: number;
  at: Date;
}

/**
 * Everything needed to write to the customer later, stored as our own record (not the SDK's
 * ConversationReference) so the domain survives an SDK change.
 */
export interface ConversationRecord {
  channelId: string;
  serviceUrl: string;
  conversationId: string;
  userId: string;
  userName?: string;
  botId: string;
  botName?: string;
  tenantId?: string;
  locale?: string;
  /** The last time the customer wrote in this conversation: channel windows (Messenger 24 h) start here. */
  lastCustomerMessageAt?: Date;
}

export type SocialPlatform = 'x' | 'facebook' | 'instagram' | 'other';

/** The public post that brought the customer, when there was one. */
export interface PublicPostSummary {
  platform: SocialPlatform;
  postId: string;
  url?: string;
  text: string;
  authorId: string;
  authorHandle?: string;
  authorName?: string;
  followers?: number;
  impressions?: number;
  postedAt: Date;
}

export type TicketSource = 'dm' | 'public_post' | 'web' | 'email' | 'sms' | 'api';

export interface SlaTimers {
  firstResponseDueAt: Date;
  /** Moved on by the time the ticket waited on the customer. */
  resolutionDueAt: Date;
  /** Set while the ticket waits on the customer: the resolution clock is stopped. */
  pausedAt?: Date | null;
  /** Time already spent waiting on the customer (counted on the SLA clock: staffed time under business hours), added to the resolution target. */
  pausedMs?: number;
}

/** Support tiers, lowest first: escalation moves a ticket one tier up. */
export const SUPPORT_TIERS = ['agent', 'supervisor', 'executive'] as const;
export type SupportTier = (typeof SUPPORT_TIERS)[number];

/** An agent as a ticket remembers them (no account details). */
export interface AgentRef {
  id: string;
  name: string;
}

export interface Ticket {
  _id: string;
  ref: string;
  status: TicketStatus;
  priority: Priority;
  /** Why the priority is what it is, in words an agent understands. */
  priorityReasons: string[];
  channelId: string;
  customer: CustomerIdentity;
  source: TicketSource;
  orderNumber?: string;
  /** Other order numbers the customer's words name ("both AB-1 and AB-2 are late"): the ticket is found by them too. */
  otherOrderNumbers?: string[];
  contact?: ContactDetails;
  /** The customer's own words, verbatim. */
  description?: string;
  /** The subject of the mail that opened it (e-mail tickets), without "Re:"/"Fwd:" prefixes. */
  subject?: string;
  /** The language the customer writes in when it is not English ('es', 'de'…): a person who speaks it should answer. */
  language?: string;
  publicPost?: PublicPostSummary;
  conversation?: ConversationRecord;
  humanRequested?: { at: Date; reason: string };
  /** Who owns the ticket on the team (set on takeover, transfer or assignment). */
  assignee?: AgentRef;
  /** Who is writing in the customer's conversation right now; null or absent when the bot has it. */
  heldBy?: AgentRef | null;
  /** The tier that must handle it; absent means 'agent'. */
  tier?: SupportTier;
  escalatedAt?: Date;
  /** SLA timers that already escalated the ticket, so each escalates once. */
  escalatedFor?: Array<'first_response' | 'resolution'>;
  sla: SlaTimers;
  /** Key of the inbound event that opened the ticket (activity id); unique so retries never open twice. */
  openedBy?: string;
  createdAt: Date;
  updatedAt: Date;
  firstResponseAt?: Date;
  resolvedAt?: Date;
  closedAt?: Date;
  reopenCount: number;
  /** Set when the customer's personal data was erased (request or retention); the ticket remains for counts. */
  erasedAt?: Date;
  /** Bumped on every change; lets writers detect lost updates. */
  version: number;
}

export interface AuditEvent {
  _id: string;
  ticketRef: string;
  /** 1, 2, 3… per ticket; unique with ticketRef so the trail cannot fork. */
  seq: number;
  at: Date;
  actor: Actor;
  action: string;
  before?: unknown;
  after?: unknown;
  note?: string;
  /** Hash chain (tamper evidence): hash = sha256(prevHash + canonical event). */
  prevHash: string;
  hash: string;
}

export interface TranscriptEntry {
  _id: string;
  conversationId: string;
  channelId: string;
  ticketRef?: string;
  direction: 'in' | 'out';
  actor: Actor;
  text: string;
  /** Files the customer sent, as the channel described them (the file itself stays with the channel). */
  files?: TranscriptFile[];
  at: Date;
  /** Orders lines of the same `at` as they were written (`transcriptOrder.ts`); absent on lines from before it existed. */
  seq?: number;
  activityId?: string;
}

export interface TranscriptFile {
  contentType: string;
  name?: string;
  /** Where the channel serves it; only http(s) links are kept (no inline data). */
  url?: string;
}
