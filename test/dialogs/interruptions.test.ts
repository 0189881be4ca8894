/**
 * Interruptions the way customers actually type them: asking for a person, asking for a status, pasting a
 * ticket reference. The pure recognizer is checked as a table first, then the same phrases go through the
 * real MainDialog (dialogHarness) at the steps where the audit saw them misread.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asksAboutOrderOnly, detectInterruption, detectMenuChoice } from '../../dialogs/intents';
import { type DialogBench, refIn, startDialogBench } from './dialogHarness';

const ASK_ORDER = /What's your order number\?/;
const RETRY_ORDER = /couldn't find an order number in that/;
const ASK_DESCRIPTION = /what went wrong\?/;
const SUMMARY = /Here's what I have:[\s\S]*Shall I open the ticket\?/;
const HANDOFF = /asked a person to take over ticket \*\*CS-[A-Z0-9]{6}\*\*/;
const NO_TICKETS = /can't find any ticket for you yet/;
const MENU = /How can I help\?/;

const PERSON_REQUESTS = [
  'I need a human',
  'live agent',
  'REAL HUMAN!!',
  'customer service please',
  'can I talk to someone',
  'speak to a real person please',
  'get me a human',
  'agent',
  'Can I talk to an agent?',
  'i want a real person',
  'connect me to a human pls',
  'talk to a human being',
  'human please!!!',
  'can i speak with customer support',
  'I need to speak to someone now',
  'representative',
];

/** Descriptions and answers that mention a person but are not asking for one. */
const NOT_PERSON_REQUESTS = [
  'I asked a person at the depot and they said it was delivered',
  'the delivery person left it outside in the rain',
  'someone stole my parcel',
  'customer service never called me back',
  'the agent hung up on me',
  'get me a refund',
  'a human would have noticed the box was crushed',
  'talk about slow, 3 weeks and nothing',
  'no agent came to collect it',
];

const STATUS_QUESTIONS = [
  "what's the status of my ticket?",
  'status of my ticket',
  'any update on my ticket?',
  "what's happening with my case",
  "where's my ticket",
  'check my ticket status',
  'status',
  'STATUS???',
  'where is my ticket',
  'any news?',
  'hi, any updates on my case please',
  'how is my ticket going',
  'ticket status',
];

/** Short messages about an order that has not come: status only when the customer has a ticket. */
const ORDER_WHEREABOUTS = ['where is my order', "where's my order??", 'where is my parcel', 'order status', 'any update on my order?', 'what is the status of my order'];

const NOT_STATUS = [
  'the status page said delivered but nothing came',
  'my order never arrived',
  'tracking has not updated in a week',
  'order AB-2024117 arrived broken',
  'CS-7K3M9Q is still broken and nobody called',
  'where is the rest of my order, only half came',
  'hi',
];

describe('detectInterruption, as a table', () => {
  it.each(PERSON_REQUESTS)('"%s" is a request for a person', (text) => {
    expect(detectInterruption(text, 'CS')).toBe('human');
  });

  it.each(NOT_PERSON_REQUESTS)('"%s" mentions a person but is not a request for one', (text) => {
    expect(detectInterruption(text, 'CS')).toBeUndefined();
  });

  it.each([...STATUS_QUESTIONS, ...ORDER_WHEREABOUTS])('"%s" asks for a status', (text) => {
    expect(detectInterruption(text, 'CS')).toBe('status');
  });

  it.each(NOT_STATUS)('"%s" is not a status question', (text) => {
    expect(detectInterruption(text, 'CS')).not.toBe('status');
  });

  it.each(ORDER_WHEREABOUTS)('"%s" is about the order, not a ticket', (text) => {
    expect(asksAboutOrderOnly(text, 'CS')).toBe(true);
  });

  it.each([...STATUS_QUESTIONS, 'where is my order CS-7K3M9Q'])('"%s" is about a ticket', (text) => {
    expect(asksAboutOrderOnly(text, 'CS')).toBe(false);
  });

  it.each([
    ['CS-7K3M9Q', 'CS'],
    ['cs-7k3m9q', 'CS'],
    ['#CS-7K3M9Q', 'CS'],
    ['  cs 7k3m9q ', 'CS'],
    ['CS7K3M9Q.', 'CS'],
    ['ticket CS-7K3M9Q', 'CS'],
    ['my ticket is #cs-7k3m9q', 'CS'],
    ['HELP-7K3M9Q', 'HELP'],
    ['help-7k3m9q?', 'HELP'],
  ])('a reference on its own ("%s", prefix %s) asks for that ticket\'s status', (text, prefix) => {
    expect(detectInterruption(text, prefix)).toBe('status');
  });

  it.each([
    ['CS-7K3M9Q', 'HELP'],
    ['AB-2024117', 'CS'],
    ['CS-7K', 'CS'],
    // All digits: an order number in the default pattern, not a reference.
    ['CS-234679', 'CS'],
  ])('"%s" with prefix %s is not a ticket reference', (text, prefix) => {
    expect(detectInterruption(text, prefix)).toBeUndefined();
  });
});

describe('detectMenuChoice, as a table', () => {
  it.each([
    ['1', 'report'],
    ['Report a problem', 'report'],
    ['report', 'report'],
    ['2.', 'status'],
    ["Check a ticket's status", 'status'],
    ['3', 'human'],
    ['Talk to a person', 'human'],
    ['human', 'human'],
  ])('"%s" picks %s', (text, choice) => {
    expect(detectMenuChoice(text)).toBe(choice);
  });

  it.each([
    '3 items missing from my order',
    '2 of the 4 plates arrived smashed',
    'person at the door said it was not for me',
    'agent at the depot lost it',
    'check the box, nothing inside',
    'talk about slow delivery',
    'no agent',
  ])('"%s" is a description, not a menu pick', (text) => {
    expect(detectMenuChoice(text)).toBeUndefined();
  });
});

let bench: DialogBench;
beforeEach(async () => {
  bench = await startDialogBench();
});
afterEach(async () => {
  await bench.close();
});

/** Opens one ticket through the dialog and returns its reference. */
async function openedTicket(): Promise<string> {
  const ref = refIn(await bench.play('order AB-2024117 arrived broken', 'here only', 'yes'));
  if (!ref) throw new Error('no ticket opened');
  return ref;
}

describe('asking for a person', () => {
  it.each(PERSON_REQUESTS)('when the customer says "%s" at the order number question, then a person is asked for, not the order again', async (ask) => {
    expect(await bench.says('report')).toMatch(ASK_ORDER);
    const reply = await bench.says(ask);
    expect(reply).toMatch(HANDOFF);
    expect(reply).not.toMatch(RETRY_ORDER);
    expect((await bench.onlyTicket()).humanRequested?.reason).toBe('the customer asked for a person');
    expect(bench.client.dialogContext?.activeDialog).toBeUndefined();
  });

  it.each(['I need a human', 'live agent', 'customer service please'])('when the customer says "%s" at the menu, then a person is asked for and no report starts', async (ask) => {
    expect(await bench.says('hi')).toMatch(MENU);
    const reply = await bench.says(ask);
    expect(reply).toMatch(HANDOFF);
    expect(reply).not.toMatch(ASK_ORDER);
    expect((await bench.onlyTicket()).description).toBeUndefined();
  });

  it.each(['I need a human', 'get me a human'])('when the first message is "%s", then a person is asked for', async (ask) => {
    expect(await bench.says(ask)).toMatch(HANDOFF);
  });

  it('when a long first message mentions a person at the depot, then it is the description of a report', async () => {
    const story = 'I asked a person at the depot and they said it was delivered';
    expect(await bench.says(story)).toMatch(ASK_ORDER);
    expect(await bench.allTickets()).toHaveLength(0);
    await bench.play('AB-2024117', 'here only');
    await bench.says('yes');
    expect(await bench.onlyTicket()).toMatchObject({ description: story, orderNumber: 'AB-2024117' });
    expect((await bench.onlyTicket()).humanRequested).toBeUndefined();
  });

  it.each(NOT_PERSON_REQUESTS)('when "%s" answers "what went wrong?", then it is the description, not a request for a person', async (story) => {
    expect(await bench.play('report', 'AB-2024117', 'here only')).toMatch(ASK_DESCRIPTION);
    const summary = await bench.says(story);
    expect(summary).toMatch(SUMMARY);
    expect(summary).toContain(`What happened: "${story}"`);
    expect(await bench.allTickets()).toHaveLength(0);
  });
});

describe('asking for a status with a ticket open', () => {
  it.each(STATUS_QUESTIONS)('when the customer asks "%s" after opening a ticket, then they get its status and no second ticket', async (ask) => {
    const ref = await openedTicket();
    const reply = await bench.says(ask);
    expect(reply).toContain(`Ticket **${ref}** is received, waiting for our team`);
    expect(reply).not.toMatch(ASK_ORDER);
    expect(bench.client.dialogContext?.activeDialog).toBeUndefined();
    // Following on does not open a duplicate with the question as its description.
    await bench.says('yes');
    expect(await bench.allTickets()).toHaveLength(1);
  });

  it.each(["what's the status of my ticket?", 'any update on my ticket?', 'where is my order'])(
    'when the customer asks "%s" mid-report, then they get the status and the same question again',
    async (ask) => {
      const ref = await openedTicket();
      await bench.play('report', 'CD-7654321', 'here only');
      const reply = await bench.says(ask);
      expect(reply).toContain(`Ticket **${ref}** is received`);
      expect(reply).toMatch(ASK_DESCRIPTION);
    },
  );

  it.each(ORDER_WHEREABOUTS)('when a customer with a ticket asks "%s", then they get its status', async (ask) => {
    const ref = await openedTicket();
    expect(await bench.says(ask)).toContain(`Ticket **${ref}** is received`);
    expect(await bench.allTickets()).toHaveLength(1);
  });

  it('when the customer only has a resolved ticket and asks "where is my order", then they still get its status', async () => {
    const ref = await openedTicket();
    await bench.tickets.changeStatus(ref, 'resolved', { kind: 'agent', id: 'asha' });
    expect(await bench.says('where is my order')).toContain(`Ticket **${ref}** is resolved`);
  });

  it("when a customer without tickets asks \"what's the status of my ticket?\", then they hear there is none", async () => {
    expect(await bench.says("what's the status of my ticket?")).toMatch(NO_TICKETS);
    expect(await bench.allTickets()).toHaveLength(0);
  });
});

describe('an order that has not come, from a customer without any ticket', () => {
  it.each(ORDER_WHEREABOUTS)('when "%s" answers "what went wrong?", then it is the description', async (story) => {
    expect(await bench.play('report', 'AB-2024117', 'here only')).toMatch(ASK_DESCRIPTION);
    const summary = await bench.says(story);
    expect(summary).not.toMatch(NO_TICKETS);
    expect(summary).toMatch(SUMMARY);
    expect(summary).toContain(`What happened: "${story}"`);
  });

  it.each(ORDER_WHEREABOUTS)('when "%s" answers the menu, then a report starts with it as the description', async (story) => {
    expect(await bench.says('hi')).toMatch(MENU);
    const reply = await bench.says(story);
    expect(reply).not.toMatch(NO_TICKETS);
    expect(reply).toMatch(ASK_ORDER);
    await bench.play('AB-2024117', 'here only');
    await bench.says('yes');
    expect((await bench.onlyTicket()).description).toBe(story);
  });

  it('when a story answers the menu or starts a second report, then the bot says sorry once before its question; a bare menu pick says nothing of the kind', async () => {
    const sorry = /sorry/gi;
    await bench.says('hi');
    const afterMenu = await bench.says('the parcel came soaked and the shoes inside are ruined');
    expect(afterMenu.match(sorry)).toHaveLength(1);
    expect(afterMenu).toMatch(/I'm sorry to hear that\.[\s\S]*order number/);
    await bench.play('AB-2024117', 'here only', 'yes');
    expect(await bench.says('another one: order AB-2024999 is missing the charger')).toMatch(/^I'm sorry to hear that\./);
    await bench.says('cancel');
    expect(await bench.says('Report a problem')).not.toMatch(sorry);
  });

  it.each(ORDER_WHEREABOUTS)('when "%s" is the first message, then a report starts with it as the description', async (story) => {
    const reply = await bench.says(story);
    expect(reply).not.toMatch(NO_TICKETS);
    expect(reply).toMatch(ASK_ORDER);
    await bench.play('AB-2024117', 'here only');
    expect(await bench.says('yes')).toMatch(/Your ticket is/);
    expect((await bench.onlyTicket()).description).toBe(story);
  });
});

describe('a ticket reference pasted on its own', () => {
  it.each([(ref: string) => ref, (ref: string) => ref.toLowerCase(), (ref: string) => `#${ref}`, (ref: string) => ` ${ref.replace('-', ' ')} `, (ref: string) => `ticket ${ref}?`])(
    'when the customer pastes their own reference (%#), then they get that ticket\'s status, not the menu',
    async (typed) => {
      const ref = await openedTicket();
      await bench.tickets.changeStatus(ref, 'in_progress', { kind: 'agent', id: 'agent-1' });
      const reply = await bench.says(typed(ref));
      expect(reply).toContain(`Ticket **${ref}** is being worked on`);
      expect(reply).not.toMatch(MENU);
      expect(await bench.allTickets()).toHaveLength(1);
    },
  );

  it('when the customer pastes their reference mid-report, then they get its status and the same question again', async () => {
    const ref = await openedTicket();
    await bench.says('report');
    const reply = await bench.says(`#${ref.toLowerCase()}`);
    expect(reply).toContain(`Ticket **${ref}** is received`);
    expect(reply).toMatch(ASK_ORDER);
  });

  it('when an order number that starts with the prefix answers the order question, then it is the order number', async () => {
    await bench.says('report');
    expect(await bench.says('CS-234679')).toMatch(/How can we reach you/);
    await bench.says('here only');
    expect(await bench.says('it never came')).toContain('Order number: CS-234679');
  });

  it("when the customer pastes someone else's reference, then it reads as not found and shows nothing of it", async () => {
    const other = await bench.tickets.open(
      { customer: { channelId: 'emulator', userId: 'someone-else' }, source: 'dm', orderNumber: 'ZZ-9999999', description: 'their secret story' },
      { kind: 'customer', id: 'someone-else' },
    );
    const reply = await bench.says(`#${other.ref.toLowerCase()}`);
    expect(reply).toContain(`I can't find ticket ${other.ref} for you`);
    expect(reply).not.toMatch(/waiting for our team|ZZ-9999999|secret|How can I help/);
  });
});
