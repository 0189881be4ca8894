/**
 * User says → bot replies, through the real MainDialog, recognizers and TicketService (in-memory NeDB).
 * Inputs are written the way customers type: order numbers inside sentences, lower case, emoji, typos.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { ASK_CONSENT, ASK_CONTACT, ASK_DESCRIPTION, ASK_ORDER, OPENED, refIn, STAFFED_MONDAY, SUMMARY, startDialogBench, useDialogBench } from './dialogHarness';

const RETRY_ORDER = /couldn't find an order number in that\. .*looks like AB-2024117/;
const ASK_PREFERRED = /Which should we use first/;

const bench = useDialogBench();

describe('order number', () => {
  it.each([
    ["it's order #AB-2024117, arrived broken", 'AB-2024117'],
    ['ab2024117 🙏 box arrived crushed', 'AB-2024117'],
    ['ORDER NO. cd-12345678!!! never came 😤😤', 'CD-12345678'],
    ['hey so my order 20241170 is missing a part??', '20241170'],
    ['Wrong colour sent (order ref: XYZ-0000123) pls help', 'XYZ-0000123'],
    ['order AB 2024117 came smashed', 'AB-2024117'],
    ['my order number is ab 2024117, it came smashed', 'AB-2024117'],
  ])('when the first message "%s" carries the number, then it is not asked for and the summary shows %s', async (first, expected) => {
    const afterFirst = await bench.says(first);
    expect(afterFirst).toMatch(ASK_CONTACT);
    expect(afterFirst).not.toMatch(ASK_ORDER);
    const summary = await bench.says('here only');
    expect(summary).toMatch(SUMMARY);
    expect(summary).toContain(`Order number: ${expected}`);
    await bench.says('yes');
    expect((await bench.onlyTicket()).orderNumber).toBe(expected);
  });

  // A phone given here is kept, not retried: test/dialogs/orderPromptAnswers.test.ts.
  it.each([['12'], ['abc'], ['order #'], ['🤷‍♀️'], ['AB-12']])(
    'when the customer answers "%s" to the order question, then the bot re-asks and says what a valid number looks like',
    async (answer) => {
      expect(await bench.play('report a problem')).toMatch(ASK_ORDER);
      expect(await bench.says(answer)).toMatch(RETRY_ORDER);
    },
  );

  it.each([['skip'], ["I don't have it"], ['lost it sorry'], ['no idea']])(
    'when the customer says "%s" at the order question, then the dialog carries on without one',
    async (answer) => {
      await bench.play('report');
      expect(await bench.says(answer)).toMatch(ASK_CONTACT);
      await bench.says('here only');
      const summary = await bench.says('the parcel never came');
      expect(summary).toContain('Order number: not given');
      await bench.says('yes');
      expect((await bench.onlyTicket()).orderNumber).toBeUndefined();
    },
  );

  it('after three invalid numbers the bot offers a person; "yes" records the request on a new ticket', async () => {
    await bench.play('report', '12', 'abc');
    const offer = await bench.says('xyz');
    expect(offer).toMatch(/pass this to a person/);
    const handoff = await bench.says('yes please');
    expect(handoff).toMatch(/asked a person to take over ticket \*\*CS-/);
    const ticket = await bench.onlyTicket();
    expect(ticket.humanRequested?.reason).toMatch(/valid order number/);
    expect(refIn(handoff)).toBe(ticket.ref);
    const audit = await bench.tickets.audit.list(ticket.ref);
    expect(audit.map((event) => event.action)).toEqual(['ticket.opened', 'ticket.human_requested']);
  });

  it('after three invalid numbers, "no" carries on without an order number and opens no ticket yet', async () => {
    await bench.play('report', '12', 'abc', 'xyz');
    const carryOn = await bench.says('no');
    expect(carryOn).toMatch(/carry on without it/);
    expect(carryOn).toMatch(ASK_CONTACT);
    expect(await bench.allTickets()).toHaveLength(0);
  });
});

describe('contact details', () => {
  const ORDER_AND_STORY = 'order AB-2024117 arrived broken';

  it.each([
    {
      says: 'priya.r@example.com and +1 415 555 0132',
      then: ['phone', 'yes'],
      contact: { email: 'priya.r@example.com', phone: '+14155550132', preferred: 'phone', consent: true },
    },
    { says: 'you can email me: Priya.R@Example.COM', then: ['yes'], contact: { email: 'Priya.R@example.com', preferred: 'email', consent: true } },
    { says: 'call (415) 555-0132 after 5pm', then: ['yes'], contact: { phone: '+14155550132', preferred: 'phone', consent: true } },
    { says: '+44 20 7946 0958 / p.raman@example.co.uk', then: ['email', 'no'], contact: { email: 'p.raman@example.co.uk', phone: '+442079460958', preferred: 'email', consent: false } },
    { says: 'priya.r@example.com, 415.555.0132', then: ['here in this chat', 'yes'], contact: { email: 'priya.r@example.com', phone: '+14155550132', preferred: 'dm', consent: true } },
  ])('when the customer writes "$says", then the ticket keeps $contact', async ({ says, then, contact }) => {
    await bench.says(ORDER_AND_STORY);
    for (const line of then.slice(0, -1)) await bench.says(line);
    const both = Boolean(contact.email && contact.phone);
    const afterContact = await bench.says(says);
    expect(afterContact).toMatch(both ? ASK_PREFERRED : ASK_CONSENT);
    // The consent question names the details masked, never in full.
    if (!both) expect(afterContact).not.toContain(contact.email ?? contact.phone);
    let reply = afterContact;
    for (const line of then) reply = await bench.says(line);
    expect(reply).toMatch(SUMMARY);
    await bench.says('yes');
    expect((await bench.onlyTicket()).contact).toEqual(contact);
  });

  it.each([['here only'], ['just here thanks'], ["I'd rather not"], ['skip'], ['no'], ['Nope.'], ['no thanks 🙂']])(
    'when the customer answers "%s", then no contact is kept and the summary says this chat only',
    async (answer) => {
      await bench.says(ORDER_AND_STORY);
      const summary = await bench.says(answer);
      expect(summary).toContain('Contact: here in this chat only');
      await bench.says('yes');
      expect((await bench.onlyTicket()).contact).toBeUndefined();
    },
  );

  it('when the customer says no to being contacted there, then the summary does not offer those details as a way to reach them', async () => {
    await bench.says(ORDER_AND_STORY);
    await bench.says('priya.r@example.com');
    const summary = await bench.says('no');
    expect(summary).toMatch(/Contact: here in this chat only \(you asked us not to use your e-mail p\S+@example\.com\)/);
    expect(summary).not.toMatch(/preferred/);
  });

  it('when the answer holds neither an e-mail nor a phone, then the bot re-asks with examples', async () => {
    await bench.says(ORDER_AND_STORY);
    expect(await bench.says('dunno, whatever')).toMatch(/couldn't find an e-mail address or a phone number.*name@example\.com/);
  });
});

describe('description and slot filling', () => {
  it('keeps the description verbatim, emoji, capitals and punctuation included', async () => {
    const story = 'The box was EMPTY!!! 😡 only packing paper… ¯\\_(ツ)_/¯ — 2nd time this month';
    await bench.play('report', 'AB-2024117', 'here only');
    expect(await bench.says(`  ${story}  `)).toContain(`"${story}"`);
    await bench.says('yes');
    expect((await bench.onlyTicket()).description).toBe(story);
  });

  it('when the first message has the order number and the story, then only contact is asked and both are confirmed', async () => {
    const first = 'Hi, SMS says my parcel AB-2024117 was delivered and collected by me personally. It was not.';
    const replies = [await bench.says(first), await bench.says('here only')];
    expect(replies[0]).toMatch(ASK_CONTACT);
    expect(replies.join('\n')).not.toMatch(ASK_ORDER);
    expect(replies.join('\n')).not.toMatch(ASK_DESCRIPTION);
    expect(replies[1]).toContain('Order number: AB-2024117');
    expect(replies[1]).toContain(`What happened: "${first}"`);
  });

  it('when the first message also has an e-mail, then only consent is asked before the summary', async () => {
    expect(await bench.says('order AB-2024117 arrived smashed, email me at priya.r@example.com')).toMatch(ASK_CONSENT);
    const summary = await bench.says('yes');
    expect(summary).toMatch(SUMMARY);
    expect(summary).toContain('e-mail p•••••r@example.com');
  });

  it('when the customer came from a public post that gave the order number, then it is confirmed, not asked again', async () => {
    const fromPost = await startDialogBench({
      cameFromPost: { platform: 'x', postId: '1', text: '@Acme order #AB-2024117 arrived smashed, so disappointed', authorId: 'a1', postedAt: new Date(STAFFED_MONDAY) },
    });
    onTestFinished(() => fromPost.close());
    const reply = await fromPost.says('hi');
    expect(reply).not.toMatch(/What's your order number/);
    expect(reply).toMatch(ASK_CONTACT);
    const summary = await fromPost.says('here only');
    expect(summary).toContain('Order number: AB-2024117');
    // The leading "@Acme" only addressed the post: it is not part of what happened.
    expect(summary).toContain('What happened: "order #AB-2024117 arrived smashed, so disappointed"');
  });

  it('when a report that began with the first message ends, then the next message starts afresh instead of answering a stale menu', async () => {
    await bench.play('order AB-2024117 arrived broken', 'here only');
    const opened = await bench.says('yes');
    expect(opened).toMatch(OPENED);
    expect(opened).not.toMatch(/How can I help\?/);
    expect(bench.client.dialogContext?.activeDialog).toBeUndefined();
  });
});

describe('confirming and correcting the summary', () => {
  /** A complete draft: order number, e-mail with consent, description; the summary is showing. */
  async function atSummary(): Promise<string> {
    return bench.play('order AB-2024117 arrived broken', 'priya.r@example.com', 'yes');
  }

  it('shows masked contact details and opens the ticket on "yes"', async () => {
    const summary = await atSummary();
    expect(summary).toMatch(SUMMARY);
    expect(summary).not.toContain('priya.r@example.com');
    const opened = await bench.says('Yes!');
    expect(opened).toMatch(OPENED);
    expect(opened).toMatch(/within about 1 hour/);
    const ticket = await bench.onlyTicket();
    expect(refIn(opened)).toBe(ticket.ref);
    expect(ticket).toMatchObject({ status: 'open', priority: 'high', source: 'dm', customer: { channelId: 'emulator', userId: 'user-priya' } });
  });

  it.each([
    ['change my email', /What e-mail address should we use\?/, 'new.me@example.org', { email: 'new.me@example.org', orderNumber: 'AB-2024117' }],
    ['the order number is wrong', ASK_ORDER, 'its CD-7654321', { email: 'priya.r@example.com', orderNumber: 'CD-7654321' }],
    ['can I add my phone', /What phone number should we use\?/, '+1 415 555 0132', { email: 'priya.r@example.com', phone: '+14155550132', orderNumber: 'AB-2024117' }],
  ])('"%s" re-asks only that field and comes back to the summary', async (correction, question, answer, expected) => {
    await atSummary();
    expect(await bench.says(correction)).toMatch(question);
    let reply = await bench.says(answer);
    // New contact details need fresh consent (and a preference when there are two).
    if (ASK_PREFERRED.test(reply)) reply = await bench.says('email');
    if (ASK_CONSENT.test(reply)) reply = await bench.says('yes');
    expect(reply).toMatch(SUMMARY);
    expect(reply).toContain('What happened: "order AB-2024117 arrived broken"');
    await bench.says('yes');
    const ticket = await bench.onlyTicket();
    expect({ orderNumber: ticket.orderNumber, email: ticket.contact?.email, ...(ticket.contact?.phone && { phone: ticket.contact.phone }) }).toEqual(expected);
  });

  it('opened outside staffed hours, says when the team is back rather than a wait that runs through the night', async () => {
    await atSummary();
    bench.clock.set('2026-03-01T22:00:00Z'); // a Sunday evening
    const opened = await bench.says('yes');
    expect(opened).toMatch(OPENED);
    expect(opened).toMatch(/pick it up when the team is back on Monday at 08:00/);
  });

  it('"change the description" asks for it again and keeps the new words verbatim', async () => {
    await atSummary();
    expect(await bench.says('change the description')).toMatch(ASK_DESCRIPTION);
    expect(await bench.says('Lid cracked, liquid everywhere')).toContain('What happened: "Lid cracked, liquid everywhere"');
  });

  it('an e-mail typed straight into the summary replaces the old one after consent', async () => {
    await atSummary();
    expect(await bench.says('actually use p.raman@example.net')).toMatch(ASK_CONSENT);
    const summary = await bench.says('yes');
    expect(summary).toContain('e-mail p•••••n@example.net');
    await bench.says('yes');
    expect((await bench.onlyTicket()).contact).toEqual({ email: 'p.raman@example.net', preferred: 'email', consent: true });
  });

  it('a phone typed into the summary after "here only" becomes the preferred way to reach the customer', async () => {
    await bench.play('order AB-2024117 arrived broken', 'here only');
    expect(await bench.says('call me on 415 555 0132 instead')).toMatch(ASK_CONSENT);
    expect(await bench.says('yes')).toContain('phone +1 •••• ••0132 (preferred: phone)');
    await bench.says('yes');
    expect((await bench.onlyTicket()).contact).toEqual({ phone: '+14155550132', preferred: 'phone', consent: true });
  });

  it.each([['use 4155550132 instead'], ['my number is 415 555 0132'], ['415-555-0132']])(
    'a number typed into the summary that is a phone ("%s") becomes the phone, and the order number stays',
    async (answer) => {
      await atSummary();
      let reply = await bench.says(answer);
      if (ASK_PREFERRED.test(reply)) reply = await bench.says('email');
      if (ASK_CONSENT.test(reply)) reply = await bench.says('yes');
      expect(reply).toContain('Order number: AB-2024117');
      await bench.says('yes');
      expect(await bench.onlyTicket()).toMatchObject({ orderNumber: 'AB-2024117', contact: { phone: '+14155550132' } });
    },
  );

  it('a bare number the customer calls their order ("order is 4155550132") replaces the order number', async () => {
    await atSummary();
    expect(await bench.says('the order is 4155550132')).toContain('Order number: 4155550132');
  });

  it.each([['yes, email is fine'], ['Yes please email me'], ['yes that email is correct'], ['👍'], ['👍🏽'], ['✅'], ['👌 ']])(
    '"%s" at the summary opens the ticket instead of asking for the e-mail again',
    async (answer) => {
      await atSummary();
      expect(await bench.says(answer)).toMatch(OPENED);
      expect((await bench.onlyTicket()).contact?.email).toBe('priya.r@example.com');
    },
  );

  it('"yes but the email is wrong" asks for the e-mail again', async () => {
    await atSummary();
    expect(await bench.says('yes but the email is wrong')).toMatch(/What e-mail address should we use\?/);
    expect(await bench.allTickets()).toHaveLength(0);
  });

  it.each([
    ['no', /What would you like to change/],
    ['hmm', /didn't catch that/],
    ['👎', /What would you like to change/],
    ['❌', /What would you like to change/],
  ])('"%s" at the summary opens nothing and asks what to change', async (answer, reply) => {
    await atSummary();
    expect(await bench.says(answer)).toMatch(reply);
    expect(await bench.allTickets()).toHaveLength(0);
    expect(await bench.says('email')).toMatch(/What e-mail address/);
  });
});

/** How to reach each step, and the question that step asks (what "help" must repeat). */
const STEPS: Array<{ step: string; script: string[]; question: RegExp; draftOrder?: string }> = [
  { step: 'the menu', script: ['hi'], question: /How can I help\?/ },
  { step: 'the order number', script: ['report'], question: ASK_ORDER },
  // A re-prompt after an interruption asks the question itself again, not the retry wording.
  { step: 'the order number retry', script: ['report', '12'], question: ASK_ORDER },
  { step: 'the offer of a person', script: ['report', '1', '2', '3'], question: /pass this to a person/ },
  { step: 'the contact details', script: ['order AB-2024117 arrived broken'], question: ASK_CONTACT, draftOrder: 'AB-2024117' },
  {
    step: 'the preferred method',
    script: ['order AB-2024117 arrived broken', 'priya.r@example.com, +1 415 555 0132'],
    question: ASK_PREFERRED,
    draftOrder: 'AB-2024117',
  },
  { step: 'the consent', script: ['order AB-2024117 arrived broken', 'priya.r@example.com'], question: ASK_CONSENT, draftOrder: 'AB-2024117' },
  { step: 'the description', script: ['report', 'AB-2024117', 'here only'], question: ASK_DESCRIPTION, draftOrder: 'AB-2024117' },
  { step: 'the summary', script: ['order AB-2024117 arrived broken', 'here only'], question: SUMMARY, draftOrder: 'AB-2024117' },
];

describe('interruptions at every step', () => {
  it.each(STEPS)('"help" at $step explains and asks the same question again', async ({ script, question }) => {
    await bench.play(...script);
    const reply = await bench.says('help');
    expect(reply).toMatch(/I'm an automated assistant/);
    expect(reply).toMatch(/"where is CS-XXXXXX"/);
    expect(reply).toMatch(question);
    // And the step still takes its answer afterwards.
    expect(bench.client.dialogContext?.activeDialog).toBeDefined();
  });

  it.each(STEPS)('"cancel" at $step stops, opens nothing and forgets the draft', async ({ script }) => {
    await bench.play(...script);
    expect(await bench.says('cancel')).toMatch(/I've stopped/);
    expect(bench.client.dialogContext?.activeDialog).toBeUndefined();
    expect(await bench.allTickets()).toHaveLength(0);
    expect((await bench.data()).draft).toBeUndefined();
  });

  it.each(STEPS)('"start over" at $step begins again at the menu with nothing remembered', async ({ script }) => {
    await bench.play(...script);
    const reply = await bench.says('start over');
    expect(reply).toMatch(/start over/);
    expect(reply).toMatch(/How can I help\?/);
    expect((await bench.data()).draft).toBeUndefined();
    // The next report asks for the order number afresh.
    expect(await bench.says('report')).toMatch(ASK_ORDER);
  });

  it.each(STEPS)('"agent" at $step records the request on a new ticket holding the draft', async ({ script, draftOrder }) => {
    await bench.play(...script);
    const reply = await bench.says('can I talk to a human');
    expect(reply).toMatch(/asked a person to take over ticket \*\*CS-[A-Z0-9]{6}\*\*/);
    expect(reply).toMatch(/join this chat shortly/);
    const ticket = await bench.onlyTicket();
    expect(ticket.humanRequested?.reason).toBe('the customer asked for a person');
    expect(ticket.orderNumber).toBe(draftOrder);
  });

  it('"agent" at the consent question opens a ticket that already knows the e-mail just given', async () => {
    await bench.play('order AB-2024117 arrived broken', 'priya.r@example.com');
    await bench.says('agent');
    expect((await bench.onlyTicket()).contact).toMatchObject({ email: 'priya.r@example.com', consent: false });
  });

  it.each(STEPS)('"status" at $step answers (no tickets yet) and asks the same question again', async ({ script, question }) => {
    await bench.play(...script);
    const reply = await bench.says('status');
    expect(reply).toMatch(/can't find any ticket for you yet/);
    expect(reply).toMatch(question);
  });

  it.each([['agent'], ['human'], ['a real person please'], ['I want to speak to someone'], ['Can I talk to an agent?']])(
    '"%s" at the summary is a request for a person, kept with the whole draft',
    async (ask) => {
      await bench.play('order AB-2024117 arrived broken', 'priya.r@example.com', 'yes');
      expect(await bench.says(ask)).toMatch(/asked a person to take over/);
      expect(await bench.onlyTicket()).toMatchObject({
        orderNumber: 'AB-2024117',
        description: 'order AB-2024117 arrived broken',
        contact: { email: 'priya.r@example.com', consent: true },
        humanRequested: { reason: 'the customer asked for a person' },
      });
    },
  );

  it('"agent" after a ticket exists records the request on that ticket instead of opening another', async () => {
    const opened = await bench.play('order AB-2024117 arrived broken', 'here only', 'yes');
    const reply = await bench.says('agent');
    expect(refIn(reply)).toBe(refIn(opened));
    const ticket = await bench.onlyTicket();
    expect(ticket.humanRequested).toBeDefined();
    expect((await bench.tickets.audit.list(ticket.ref)).map((event) => event.action)).toEqual(['ticket.opened', 'ticket.human_requested']);
  });
});

describe('status: a customer only ever sees their own tickets', () => {
  it.each([['status'], ['where is my ticket'], ['any update?']])('"%s" lists the customer\'s own ticket and its next step', async (ask) => {
    const ref = refIn(await bench.play('order AB-2024117 arrived broken', 'here only', 'yes'))!;
    const reply = await bench.says(ask);
    expect(reply).toContain(`Ticket **${ref}** is received, waiting for our team`);
  });

  it('"where is <ref>" typed in lower case mid-report answers for that ticket and re-asks the current question', async () => {
    const ref = refIn(await bench.play('order AB-2024117 arrived broken', 'here only', 'yes'))!;
    await bench.tickets.changeStatus(ref, 'in_progress', { kind: 'agent', id: 'agent-1' });
    await bench.says('report');
    const reply = await bench.says(`where is ${ref.toLowerCase()}?`);
    expect(reply).toContain(`Ticket **${ref}** is being worked on`);
    expect(reply).toMatch(ASK_ORDER);
  });

  it("someone else's reference reads as not found and shows nothing of that ticket", async () => {
    const other = await bench.tickets.open(
      { customer: { channelId: 'emulator', userId: 'someone-else' }, source: 'dm', orderNumber: 'ZZ-9999999', description: 'their secret story' },
      { kind: 'customer', id: 'someone-else' },
    );
    const reply = await bench.says(`where is ${other.ref}`);
    expect(reply).toContain(`I can't find ticket ${other.ref} for you`);
    expect(reply).not.toMatch(/waiting for our team|ZZ-9999999|secret/);
    expect(await bench.says('status')).toMatch(/can't find any ticket for you yet/);
  });
});

describe('a second report about the same order', () => {
  it('while its ticket is still active, goes onto that ticket instead of opening a duplicate', async () => {
    const first = await bench.play('order AB-2024117 arrived broken', 'here only', 'yes');
    const ref = refIn(first)!;
    await bench.play('my order AB-2024117 is still not replaced, nobody called me back', 'here only');
    const reply = await bench.says('yes');
    expect(reply).toContain(`You already have ticket **${ref}** open for order AB-2024117`);
    const tickets = await bench.allTickets();
    expect(tickets).toHaveLength(1);
    const trail = await bench.tickets.audit.list(ref);
    expect(trail.at(-1)).toMatchObject({ action: 'ticket.customer_update', actor: { kind: 'customer' }, note: 'my order AB-2024117 is still not replaced, nobody called me back' });
  });

  it('after its ticket was resolved, opens a new ticket', async () => {
    const first = await bench.play('order AB-2024117 arrived broken', 'here only', 'yes');
    await bench.tickets.changeStatus(refIn(first)!, 'resolved', { kind: 'agent', id: 'asha' });
    await bench.play('order AB-2024117 broke again after a week', 'here only');
    expect(await bench.says('yes')).toMatch(OPENED);
    expect(await bench.allTickets()).toHaveLength(2);
  });
});
