/**
 * The real MainDialog under botbuilder-testing's DialogTestClient, over a real TicketService and bot
 * state on an in-memory NeDB store: what the customer types goes through every recognizer and ticket rule.
 */
import { afterEach, beforeEach } from 'vitest';
import { type Activity, ConversationState, type Middleware } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { ConversationData, DialogServices } from '../../dialogs/dialogServices';
import { MainDialog } from '../../dialogs/mainDialog';
import { ManualClock } from '../../services/clock';
import { loadConfig } from '../../services/config';
import { promisedBy, staffedHoursOf } from '../../services/handoff/staffedHours';
import type { HumanHandoff } from '../../services/handoff/types';
import { createOrderNumberRecognizer, DEFAULT_ORDER_NUMBER_PATTERN } from '../../services/recognition/orderNumber';
import { BotStateStorage } from '../../services/store/botStateStorage';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Database } from '../../services/store/types';
import { AuditTrail, type AuditRecord } from '../../services/tickets/audit';
import { TicketService } from '../../services/tickets/ticketService';
import type { PublicPostSummary, Ticket } from '../../services/tickets/types';

export const CUSTOMER = { id: 'user-priya', name: 'Priya Raman' };

/** The dialogs only need to hand the request over and say what the handoff answers; queueing is tested in test/handoff. */
const stubHandoff: HumanHandoff = {
  request: async (ticket) => `I've asked a person to take over ticket **${ticket.ref}**. A member of our support team will join this chat shortly.`,
};

export interface DialogBench {
  db: Database;
  tickets: TicketService;
  clock: ManualClock;
  client: DialogTestClient;
  /** Sends one message as the customer; returns every reply of that turn, joined by blank lines. */
  says(text: string, fields?: Partial<Activity>): Promise<string>;
  /** Sends a prepared activity (e.g. with a fixed id) and returns the replies. */
  send(activity: Partial<Activity>): Promise<string>;
  /** Says every line in turn; returns the bot's answer to the last one. */
  play(...lines: string[]): Promise<string>;
  data(): Promise<ConversationData>;
  onlyTicket(): Promise<Ticket>;
  allTickets(): Promise<Ticket[]>;
  close(): Promise<void>;
}

/** What the report dialog says at each step, as the table tests match it. */
export const ASK_ORDER = /What's your order number\? It looks like AB-2024117/;
export const ASK_CONTACT = /How can we reach you/;
export const ASK_CONSENT = /okay for us to contact you/;
export const ASK_DESCRIPTION = /what went wrong\?/;
export const SUMMARY = /Here's what I have:[\s\S]*Shall I open the ticket\?/;
export const OPENED = /Your ticket is \*\*CS-[A-Z0-9]{6}\*\*/;

/** A fresh bench for every test of the file; the object returned always speaks for the current test's bench. */
export function useDialogBench(): DialogBench {
  let current: DialogBench | undefined;
  beforeEach(async () => {
    current = await startDialogBench();
  });
  afterEach(async () => {
    await current?.close();
  });
  return new Proxy({} as DialogBench, {
    get: (_target, key: keyof DialogBench) => {
      const value = current![key];
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}

/** Monday 10:00 UTC: inside the default staffed hours, so handoff replies are stable. */
export const STAFFED_MONDAY = '2026-03-02T10:00:00Z';

/** The default staffed hours, read once: the dialogs' reply-by promises are computed against them. */
const DEFAULT_STAFFED_HOURS = staffedHoursOf(loadConfig({}));

export async function startDialogBench(options: { orderNumberPattern?: string; cameFromPost?: PublicPostSummary } = {}): Promise<DialogBench> {
  const db = await openNedbDatabase(':memory:');
  const clock = new ManualClock(STAFFED_MONDAY);
  const ticketDocs = db.collection<Ticket>('tickets');
  const auditDocs = db.collection<AuditRecord>('auditEvents');
  await TicketService.createIndexes(ticketDocs, auditDocs);
  const tickets = new TicketService(ticketDocs, new AuditTrail(auditDocs, clock), { prefix: 'CS', clock });
  const conversationState = new ConversationState(new BotStateStorage(db.collection('botState')));
  const conversationData = conversationState.createProperty<ConversationData>('conversationData');
  const services: DialogServices = {
    tickets,
    orderNumbers: createOrderNumberRecognizer(options.orderNumberPattern ?? DEFAULT_ORDER_NUMBER_PATTERN),
    phoneRegion: 'US',
    brandName: 'Acme',
    ticketPrefix: 'CS',
    handoff: stubHandoff,
    conversationData,
    replyBy: (now, due) => promisedBy(now, due, DEFAULT_STAFFED_HOURS),
  };
  const middlewares: Middleware[] = [];
  const cameFromPost = options.cameFromPost;
  if (cameFromPost) {
    // What the DM-link interceptor does when the customer arrives from a public post.
    middlewares.push({
      onTurn: async (context, next) => {
        const data = await conversationData.get(context, {});
        if (!data.greeted) Object.assign(data, { greeted: true, publicPost: cameFromPost });
        await next();
      },
    });
  }
  const client = new DialogTestClient('emulator', new MainDialog(services), undefined, middlewares, conversationState);

  let conversationKey: string | undefined;
  const send = async (activity: Partial<Activity>): Promise<string> => {
    // sendActivity hands back the first reply and leaves the rest in the buffer.
    const replies: string[] = [];
    for (let reply = await client.sendActivity({ type: 'message', from: CUSTOMER, ...activity }); reply; reply = client.getNextReply()) {
      conversationKey = `${reply.channelId}/conversations/${reply.conversation.id}`;
      if (reply.type === 'message') replies.push(reply.text ?? '');
    }
    return replies.join('\n\n');
  };
  const play = async (...lines: string[]): Promise<string> => {
    let reply = '';
    for (const line of lines) reply = await send({ text: line });
    return reply;
  };
  const allTickets = () => ticketDocs.find({}, { sort: { createdAt: 1 } });

  return {
    db,
    tickets,
    clock,
    client,
    send,
    play,
    says: (text, fields = {}) => send({ text, ...fields }),
    data: async () => {
      if (!conversationKey) return {};
      // What the last turn saved, as the next turn will read it.
      const items = await new BotStateStorage(db.collection('botState')).read([conversationKey]);
      return (Object.values(items)[0]?.conversationData ?? {}) as ConversationData;
    },
    allTickets,
    onlyTicket: async () => {
      const all = await allTickets();
      if (all.length !== 1) throw new Error(`expected exactly one ticket, found ${all.length}`);
      return all[0];
    },
    close: () => db.close(),
  };
}

/** "**CS-7K3M9Q**" in a reply → "CS-7K3M9Q". */
export function refIn(reply: string): string | undefined {
  return /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(reply)?.[1];
}
