/**
 * What the customer says in the DM once a ticket exists, over real HTTP: the app on port 0 with a manual
 * clock, a loopback channel, tickets opened by chatting, status changes through the events API.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { DAY, type ManualClock } from '../../services/clock';
import type { FollowUpTicket } from '../../services/followUps/types';
import type { Ticket } from '../../services/tickets/types';
import { FakeChannel, type FakeUser } from '../support/fakeChannel';
import { auditActions, followUpOf, postEvent, startFollowUpApp } from '../followUps/support';

const REF = /\*\*(CS-[A-Z0-9]{6})\*\*/;
const MENU = /How can I help\?/;
const PHOTO = { contentType: 'image/jpeg', contentUrl: 'https://files.example/label.jpg', name: 'label.jpg' };

interface Bench {
  app: App;
  clock: ManualClock;
  channel: FakeChannel;
}

async function startBench(): Promise<Bench & { stop(): Promise<void> }> {
  const { app, clock } = await startFollowUpApp({ CSAT_REOPEN_DAYS: '7' });
  const channel = await new FakeChannel().start(`${app.url}/api/messages`);
  return { app, clock, channel, stop: async () => { await channel.stop(); await app.close(); } };
}

/** Opens a ticket the way a customer does: order and problem, "here only", "yes". */
async function openByChat(user: FakeUser, first = 'My order AB-2024117 never arrived'): Promise<string> {
  await user.says(first);
  await user.says('here only');
  const done = await user.says('yes');
  const match = REF.exec(done.join('\n'));
  if (!match) throw new Error(`no ticket opened: ${done.join(' | ')}`);
  return match[1];
}

function ticketsOf(bench: Bench, user: FakeUser): Promise<Ticket[]> {
  return bench.app.tickets.listForCustomer({ channelId: bench.channel.channelId, userId: user.userId });
}

async function customerUpdates(app: App, ref: string): Promise<string[]> {
  return (await app.tickets.audit.list(ref)).filter((event) => event.action === 'ticket.customer_update').map((event) => event.note ?? '');
}

/** Resolved through the events API and told by a sweep: the satisfaction question has been asked. */
async function resolveAndAsk(bench: Bench, ref: string): Promise<void> {
  expect((await postEvent(bench.app, ref, { status: 'resolved', publicNote: 'We sent a replacement.' })).status).toBe(200);
  await bench.app.followUps.sweepOnce();
  expect((await followUpOf(bench.app, ref))?.csat?.askedAt).toBeDefined();
}

describe('with an active ticket and no dialog running', () => {
  let bench: Bench & { stop(): Promise<void> };
  beforeAll(async () => {
    bench = await startBench();
  });
  afterAll(async () => bench.stop());

  it.each([
    'I also want to add that the box was wet',
    'also the box was wet',
    'The courier was rude too, order AB-2024117',
  ])('when the customer adds "%s", then it is added verbatim to the ticket and acknowledged, and no new report starts', async (text) => {
    const priya = bench.channel.user();
    const ref = await openByChat(priya);
    const reply = (await priya.says(text)).join('\n');
    expect(reply).toContain(`Added to ${ref}; the team will see it.`);
    expect(reply).not.toMatch(MENU);
    expect(await customerUpdates(bench.app, ref)).toEqual([text]);
    expect(await ticketsOf(bench, priya)).toHaveLength(1);
    // The next message is not taken as an answer to some question.
    expect((await priya.says('status')).join('\n')).toContain(`Ticket **${ref}** is`);
  });

  it.each(['thanks', 'ok', 'great', '👍', 'thank you so much!', 'ok thanks for letting me know'])(
    'when the customer says "%s", then a short acknowledgement comes back, not the menu, and nothing is added',
    async (text) => {
      const priya = bench.channel.user();
      const ref = await openByChat(priya);
      const reply = await priya.says(text);
      expect(reply).toHaveLength(1);
      expect(reply[0]).toContain(`${ref} is still with our team`);
      expect(reply[0]).not.toMatch(MENU);
      expect(await customerUpdates(bench.app, ref)).toEqual([]);
      expect(await ticketsOf(bench, priya)).toHaveLength(1);
    },
  );

  it.each(['when will you reply?', 'how long will this take?', 'When will someone get back to me'])(
    'when the customer asks "%s", then the status comes back with the expected response time',
    async (text) => {
      const priya = bench.channel.user();
      const ref = await openByChat(priya);
      const reply = (await priya.says(text)).join('\n');
      expect(reply).toContain(`Ticket **${ref}** is received, waiting for our team`);
      expect(reply).toMatch(/Our team aims to reply within about (\d+ (minutes|hours?)|a day)\./);
      expect(await customerUpdates(bench.app, ref)).toEqual([]);
    },
  );

  it('when the customer sends a photo with words, then both are added to the ticket with the file named', async () => {
    const priya = bench.channel.user();
    const ref = await openByChat(priya);
    const reply = (await priya.says('can I add a photo?', { attachments: [PHOTO] })).join('\n');
    expect(reply).toContain(`Added to ${ref}; the team will see it.`);
    const [update] = await customerUpdates(bench.app, ref);
    expect(update).toContain('can I add a photo?');
    expect(update).toContain('label.jpg');
    expect(update).toContain('image/jpeg');
  });

  it.each<[string, RegExp]>([
    ['status', /Ticket \*\*CS-[A-Z0-9]{6}\*\* is received/],
    ['agent', /I've asked a person to take over ticket \*\*CS-/],
    ['human', /I've asked a person to take over ticket \*\*CS-/],
    ['help', /I'm an automated assistant/],
    ['1', /order number/],
    ['My other order AB-2024555 arrived broken', /How can we reach you/],
    ['cancel', /nothing in progress to stop, and your ticket \*\*CS-[A-Z0-9]{6}\*\* stays open/],
    ['start over', /let's start over[\s\S]*How can I help/],
  ])('when the customer says "%s", then the explicit intent still works and nothing is added to the ticket', async (text, expected) => {
    const priya = bench.channel.user();
    const ref = await openByChat(priya);
    const reply = (await priya.says(text)).join('\n');
    expect(reply).toMatch(expected);
    expect(reply).not.toContain('Added to');
    expect(await customerUpdates(bench.app, ref)).toEqual([]);
  });

  it('when the customer starts over, then the dialogs take it and the ticket gets nothing', async () => {
    const priya = bench.channel.user();
    const ref = await openByChat(priya);
    const reply = (await priya.says('start over')).join('\n');
    expect(reply).not.toContain('Added to');
    expect(await customerUpdates(bench.app, ref)).toEqual([]);
  });

  it('when a new problem about a different order is reported, then it becomes a second ticket', async () => {
    const priya = bench.channel.user();
    const first = await openByChat(priya);
    const second = await openByChat(priya, 'My other order AB-2024555 arrived broken');
    expect(second).not.toBe(first);
    expect((await bench.app.tickets.get(second))?.orderNumber).toBe('AB-2024555');
    expect(await customerUpdates(bench.app, first)).toEqual([]);
  });

  it('when a message carries no text and no file (a card value), then nothing is answered and a running dialog keeps its question', async () => {
    const priya = bench.channel.user();
    const ref = await openByChat(priya);
    expect(await priya.says('', { value: { action: 'submit' } })).toEqual([]);
    expect(await customerUpdates(bench.app, ref)).toEqual([]);

    const sam = bench.channel.user();
    expect((await sam.says('My order AB-2024117 arrived smashed')).join('\n')).toMatch(/How can we reach you/);
    expect(await sam.says('', { value: { clicked: true } })).toEqual([]);
    expect(await sam.says('', { channelData: { postback: { payload: 'GET_STARTED' } } })).toEqual([]);
    expect((await sam.says('here only')).join('\n')).toContain("Here's what I have");
  });
});

describe('when the team asks the customer for more information', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it.each<[string, Record<string, unknown>]>([
    ['The label says DPD 12345, left at door', {}],
    ['here is the label', { attachments: [PHOTO] }],
    ['', { attachments: [PHOTO] }],
  ])('when the customer answers "%s" (with any photo), then it is added to the ticket, the ticket goes back to the team, and it is audited', async (text, extra) => {
    const bench = await startBench();
    cleanups.push(bench.stop);
    const priya = bench.channel.user();
    const ref = await openByChat(priya);
    await postEvent(bench.app, ref, { status: 'waiting_on_customer', publicNote: 'Could you send us a photo of the label?' });
    await bench.app.followUps.sweepOnce();
    expect(priya.transcript().at(-1)).toContain('photo of the label');

    const reply = (await priya.says(text, extra)).join('\n');
    expect(reply).toContain(`added that to ${ref} and passed it back to the team`);
    expect((await bench.app.tickets.get(ref))?.status).toBe('in_progress');
    const update = (await bench.app.tickets.audit.list(ref)).find((event) => event.action === 'ticket.customer_update');
    expect(update).toMatchObject({ before: { status: 'waiting_on_customer' }, after: { status: 'in_progress' }, actor: { kind: 'customer' } });
    expect(update?.note).toContain(text);
    if (extra.attachments) expect(update?.note).toContain('label.jpg');
    expect(await ticketsOf(bench, priya)).toHaveLength(1);
  });
});

describe('satisfaction answers in the chat', () => {
  let bench: Bench & { stop(): Promise<void> };
  beforeAll(async () => {
    bench = await startBench();
  });
  afterAll(async () => bench.stop());

  it.each<[string, { score: number; comment?: string }]>([
    ['five stars', { score: 5 }],
    ['4.5', { score: 5 }],
    ['10/10', { score: 5 }],
    ['7/10', { score: 4 }],
    ['I would give it a 4', { score: 4 }],
    ['⭐️⭐️⭐️⭐️', { score: 4 }],
    ['5!!! thanks so much', { score: 5, comment: 'thanks so much' }],
    ['3', { score: 3 }],
  ])('when the customer answers "%s", then the score is recorded as %o', async (text, expected) => {
    const priya = bench.channel.user();
    const ref = await openByChat(priya);
    await resolveAndAsk(bench, ref);
    expect((await priya.says(text)).join('\n')).toContain(`recorded your rating on ${ref}`);
    const csat = (await followUpOf(bench.app, ref))?.csat;
    expect({ score: csat?.score, ...(csat?.comment && { comment: csat.comment }) }).toEqual(expected);
    expect((await bench.app.tickets.get(ref))?.status).toBe('resolved');
  });

  it.each(['good', 'it was ok i guess', 'meh', 'yes', '👍', 'thank you so much, great service'])(
    'when the customer answers "%s", then it is kept as feedback and the ticket is not reopened',
    async (text) => {
      const priya = bench.channel.user();
      const ref = await openByChat(priya);
      await resolveAndAsk(bench, ref);
      const reply = (await priya.says(text)).join('\n');
      expect(reply).toContain(`passed your feedback on ${ref}`);
      expect(reply).not.toMatch(MENU);
      expect(await bench.app.tickets.get(ref)).toMatchObject({ status: 'resolved', reopenCount: 0 });
      expect((await followUpOf(bench.app, ref))?.csat).toMatchObject({ comment: text });
      expect((await auditActions(bench.app, ref)).map((event) => event.action)).toContain('followup.csat_comment');
      expect(await ticketsOf(bench, priya)).toHaveLength(1);
    },
  );

  it.each(["no it's still broken", 'not fixed', 'it never arrived', "didn't work", 'The replacement came but the box is empty'])(
    'when the customer answers "%s", then the ticket is reopened',
    async (text) => {
      const priya = bench.channel.user();
      const ref = await openByChat(priya);
      await resolveAndAsk(bench, ref);
      expect((await priya.says(text)).join('\n')).toContain(`reopened ${ref}`);
      expect(await bench.app.tickets.get(ref)).toMatchObject({ status: 'open', reopenCount: 1 });
      expect(await ticketsOf(bench, priya)).toHaveLength(1);
    },
  );

  it('when the customer reopens and then answers "5", then the rating is recorded, not the menu', async () => {
    const priya = bench.channel.user();
    const ref = await openByChat(priya);
    await resolveAndAsk(bench, ref);
    await priya.says("no it's still broken");
    const reply = (await priya.says('5')).join('\n');
    expect(reply).toContain(`recorded your rating on ${ref}`);
    expect(reply).not.toMatch(MENU);
    expect((await followUpOf(bench.app, ref))?.csat?.score).toBe(5);
  });
});

describe('several tickets, quoted references, late answers, asking for a person after the end', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function bench(): Promise<Bench> {
    const started = await startBench();
    cleanups.push(started.stop);
    return started;
  }

  it('when two tickets exist, then "5" answers the one whose satisfaction question is outstanding', async () => {
    const b = await bench();
    const priya = b.channel.user();
    const first = await openByChat(priya);
    await resolveAndAsk(b, first);
    const second = await openByChat(priya, 'My other order AB-2024555 arrived broken');
    const reply = (await priya.says('5')).join('\n');
    expect(reply).toContain(`recorded your rating on ${first}`);
    expect((await followUpOf(b.app, first))?.csat?.score).toBe(5);
    expect((await followUpOf(b.app, second))?.csat).toBeUndefined();
    expect(await customerUpdates(b.app, second)).toEqual([]);
  });

  it('when the customer quotes their own reference, then that ticket is acted on; someone else\'s reference is not', async () => {
    const b = await bench();
    const priya = b.channel.user();
    const first = await openByChat(priya);
    await resolveAndAsk(b, first);
    await priya.says('5');
    const second = await openByChat(priya, 'My other order AB-2024555 arrived broken');

    const reply = (await priya.says(`${first} is still not sorted, the refund never came`)).join('\n');
    expect(reply).toContain(`reopened ${first}`);
    expect(await b.app.tickets.get(first)).toMatchObject({ status: 'open', reopenCount: 1 });
    expect(await customerUpdates(b.app, second)).toEqual([]);

    const sam = b.channel.user();
    const samsRef = await openByChat(sam);
    await postEvent(b.app, samsRef, { status: 'closed' });
    await priya.says(`${samsRef} is still not sorted, the refund never came`);
    expect((await b.app.tickets.get(samsRef))?.status).toBe('closed');
  });

  it.each(['agent', '3', 'I want to talk to a person'])(
    'when the customer says "%s" after the ticket was closed, then the same ticket reopens and is handed to a person',
    async (text) => {
      const b = await bench();
      const priya = b.channel.user();
      const ref = await openByChat(priya);
      await postEvent(b.app, ref, { status: 'closed' });
      await b.app.followUps.sweepOnce();
      const reply = (await priya.says(text)).join('\n');
      expect(reply).toContain(`I've asked a person to take over ticket **${ref}**`);
      const ticket = await b.app.tickets.get(ref);
      expect(ticket).toMatchObject({ status: 'open', reopenCount: 1, humanRequested: { reason: 'the customer asked for a person' } });
      expect(await ticketsOf(b, priya)).toHaveLength(1);
    },
  );

  it('when the customer asks for a person after the reopen window, then a new ticket carries the old one\'s context', async () => {
    const b = await bench();
    const priya = b.channel.user();
    const ref = await openByChat(priya);
    await postEvent(b.app, ref, { status: 'closed' });
    await b.app.followUps.sweepOnce();
    b.clock.advance(8 * DAY);
    const reply = (await priya.says('agent')).join('\n');
    const tickets = await ticketsOf(b, priya);
    expect(tickets).toHaveLength(2);
    const fresh = tickets.find((ticket) => ticket.ref !== ref)!;
    expect(reply).toContain(`I've asked a person to take over ticket **${fresh.ref}**`);
    expect(fresh).toMatchObject({ orderNumber: 'AB-2024117', humanRequested: { reason: 'the customer asked for a person' } });
    expect(fresh.description).toContain(`Follow-up to ${ref}`);
    expect((await b.app.tickets.get(ref))?.status).toBe('closed');
  });

  it('when the satisfaction answer comes 10 days late, then the words and then the score are still recorded', async () => {
    const b = await bench();
    const priya = b.channel.user();
    const ref = await openByChat(priya);
    await resolveAndAsk(b, ref);
    b.clock.advance(10 * DAY);
    expect((await priya.says('it was ok i guess')).join('\n')).toContain(`passed your feedback on ${ref}`);
    expect((await priya.says('4')).join('\n')).toContain(`recorded your rating on ${ref}`);
    expect((await followUpOf(b.app, ref))?.csat).toMatchObject({ score: 4, comment: 'it was ok i guess' });
    expect(await ticketsOf(b, priya)).toHaveLength(1);
    expect((await b.app.tickets.get(ref))?.status).toBe('resolved');
  });

  it('when a closed ticket gets "ok thanks", then the answer says closed, not resolved', async () => {
    const b = await bench();
    const priya = b.channel.user();
    const ref = await openByChat(priya);
    await postEvent(b.app, ref, { status: 'closed' });
    await b.app.followUps.sweepOnce();
    const reply = (await priya.says('ok thanks')).join('\n');
    expect(reply).toContain(`${ref} is closed`);
    expect(reply).not.toContain('resolved');
    expect(((await b.app.tickets.get(ref)) as FollowUpTicket).status).toBe('closed');
  });
});
