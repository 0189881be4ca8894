/**
 * Azure Bot Service's Email channel (channelId 'email'): a support mailbox connected to the bot. A mail is
 * not a chat: the first mail of a thread opens a ticket at once (no questions: the sender's address is the
 * contact, the subject and new words are the description), later mails in the thread are updates on it
 * (the follow-up interceptor), and whatever the bot says in a turn leaves as one reply mail (OneReplyPerTurn).
 */
import type { Activity, Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { ConversationData, DialogServices } from '../dialogs/dialogServices';
import { detectInterruption, detectMenuChoice, isGreetingOnly } from '../dialogs/intents';
import { say } from '../dialogs/messages';
import { addToActiveTicketForOrder, customerActor, openTicket, replyWithStatus, wantsStatus } from '../dialogs/ticketActions';
import { activityKey, customerOf, customerRegionOf } from '../dialogs/turnFacts';
import { isAcknowledgement } from '../services/followUps/replyReading';
import { recognizeContacts } from '../services/recognition/contact';
import { requestedEmailChange } from '../services/recognition/contactChange';
import { cleanSubject, looksAutomated, looksLikeAutoReplyBody, mailDescription, splitMail } from '../services/recognition/mailText';
import { withoutBold } from '../services/social/messageParts';
import { isActive } from '../services/tickets/lifecycle';
import type { Transcripts } from '../services/tickets/transcript';
import type { Ticket } from '../services/tickets/types';
import { attachmentNote } from './followUpInterceptor';
import { type MailSubjectDeps, refInSubject, subjectFor, withSubject } from './mailSubject';
import { OneReplyPerTurn } from './oneReplyPerTurn';
import type { TurnInterceptor } from './supportBot';

export const EMAIL_CHANNEL_ID = 'email';

/** One inbound mail, read once per turn. */
export interface Mail {
  subject: string;
  /** The new words (the turn's text is set to these). */
  body: string;
  signature: string;
  quoted: string;
  /** A mail the customer forwarded to us (an order confirmation, a courier's note): kept with their words. */
  forwarded: string;
}

const MAIL = Symbol('mail');
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REPLY_SUBJECT = /^\s*(re|aw|sv|vs|antw)\s*(\[\d+\])?\s*:/i;
/** The outermost prefix is a forward ("FW: RE: …"), not a reply. */
const FORWARD_SUBJECT = /^\s*(fw|fwd|wg|rv|tr)\s*:/i;

export function mailOf(context: TurnContext): Mail | undefined {
  return context.turnState.get(MAIL) as Mail | undefined;
}

/**
 * The middleware the Email channel needs, in the order they go into the adapter, before RecordConversation
 * (so the transcript holds the mail's new words and the one reply sent).
 */
export function emailChannelMiddleware(deps: MailSubjectDeps): Middleware[] {
  const shape = async (activity: Partial<Activity>, context: TurnContext) => withSubject(asMailReply(activity), await subjectFor(context, mailOf(context)?.subject, deps));
  return [new OneReplyPerTurn(new Map([[EMAIL_CHANNEL_ID, shape]])), new ReadMail()];
}

/** Registers the mail interceptors: new threads before everything else, leftovers after the follow-ups. */
export function wireEmailChannel(deps: EmailChannelDeps & { bot: { use(interceptor: TurnInterceptor, position?: 'first' | 'last'): void } }): void {
  deps.bot.use(new EmailNewThreads(deps), 'first');
  deps.bot.use(new EmailLeftovers(deps));
}

/** Reads the mail: subject from channelData, quoted history and signature set apart; the turn's text becomes the new words. */
export class ReadMail implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.channelId === EMAIL_CHANNEL_ID && activity.type === 'message') {
      // One sender, one customer: "Priya.Raman@Example.com" and "priya.raman@example.com" are the same mailbox.
      if (activity.from?.id) activity.from.id = activity.from.id.trim().toLowerCase();
      const details = (activity.channelData ?? {}) as { subject?: unknown; htmlBody?: unknown };
      const raw = activity.text?.trim() ? activity.text : typeof details.htmlBody === 'string' ? textOfHtml(details.htmlBody) : '';
      const { forwarded, ...parts } = splitMail(raw.slice(0, 100_000));
      const subject = typeof details.subject === 'string' ? details.subject.slice(0, 500) : '';
      // Gmail marks a forward itself; Outlook's "FW:" forward quotes with its reply header block.
      const forward = forwarded || FORWARD_SUBJECT.test(subject) ? parts.quoted : '';
      context.turnState.set(MAIL, { subject, ...parts, forwarded: forward } satisfies Mail);
      // The transcript and ticket updates hold the new words and what was forwarded, never our own quoted thread.
      activity.text = [parts.body, forward].filter(Boolean).join('\n\n');
    }
    await next();
  }
}

/** Plain text in the mail, and an HTML body beside it (bold reference, paragraphs) for mail programs that show HTML. */
export function asMailReply(activity: Partial<Activity>): Partial<Activity> {
  const text = withoutBold(activity.text ?? '');
  const html = (activity.text ?? '')
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/\n/g, '<br>')}</p>`)
    .join('');
  const channelData = { ...((activity.channelData as object | undefined) ?? {}), htmlBody: `<html><body style="font-family: Calibri, Arial, sans-serif;">${html}</body></html>` };
  return { ...activity, text, channelData };
}

export interface EmailChannelDeps {
  dialogs: DialogServices;
  dialogState: StatePropertyAccessor<DialogState>;
  /** A mail that goes onto a ticket other than the one its thread opened is filed under that ticket. */
  transcripts: Pick<Transcripts, 'linkConversation' | 'unlinkLine'>;
}

/** Opens the ticket for the first mail of a thread; on later mails fills details the ticket lacks (or a new address asked for), honours a reference of theirs in the subject, and drops vacation responders. */
export class EmailNewThreads implements TurnInterceptor {
  readonly name = 'emailNewThreads';

  constructor(private readonly deps: EmailChannelDeps) {}

  async handle(context: TurnContext, data: ConversationData): Promise<boolean> {
    const mail = mailOf(context);
    if (!mail) return false;
    // A mail is never greeted with the chat's menu, whatever path answers it.
    data.greeted = true;
    // Kept in the transcript (RecordConversation ran), never answered: an answer to an auto-reply starts a loop.
    const { from, recipient } = context.activity;
    if (looksAutomated(from.id, mail.subject) || from.id === recipient?.id?.toLowerCase()) return true;
    if ((await this.deps.dialogState.get(context))?.dialogStack?.length) return false;
    // "[CS-7K3M9Q]" in the subject names the ticket, if it is the sender's own; anyone else's is not honoured.
    const asked = refInSubject(mail.subject, this.deps.dialogs.ticketPrefix);
    const named = asked && asked !== data.ticketRef ? await this.deps.dialogs.tickets.getForCustomer(asked, customerOf(context)) : null;
    const thread = named ?? (data.ticketRef ? await this.deps.dialogs.tickets.getForCustomer(data.ticketRef, customerOf(context)) : null);
    // A vacation responder answering our mail keeps its subject: its words give it away (never answered: no loop).
    if (thread && looksLikeAutoReplyBody(mail.body)) return true;
    if (named) await fileUnder(context, this.deps, named.ref, Boolean(data.ticketRef));
    // "Thanks!" in a thread (or in reply to any of our mails) asks for nothing: a mail back would only start a ping-pong.
    if (isAcknowledgement(mail.body) && !mail.forwarded && !context.activity.attachments?.length && (thread || REPLY_SUBJECT.test(mail.subject))) return true;
    // A redelivered first mail (its turn failed) finds the ticket it opened and is answered again, not taken as an update.
    if (thread && thread.openedBy !== activityKey(context)) {
      await updateDetailsFromMail(context, this.deps.dialogs, thread, mail);
      return false;
    }
    const words = mail.body || cleanSubject(mail.subject);
    const intent = detectInterruption(words, this.deps.dialogs.ticketPrefix);
    if (intent === 'status' && (await wantsStatus(context, this.deps.dialogs))) {
      await replyWithStatus(context, this.deps.dialogs);
      return true;
    }
    if (thread) await answerOpened(context, this.deps.dialogs, thread);
    else await openFromMail(context, this.deps, mail, intent === 'human' ? 'the customer asked for a person' : undefined);
    return true;
  }

  /** A first mail with only a file opens its ticket too; later ones go onto the ticket through the follow-ups. */
  async handleAttachmentsOnly(context: TurnContext, data: ConversationData): Promise<boolean> {
    return this.handle(context, data);
  }
}

/**
 * What a later mail tells about the customer, from its new words (and their own signature for a phone):
 * "AB-2024117" fills a missing order number, a phone fills a missing phone (never overwrites), and a clear
 * request ("use my work address instead: …") changes the contact e-mail. An address in a quoted or forwarded
 * part, or in the signature, is someone else's or old: it changes nothing.
 */
async function updateDetailsFromMail(context: TurnContext, services: DialogServices, ticket: Ticket, mail: Mail): Promise<void> {
  if (!isActive(ticket.status)) return;
  const actor = customerActor(context);
  const orderNumber = ticket.orderNumber ? undefined : services.orderNumbers.find(mail.body);
  const orders = [orderNumber, ticket.orderNumber].filter((order): order is string => Boolean(order));
  const [phone] = ticket.contact?.phone ? [] : recognizeContacts([mail.body, mail.signature].join('\n'), services.phoneRegion, orders, customerRegionOf(context)).phones;
  let current = ticket;
  if (orderNumber || phone) current = await services.tickets.fillDetails(ticket.ref, { ...(orderNumber && { orderNumber }), ...(phone && { phone: phone.e164 }) }, actor);
  const email = requestedEmailChange(mail.body);
  if (email && current.contact && email !== current.contact.email?.toLowerCase()) {
    await services.tickets.updateDetails(ticket.ref, { contact: { ...current.contact, email } }, actor);
  }
}

/**
 * This mail (and, in a new thread, the thread itself) belongs to `ref`: the conversation is about it from now
 * on, and the mail's transcript line is filed under it rather than under the thread's earlier ticket.
 */
async function fileUnder(context: TurnContext, deps: EmailChannelDeps, ref: string, threadHadTicket: boolean): Promise<void> {
  const data = await deps.dialogs.conversationData.get(context, {});
  data.ticketRef = ref;
  const { conversation, id } = context.activity;
  if (threadHadTicket && id) await deps.transcripts.unlinkLine(conversation.id, id);
  await deps.transcripts.linkConversation(conversation.id, ref);
}

/**
 * Registered after the follow-ups: a mail they left alone. "status", "agent" and "stop" go on to the dialogs
 * (as in chat); greetings, "help" or "start over" get how the thread works; anything else (another order, a
 * ticket closed long ago) opens a new ticket, never the chat's questions.
 */
export class EmailLeftovers implements TurnInterceptor {
  readonly name = 'emailLeftovers';

  constructor(private readonly deps: EmailChannelDeps) {}

  async handle(context: TurnContext, data: ConversationData): Promise<boolean> {
    const mail = mailOf(context);
    if (!mail || (await this.deps.dialogState.get(context))?.dialogStack?.length) return false;
    const intent = detectInterruption(mail.body, this.deps.dialogs.ticketPrefix);
    if (intent === 'status' || intent === 'human' || intent === 'cancel') return false;
    if (intent || isGreetingOnly(mail.body) || detectMenuChoice(mail.body)) {
      await context.sendActivity(say.mailHelp(data.ticketRef));
      return true;
    }
    await openFromMail(context, this.deps, mail);
    return true;
  }

  /** Only a file, and the thread's ticket is over: a new ticket holds it (an active one already took it, via the follow-ups). */
  async handleAttachmentsOnly(context: TurnContext, data: ConversationData): Promise<boolean> {
    const mail = mailOf(context);
    if (!mail || (await this.deps.dialogState.get(context))?.dialogStack?.length) return false;
    const thread = data.ticketRef ? await this.deps.dialogs.tickets.getForCustomer(data.ticketRef, customerOf(context)) : null;
    if (thread && isActive(thread.status)) return false;
    await openFromMail(context, this.deps, mail);
    return true;
  }
}

/** Opens (or, for an order with an active ticket, adds to) the ticket a mail asks for, and answers in one reply. */
async function openFromMail(context: TurnContext, deps: EmailChannelDeps, mail: Mail, humanRequestedReason?: string): Promise<void> {
  const services = deps.dialogs;
  const hadTicket = Boolean((await services.conversationData.get(context, {})).ticketRef);
  const orderNumber = services.orderNumbers.find([cleanSubject(mail.subject), mail.body].join('\n')) ?? services.orderNumbers.find(mail.quoted);
  const description = mailDescription(mail.subject, [mail.body, mail.forwarded].filter(Boolean).join('\n\n')) || attachmentNote(context.activity).trim();
  if (!humanRequestedReason && orderNumber) {
    const existing = await addToActiveTicketForOrder(context, services, { orderNumber, description });
    if (existing) {
      await fileUnder(context, deps, existing.ref, hadTicket);
      await updateDetailsFromMail(context, services, existing, mail);
      await context.sendActivity(say.addedToTicket(existing.ref, orderNumber));
      return;
    }
  }
  const [phone] = recognizeContacts([mail.body, mail.signature].join('\n'), services.phoneRegion, orderNumber ? [orderNumber] : [], customerRegionOf(context)).phones;
  // They wrote to us by e-mail: that address (trimmed and lower-cased by ReadMail) is where we answer, which the reply says.
  const sender = context.activity.from.id;
  const contact = { ...(ADDRESS.test(sender) && { email: sender }), ...(phone && { phone: phone.e164 }), preferred: 'email' as const, consent: true };
  const subject = cleanSubject(mail.subject).slice(0, 300);
  const ticket = await openTicket(context, services, { ...(orderNumber && { orderNumber }), contact, ...(description && { description }), ...(subject && { subject }) }, humanRequestedReason);
  if (humanRequestedReason) {
    await context.sendActivity(await services.handoff.request(ticket, humanRequestedReason));
    return;
  }
  await answerOpened(context, services, ticket);
}

async function answerOpened(context: TurnContext, services: DialogServices, ticket: Ticket): Promise<void> {
  const askOrder = ticket.orderNumber ? undefined : services.orderNumbers.example;
  await context.sendActivity(say.mailTicketOpened(ticket.ref, services.replyBy(ticket.createdAt, ticket.sla.firstResponseDueAt), askOrder));
}

/** The Email channel sends both text and HTML; when only HTML came, its words are read (tags, styles and scripts dropped). */
function textOfHtml(html: string): string {
  return html
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h\d|table)>|<hr[^>]*>/gi, '\n')
    // Table cells side by side ("Order" | "AB-2024117") stay apart, or the order number is not found.
    .replace(/<\/t[dh]>/gi, '\t')
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, '')
    .replace(/<[^>]+>/g, '')
    .replace(/[ \t]*\t[ \t]*/g, '\t')
    .replace(/\t$/gm, '')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z][a-z0-9]{1,8});/gi, (entity, name: string) => decodeEntity(name) ?? entity);
}

/** Named entities mail programs write for punctuation and European letters (Outlook writes &uuml;, &ntilde;, &rsquo;). */
const ENTITIES: Record<string, string> = {
  nbsp: ' ', lt: '<', gt: '>', quot: '"', apos: "'", amp: '&', ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', hellip: '…', euro: '€', pound: '£', copy: '©', reg: '®', trade: '™', bull: '•',
  iexcl: '¡', iquest: '¿', szlig: 'ß', auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', aacute: 'á', eacute: 'é', iacute: 'í', oacute: 'ó', uacute: 'ú', Aacute: 'Á', Eacute: 'É', Iacute: 'Í', Oacute: 'Ó', Uacute: 'Ú',
  ntilde: 'ñ', Ntilde: 'Ñ', agrave: 'à', egrave: 'è', ugrave: 'ù', acirc: 'â', ecirc: 'ê', icirc: 'î', ocirc: 'ô', ucirc: 'û', ccedil: 'ç', Ccedil: 'Ç', euml: 'ë', iuml: 'ï',
};

function decodeEntity(name: string): string | undefined {
  if (name[0] !== '#') return ENTITIES[name];
  const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
  return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
