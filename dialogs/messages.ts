/** Everything the bot says to customers, in one place so tone stays consistent and reviewable. */
import { STATUS_FOR_CUSTOMER } from '../services/tickets/lifecycle';
import type { Ticket } from '../services/tickets/types';

export const say = {
  greeting: (brand: string, name?: string) =>
    `Hi${name ? ` ${name.split(' ')[0]}` : ''}! I'm ${brand}'s automated assistant. I can help you:\n\n` +
    `1. Report a problem with an order\n2. Check a ticket's status\n3. Talk to a person\n\n` +
    `Just tell me what happened, or pick one. You can say "help", "start over" or "agent" at any time.`,
  /** For a first message that already says what the customer wants: who we are, no menu, no "tell me what happened". */
  greetingForProblem: (brand: string, name?: string) =>
    `Hi${name ? ` ${name.split(' ')[0]}` : ''}, I'm ${brand}'s automated assistant. I'm sorry about this: I'll take a few details and open a ticket so our team can put it right. You can say "agent" at any time to reach a person.`,
  greetingForRequest: (brand: string, name?: string) =>
    `Hi${name ? ` ${name.split(' ')[0]}` : ''}, I'm ${brand}'s automated assistant. You can say "help", "start over" or "agent" at any time.`,
  menu: 'How can I help? You can report a problem with an order, check a ticket\'s status, or talk to a person.',
  help: (prefix: string) =>
    `I'm an automated assistant. I collect what our support team needs (your order number, how to reach you and what went wrong) and open a ticket you can quote.\n\n` +
    `- "start over" begins again, "cancel" stops what we're doing\n- "agent" asks for a person\n- "status" or "where is ${prefix}-XXXXXX" shows a ticket's status`,
  cancelled: 'Okay, I\'ve stopped. Nothing was sent. Say hi whenever you want to start again.',
  restarting: 'Sure, let\'s start over.',
  nothingToCancel: (openRef?: string) =>
    `Okay. There's nothing in progress to stop${openRef ? `, and your ticket **${openRef}** stays open with our team` : ''}. Say hi whenever you need me.`,
  contextFromPost: (platformName: string, gist: string) =>
    `I see your post on ${platformName} about ${gist}. I'm sorry about this, let's sort it out here, privately, so you don't have to repeat the story.`,
  /** After the post's context: what the bot asks first, in a DM opened from a public post. */
  openingFromPost: "Reply with your order number if you have it handy, or just say hi and I'll guide you from there.",
  /** The post's DM link opened again once its ticket exists (or a later post already on that ticket). */
  postAlreadyOnTicket: (ref: string) => `Welcome back. Your post is with us as ticket ${ref}: say "status" for the latest, or tell me anything new and I'll add it.`,
  /** A later post's DM link opened in the conversation of the customer's active ticket: the post went onto it. */
  newPostAddedToTicket: (ref: string) => `I've added your new post to ticket ${ref} — the team will see it. Tell me anything else and I'll add it too.`,
  askOrderNumber: (example: string) => `What's your order number? It looks like ${example}. If you don't have it, say "skip".`,
  retryOrderNumber: (example: string) =>
    `I couldn't find an order number in that. It's on your confirmation e-mail and looks like ${example} (letters, then digits). Say "skip" if you don't have it.`,
  offerPersonForOrder: 'I still can\'t match that to an order number. Would you like me to pass this to a person who can look it up? (yes / no)',
  contactNotedAskOrderAgain: 'Thanks, I\'ve noted how to reach you.',
  continuingWithoutOrder: 'No problem, we\'ll carry on without it. The team can find the order from your details.',
  sorryToHear: 'I\'m sorry to hear that. Let\'s get it sorted.',
  askContact: 'How can we reach you if this chat closes? Send your e-mail address and/or phone number (with country code if you\'re abroad). Say "here only" to keep it to this chat.',
  retryContact: 'I couldn\'t find an e-mail address or a phone number in that. Try something like name@example.com or +44 20 7946 0958, or say "here only".',
  retryPhoneCountryCode:
    'That looks like a phone number, but I can\'t tell which country it\'s from. Please send it with the country code, like +44 7911 123456, or send an e-mail address instead.',
  phoneNotReadKeptEmail:
    'I\'ve got your e-mail. The phone number I couldn\'t place in a country, so I\'ve left it out: to add it, say "change my phone" at the summary and send it with the country code, like +44 7911 123456.',
  contactKeptToChat: 'No problem, we\'ll keep it to this chat for now. You can still add an e-mail or phone number at the summary.',
  askPreferred: 'Which should we use first: e-mail, phone, or here in this chat?',
  askConsent: (where: string) => `Is it okay for us to contact you at ${where} about this ticket only? (yes / no)`,
  askDescription: 'In a few words, what went wrong?',
  retryDescription: 'Could you describe it in words? I can\'t read pictures or files here, but the team will see them.',
  summary: (lines: string[]) => `Here's what I have:\n\n${lines.map((line) => `- ${line}`).join('\n')}\n\nShall I open the ticket? Say "yes", or tell me what to change (for example "change my email").`,
  didNotCatchConfirm: 'Sorry, I didn\'t catch that. Say "yes" to open the ticket, or tell me what to change: the order number, e-mail, phone, or the description.',
  askWhatToChange: 'What would you like to change: the order number, e-mail, phone, or the description?',
  ticketOpened: (ref: string, firstResponse: string) =>
    `Done. Your ticket is **${ref}**: quote it any time. A person from our team will pick it up ${firstResponse}, and I'll keep you posted here. Say "status" whenever you want an update.`,
  /** The answer to a customer's first e-mail (Email channel): the ticket exists already, replies stay in the thread. */
  mailTicketOpened: (ref: string, firstResponse: string, askOrder?: string) =>
    `Thank you for writing to us. We've opened ticket **${ref}** for this; please keep the reference when you write about it.\n\n` +
    `A person from our team will pick it up ${firstResponse}, and we'll answer you here, in this e-mail thread. Reply "status" at any time for the latest on your ticket.` +
    (askOrder ? `\n\nIf you have your order number (it looks like ${askOrder}), please reply with it so the team can find your order straight away.` : ''),
  mailHelp: (ref?: string) =>
    `${ref ? `Your ticket is **${ref}**. ` : ''}Reply in this thread with anything the team should know, and it goes onto your ticket. ` +
    `Reply "status" for the latest, "agent" to ask for a person, or "stop" for no more updates.`,
  addedToTicket: (ref: string, orderNumber: string) =>
    `You already have ticket **${ref}** open for order ${orderNumber}, so I've added this to it rather than opening another. The team sees everything in one place, and I'll keep you posted here.`,
  ticketStatus: (ticket: Ticket) => {
    const meaning = STATUS_FOR_CUSTOMER[ticket.status];
    return `Ticket **${ticket.ref}** is ${meaning.label}. ${meaning.next}`;
  },
  noTickets: 'I can\'t find any ticket for you yet. Tell me what happened and I\'ll open one.',
  ticketNotFound: (ref: string) => `I can't find ticket ${ref} for you. Check the reference, or say "status" to see your tickets.`,
  nonTextReceived: 'Thanks! I can only read text here, but the team will see what you sent.',
  askAboutFile: 'Tell me in a few words what happened, and I\'ll open a ticket with it for our team.',
  reactionReceived: 'Thanks for the reaction!',
  turnError: 'Sorry, something went wrong on my side. Your ticket details are safe. Please send your last message again, or say "agent" to reach a person.',
  anythingElse: 'Is there anything else I can help with?',
  confirmWithdraw: (ref: string) => `Glad it's sorted! Shall I close **${ref}**? (yes/no)`,
  whichToWithdraw: (lines: string[]) => `Glad it's sorted! You have ${lines.length} open tickets:\n\n${lines.map((line) => `- ${line}`).join('\n')}\n\nWhich one shall I close?`,
  retryWhichToWithdraw: (refs: string[]) => `Which ticket shall I close: ${refs.join(', ')}? Or say "none" to leave them open.`,
  withdrawn: (ref: string, reopenDays?: number) =>
    `Done: I've closed **${ref}** as sorted, and the team won't work on it any more. ` +
    `If anything turns out to be wrong, just reply here${reopenDays ? ` within ${reopenDays} days` : ''} and I'll reopen it.`,
  withdrawKept: (ref?: string) => (ref ? `Okay, **${ref}** stays open with our team.` : 'Okay, I\'ve left your tickets as they are.'),
  mailWithdrawn: (ref: string, reopenDays: number) =>
    `Thank you for letting us know, and we're glad it's sorted. We've closed ticket **${ref}**. ` +
    `If anything is still wrong, just reply to this e-mail within ${reopenDays} days and we'll reopen it.`,
  nothingToWithdraw: 'Glad it\'s sorted! You have no open ticket with us, so there\'s nothing to close.',
  alreadyEnded: (ref: string, status: string) => `Ticket **${ref}** is already ${status}, so there's nothing to close. Glad it's sorted!`,
};

/** "within about 4 hours", "within about 15 minutes", "within about a day". */
export function describeWait(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `within about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `within about ${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return `within about ${days === 1 ? 'a day' : `${days} days`}`;
}
