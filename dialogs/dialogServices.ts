import type { StatePropertyAccessor } from 'botbuilder';
import type { TicketService } from '../services/tickets/ticketService';
import type { ContactDetails, PublicPostSummary } from '../services/tickets/types';
import type { HumanHandoff } from '../services/handoff/types';
import type { OrderNumberRecognizer } from '../services/recognition/orderNumber';
import type { CountryCode } from 'libphonenumber-js';

/** What the conversation remembers between turns, next to the dialog stack. */
export interface ConversationData {
  /** The ticket this conversation is about, once one exists. */
  ticketRef?: string;
  greeted?: boolean;
  /** The public post that brought the customer here (from a DM link token or a recent post). */
  publicPost?: PublicPostSummary;
  /** What the report dialog has gathered so far; kept so "agent" mid-flow opens a ticket with it. */
  draft?: ReportDraft;
  /** The customer writes in this language (not English): a person answers, the English dialog stays out. */
  language?: string;
}

export interface ReportDraft {
  orderNumber?: string;
  contact?: Partial<ContactDetails>;
  description?: string;
  /** The opening mail's subject (e-mail only). */
  subject?: string;
  /** The customer's language when it is not English ('es'); recorded on the ticket. */
  language?: string;
  /** A phone typed beside the e-mail could not be placed in a country: the report says so once, and keeps the e-mail. */
  phoneNotPlaced?: boolean;
}

export interface DialogServices {
  tickets: TicketService;
  orderNumbers: OrderNumberRecognizer;
  phoneRegion: CountryCode;
  brandName: string;
  ticketPrefix: string;
  handoff: HumanHandoff;
  conversationData: StatePropertyAccessor<ConversationData>;
  /** "within about 1 hour", or "when the team is back on Monday at 08:00" when a due time lies past closing. */
  replyBy(now: Date, due: Date): string;
  /** CSAT_REOPEN_DAYS: a reply this many days after resolution reopens the ticket (said when the customer withdraws one). */
  reopenDays?: number;
}
