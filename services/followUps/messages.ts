/**
 * What customers read in follow-ups: plain words, the ticket reference, and when they will hear next.
 * Never an exact time frame for the fix (we do not know it); always the time of the next update, kept.
 */
import type { TicketStatus } from '../tickets/types';
import { smsWords } from './smsWording';
import type { ComposedMessage } from './types';

/** "Tuesday 3 March at 10:00 (GMT+1)" in the customer's zone. */
const whenFormats = new Map<string, Intl.DateTimeFormat>();

export function formatWhen(at: Date, timeZone: string): string {
  let format = whenFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    whenFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} at ${get('hour')}:${get('minute')} (${get('timeZoneName')})`;
}

const shortFormats = new Map<string, Intl.DateTimeFormat>();

/** "Tue 3 Mar 10:00 GMT+1": the same time in fewer characters, for SMS. */
export function formatWhenShort(at: Date, timeZone: string): string {
  let format = shortFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    shortFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

const NOW_STATUS: Partial<Record<TicketStatus, string>> = {
  open: 'it is open and waiting in our team\'s queue',
  in_progress: 'a member of our team is now working on it',
  waiting_on_customer: 'we need a little more information from you to carry on',
};

const STILL_STATUS: Partial<Record<TicketStatus, string>> = {
  open: 'it is still in our team\'s queue and has not been picked up yet',
  in_progress: 'our team is still working on it',
  waiting_on_customer: 'we are still waiting for a reply from you',
};

const REOPENED_STILL = 'it is back in our team\'s queue';

export interface Wording {
  brand: string;
  ref: string;
  /** Formatted time of the next update, when there will be one. */
  nextUpdate?: string;
  /** The same, short (for SMS). */
  nextUpdateShort?: string;
  /** Where the customer answers: 'chat' when the message goes into the chat, else the e-mail/SMS wording. */
  via: 'chat' | 'elsewhere';
  /** Whether the ticket has a chat to answer in (a ticket opened from a public post has none). */
  hasChat: boolean;
}

function nextLine(w: Wording): string {
  return w.nextUpdate ? `You'll hear from us again by ${w.nextUpdate} at the latest, sooner if anything changes.` : '';
}

function replyHint(w: Wording): string {
  if (w.via === 'chat') return 'just reply here';
  return w.hasChat ? `reply in the chat where you contacted ${w.brand}` : `send ${w.brand} a message where you first contacted us and quote ${w.ref}`;
}

/** No inbound e-mail path: replies go to the chat when there is one; "stop" is only offered where it works. */
function emailFooter(w: Wording): string {
  const about = `This message is about your ${w.brand} support ticket ${w.ref}. You agreed that we may contact you about it here.`;
  const replies = w.hasChat
    ? `Replies to this e-mail are not added to your ticket: please answer in the chat where you contacted ${w.brand}. To stop these updates, reply "stop" in that chat.`
    : `Replies to this e-mail are not added to your ticket: to reach us, send ${w.brand} a message where you first contacted us and quote ${w.ref}.`;
  return `${about}\n\n${replies}`;
}

function email(w: Wording, subject: string, text: string, extra = ''): Pick<ComposedMessage, 'subject' | 'emailText'> {
  return {
    subject: `${subject} [${w.ref}]`,
    emailText: `Hello,\n\n${text}${extra ? `\n\n${extra}` : ''}\n\n${emailFooter(w)}\n\n${w.brand} Support`,
  };
}

export const followUpWords = {
  update(w: Wording, change: { status?: TicketStatus; reopened?: boolean; notes: string[]; escalated?: boolean; assigned?: boolean }): ComposedMessage {
    const lines = [`Update on your ticket ${w.ref}:`];
    const statusLine = change.reopened ? 'we have reopened it and it is back with our team' : change.status && NOW_STATUS[change.status];
    if (statusLine) lines.push(`${statusLine}.`);
    const extra = change.escalated ? 'A senior colleague is now looking at it.' : change.assigned ? 'A member of our team has taken it on personally.' : undefined;
    if (extra) lines.push(extra);
    for (const note of change.notes) lines.push(`\n\nMessage from our team: "${note}"`);
    if (change.status === 'waiting_on_customer') lines.push(`\n\nWhen you have a moment, ${replyHint(w)}.`);
    const next = nextLine(w);
    const text = `${lines.join(' ').replace(/ \n/g, '\n')}${next ? `\n\n${next}` : ''}`;
    const sms = smsWords.update(w, { ...(statusLine && { statusLine }), ...(extra && { extra }), notes: change.notes, waiting: change.status === 'waiting_on_customer' });
    return { kind: 'update', text, ...email(w, 'Update on your ticket', text), ...sms };
  },

  checkIn(w: Wording, status: TicketStatus, late: boolean, reopened = false): ComposedMessage {
    // A reopened ticket was picked up before: "not picked up yet" would tell the customer their history is lost.
    const still = status === 'open' && reopened ? REOPENED_STILL : (STILL_STATUS[status] ?? 'it is still open');
    const sorry = late ? ' It is taking longer than we aimed for, and we are sorry about that.' : '';
    const text =
      `Checking in on your ticket ${w.ref}: ${still}. There is no news yet, but we have not forgotten you.${sorry}` +
      `\n\n${nextLine(w)}${w.via === 'chat' ? ' (Reply "stop" if you would rather not get these updates.)' : ''}`;
    return { kind: 'check_in', text, ...email(w, 'Still on it: your ticket', text), ...smsWords.checkIn(w, still, late) };
  },

  resolution(w: Wording, notes: string[], reopenDays: number): ComposedMessage {
    const done = notes.length > 0 ? `What we did: ${notes.map((note) => `"${note}"`).join(' ')}` : 'Our team has marked it as sorted.';
    // Only a reply in the chat reopens the ticket: without one, no reopening is promised.
    const reopen = !w.hasChat ? ` If anything is still not right, ${replyHint(w)}.` : reopenDays > 0 ? ` If anything is still not right, ${replyHint(w)} within ${reopenDays} days and we will reopen it.` : '';
    const text = `Good news: your ticket ${w.ref} is resolved. ${done}${reopen}`;
    return { kind: 'resolution', text, ...email(w, 'Resolved: your ticket', text), ...smsWords.resolution(w, notes, reopenDays) };
  },

  csat(w: Wording): ComposedMessage {
    const text = `One quick question about ${w.ref}: how did we do? Reply with a number from 1 (poor) to 5 (great), and add a comment if you like.`;
    // Without a chat there is nowhere an answer is recorded: ask nothing we cannot take.
    const elsewhere = w.hasChat
      ? text.replace('Reply', `Reply in the chat where you contacted ${w.brand}`)
      : `Thank you for your patience with ${w.ref}. If there is anything more we can do, ${replyHint(w)}.`;
    return { kind: 'csat', text, suggestions: ['1', '2', '3', '4', '5'], ...email(w, 'How did we do?', w.via === 'chat' ? text : elsewhere), ...smsWords.csat(w) };
  },

  closed(w: Wording, notes: string[]): ComposedMessage {
    const why = notes.length > 0 ? ` Message from our team: ${notes.map((note) => `"${note}"`).join(' ')}` : '';
    const text = `We have closed your ticket ${w.ref}.${why} If you still need help, ${replyHint(w)} and we will pick it up again.`;
    return { kind: 'closed', text, ...email(w, 'Closed: your ticket', text), ...smsWords.closed(w, notes) };
  },
};

/** How an active ticket stands, in a few words after "CS-… is still". */
const STILL_WORDS: Partial<Record<TicketStatus, string>> = {
  open: 'with our team',
  in_progress: 'being worked on',
  waiting_on_customer: 'waiting for a reply from you',
};

/** Answers in the chat to the customer's own words (the interceptor). */
export const replyWords = {
  optedOut: (ref: string) =>
    `Okay, I won't send you any more updates about ${ref}. The ticket stays open and our team keeps working on it. Say "status" any time, or "resume updates" to hear from us again.`,
  optedOutEnded: (ref: string) => `Okay, I won't send you any more updates about ${ref}. Say "status" any time, or "resume updates" to hear from us again.`,
  optedIn: (ref: string) => `Done: you'll get updates about ${ref} again.`,
  csatThanks: (ref: string, score: number) =>
    score <= 2
      ? `Thank you for telling us, and I'm sorry we let you down. I've recorded your rating on ${ref} and the team will see it. If the problem isn't solved, tell me and I'll reopen the ticket.`
      : `Thank you! I've recorded your rating on ${ref}. If anything else comes up, just write here.`,
  feedbackThanks: (ref: string) =>
    `Thank you, I've passed your feedback on ${ref} to the team. If you'd like to give a score too, reply with a number from 1 (poor) to 5 (great).`,
  /** Words after the score: kept with the rating. */
  commentThanks: (ref: string) => `Thank you, I've added that to your rating of ${ref} for the team.`,
  reopened: (ref: string) => `I've reopened ${ref} and passed your message to our team. I'll keep you posted here.`,
  /** "thanks" / "ok" after the end: the status word is the ticket's own (resolved or closed). */
  welcome: (ref: string, status: 'resolved' | 'closed', canReopen: boolean, thanked: boolean) =>
    `${thanked ? "You're welcome!" : 'Okay!'} ${ref} is ${status}. ${canReopen ? "If anything is still wrong, just tell me and I'll reopen it." : 'If anything else comes up, just write here.'}`,
  /** "thanks" / "ok" / "👍" while the ticket is active. */
  acknowledged: (ref: string, status: TicketStatus, thanked: boolean) =>
    `${thanked ? "You're welcome!" : 'Okay!'} ${ref} is still ${STILL_WORDS[status] ?? 'open'}, and I'll keep you posted here.`,
  addedToTicket: (ref: string, attachments: boolean) =>
    `Added to ${ref}; the team will see it.${attachments ? ' (I noted what you attached; I cannot open files myself.)' : ''}`,
  /** The answer the team asked for: the ticket goes back to them. */
  answerReceived: (ref: string) => `Thank you! I've added that to ${ref} and passed it back to the team, so they can carry on.`,
  /** After the status answer to "when will you reply?": the wait is already phrased ("within about 3 hours"). */
  expectedReply: (expected: { firstReplyWithin?: string; firstReplyLate?: boolean; nextUpdateWithin?: string }) =>
    expected.firstReplyWithin
      ? `Our team aims to reply ${expected.firstReplyWithin}.`
      : expected.firstReplyLate
        ? "It's taking longer than we aimed for to reply, and I'm sorry. You're still in our team's queue; you don't need to do anything more."
        : expected.nextUpdateWithin
          ? `You'll hear from us again ${expected.nextUpdateWithin} at the latest, sooner if anything changes.`
          : "Our team is on it and will update you here as soon as there's news.",
};
