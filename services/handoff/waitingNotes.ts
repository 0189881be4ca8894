/**
 * What a customer writes while waiting for a person goes onto their ticket: verbatim as a customer update,
 * and the order number, e-mail or phone recognised in it fill the ticket's empty fields, so the console's
 * search finds it and follow-ups can reach them. Contact details given this way count as consent only
 * when the same message asks to be contacted ("call me on…", "e-mail me at…"); otherwise consent is false.
 */
import { recognizeCustomerDetails } from '../recognition/customerDetails';
import type { CountryCode } from '../recognition/contact';
import type { OrderNumberRecognizer } from '../recognition/orderNumber';
import type { TicketService } from '../tickets/ticketService';
import type { Actor, ContactMethod } from '../tickets/types';

/** Below this a message is a nudge ("hello?", "anyone there"), not a description of the problem. */
const DESCRIPTION_MIN_WORDS = 4;
const ASKS_FOR_CALL = /\b(call|ring|phone|text|sms|whats ?app)\s+me\b/i;
const ASKS_FOR_EMAIL = /\b(e-?mail|mail|write to)\s+me\b/i;
const ASKS_TO_BE_CONTACTED = /\b(contact|reach)\s+me\b/i;

export type NotedDetail = 'order number' | 'e-mail' | 'phone' | 'description';

export interface WaitingNotesDeps {
  tickets: TicketService;
  orderNumbers: OrderNumberRecognizer;
  phoneRegion: CountryCode;
}

export class WaitingNotes {
  constructor(private readonly deps: WaitingNotesDeps) {}

  /** Adds the message to the ticket; returns which empty fields it filled (never their values). */
  async record(ref: string, text: string, customer: Actor): Promise<NotedDetail[]> {
    const words = text.trim();
    if (!words) return [];
    const before = await this.deps.tickets.addCustomerUpdate(ref, words.slice(0, 4000), customer);
    const found = recognizeCustomerDetails(words, this.deps.orderNumbers, this.deps.phoneRegion);
    const email = found.emails[0];
    const phone = found.phones[0]?.e164;
    const description = words.split(/\s+/).length >= DESCRIPTION_MIN_WORDS ? words.slice(0, 4000) : undefined;
    const orderNumber = found.orderNumbers[0];
    if (!orderNumber && !email && !phone && !description) return [];
    const preferred = preferredOf(words, Boolean(email), Boolean(phone));
    const consent = Boolean(preferred) || ASKS_TO_BE_CONTACTED.test(words);
    const after = await this.deps.tickets.fillDetails(
      ref,
      { ...(orderNumber && { orderNumber }), ...(email && { email }), ...(phone && { phone }), ...(description && { description }), consent, ...(preferred && { preferred }) },
      customer,
    );
    const noted: NotedDetail[] = [];
    if (after.orderNumber && !before.orderNumber) noted.push('order number');
    if (after.contact?.email && !before.contact?.email) noted.push('e-mail');
    if (after.contact?.phone && !before.contact?.phone) noted.push('phone');
    if (after.description && !before.description) noted.push('description');
    return noted;
  }
}

/** The method the customer asked us to use, when they asked for one they also gave. */
function preferredOf(text: string, hasEmail: boolean, hasPhone: boolean): ContactMethod | undefined {
  if (hasPhone && ASKS_FOR_CALL.test(text)) return 'phone';
  if (hasEmail && ASKS_FOR_EMAIL.test(text)) return 'email';
  return undefined;
}
