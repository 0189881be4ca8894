/**
 * A customer whose problem went away closes their own ticket: the recognizer as a table of messy real
 * messages (those that withdraw and those that must not), then the same words through the real MainDialog.
 */
import { describe, expect, it } from 'vitest';
import { saysProblemWentAway } from '../../services/recognition/withdrawal';
import { CUSTOMER, OPENED, refIn, SUMMARY, useDialogBench } from './dialogHarness';

const CONFIRM = /Glad it's sorted! Shall I close \*\*(CS-[A-Z0-9]{6})\*\*\? \(yes\/no\)/;
const CLOSED = /I've closed \*\*CS-[A-Z0-9]{6}\*\* as sorted/;

const WITHDRAWALS = [
  'never mind, it arrived after all',
  'you can close my ticket',
  'problem solved, thanks',
  'cancel my complaint, the parcel just turned up',
  'ignore my last message, found it',
  'NEVER MIND it ARRIVED 🙈',
  'nvm it came today',
  'Hi! Never mind about my ticket, the parcel arrived this morning after all. Thanks so much 🙏',
  'sorted now thx',
  "It's sorted, you can close it",
  'the parcel has arrived!! 🎉',
  'found it in the garden lol, sorry',
  'Pls cancel my ticket',
  'you can close it, it arrived',
  'no longer need help, it turned up',
  'problm solved, thank u',
  'Package finally showed up. You can close the case.',
  'close CS-7K3M9Q',
  'no worries, found it!',
  'No need anymore, it turned up',
];

/** Stop words, complaints, order requests, questions and courtesy: none of these closes anything. */
const NOT_WITHDRAWALS = [
  'cancel',
  'never mind',
  'Cancel.',
  'forget it',
  'I want to cancel my order',
  'cancel my order please, it arrived too late',
  'it arrived broken',
  'It ARRIVED but the box was crushed 😡',
  'the parcel arrived but the wrong item',
  'it arrived opened and half empty',
  'thanks',
  'thank you so much!',
  'is it sorted?',
  'when will it be fixed',
  'my parcel never arrived',
  "it still hasn't arrived",
  "don't close my ticket, it's not sorted",
  'problem not solved',
  'where is my order',
  'The courier said it was delivered but I have nothing',
  'I got the wrong one',
  'I asked a person at the depot and they said it was delivered',
  'Order no. AB-2024117 - the order came without the charger',
  'tracking says it has been delivered, it has not',
  'the box when it arrived',
];

describe('saysProblemWentAway, as a table', () => {
  it.each(WITHDRAWALS)('"%s" withdraws the ticket', (text) => {
    expect(saysProblemWentAway(text, 'CS')).toBe(true);
  });

  it.each(NOT_WITHDRAWALS)('"%s" is not a withdrawal', (text) => {
    expect(saysProblemWentAway(text, 'CS')).toBe(false);
  });
});

describe('withdrawing a ticket in the chat', () => {
  const bench = useDialogBench();

  async function openOne(story = 'order AB-2024117 never arrived'): Promise<string> {
    await bench.play(story, 'priya.r@example.com', 'yes');
    const opened = await bench.says('yes');
    expect(opened).toMatch(OPENED);
    return refIn(opened)!;
  }

  it.each(WITHDRAWALS.filter((text) => !text.includes('CS-')))(
    'after a ticket, "%s" asks to confirm with yes/no buttons, and "yes" resolves it as withdrawn by the customer',
    async (words) => {
      const ref = await openOne();
      const reply = await bench.says(words);
      expect(reply).toMatch(CONFIRM);
      expect(CONFIRM.exec(reply)?.[1]).toBe(ref);
      const buttons = bench.client.getNextReply();
      expect(buttons).toBeUndefined();
      expect(await bench.says('yes')).toMatch(CLOSED);
      const ticket = await bench.onlyTicket();
      expect(ticket.status).toBe('resolved');
      const audit = await bench.tickets.audit.list(ref);
      expect(audit.at(-1)).toMatchObject({ action: 'ticket.status_changed', actor: { kind: 'customer', id: CUSTOMER.id }, after: { status: 'resolved' } });
      expect(audit.at(-1)?.note).toContain('withdrawn by the customer');
    },
  );

  it('the confirmation carries Yes and No buttons', async () => {
    await openOne();
    const confirm = await bench.client.sendActivity({ type: 'message', from: CUSTOMER, text: 'never mind, it arrived after all' });
    expect(confirm.text).toMatch(CONFIRM);
    expect(confirm.suggestedActions?.actions.map((action: { title?: string }) => action.title)).toEqual(['Yes', 'No']);
    expect(confirm.text).not.toMatch(/\(1\)/);
  });

  it.each(NOT_WITHDRAWALS.filter((text) => !/^(cancel|never mind|forget it|Cancel\.)$/.test(text)))(
    'after a ticket, "%s" offers no closing and leaves the ticket open',
    async (words) => {
      await openOne();
      const reply = await bench.says(words);
      expect(reply).not.toMatch(/Shall I close/);
      expect((await bench.allTickets()).every((ticket) => ticket.status === 'open')).toBe(true);
    },
  );

  it('when the customer says "no", nothing changes', async () => {
    const ref = await openOne();
    expect(await bench.says('problem solved, thanks')).toMatch(CONFIRM);
    expect(await bench.says('no')).toContain(`**${ref}** stays open`);
    expect((await bench.onlyTicket()).status).toBe('open');
    expect((await bench.tickets.audit.list(ref)).some((event) => event.action === 'ticket.status_changed')).toBe(false);
  });

  it('"cancel" alone during a report still stops the report, even with a ticket open', async () => {
    await openOne();
    await bench.says('order CD-7654321 arrived smashed');
    expect(await bench.says('cancel')).toMatch(/I've stopped/);
    expect((await bench.onlyTicket()).status).toBe('open');
  });

  it('mid-way through a second report, "never mind, the first one arrived after all" offers to close the open ticket', async () => {
    const ref = await openOne();
    await bench.says('order CD-7654321 arrived smashed');
    const reply = await bench.says('never mind, it arrived after all, you can close my ticket');
    expect(CONFIRM.exec(reply)?.[1]).toBe(ref);
    expect(await bench.says('Yes 👍')).toMatch(CLOSED);
    expect((await bench.allTickets()).map((ticket) => ticket.status)).toEqual(['resolved']);
  });

  it('with several active tickets, the bot asks which one and closes only the one picked', async () => {
    const first = await openOne('order AB-2024117 never arrived');
    const second = await openOne('order CD-7654321 arrived smashed');
    const which = await bench.says('never mind, it turned up after all');
    expect(which).toMatch(/Which one shall I close\?/);
    expect(which).toContain(first);
    expect(which).toContain(second);
    expect(await bench.says('the one for CD-7654321')).toMatch(new RegExp(`Shall I close \\*\\*${second}\\*\\*`));
    expect(await bench.says('yes please')).toMatch(CLOSED);
    const statuses = Object.fromEntries((await bench.allTickets()).map((ticket) => [ticket.ref, ticket.status]));
    expect(statuses).toEqual({ [first]: 'open', [second]: 'resolved' });
  });

  it('with several active tickets, tapping a reference button picks that ticket; "none" leaves them all open', async () => {
    const first = await openOne('order AB-2024117 never arrived');
    await openOne('order CD-7654321 arrived smashed');
    expect(await bench.says('all sorted now, thanks')).toMatch(/Which one shall I close\?/);
    expect(await bench.says(first)).toMatch(new RegExp(`Shall I close \\*\\*${first}\\*\\*`));
    expect(await bench.says('no')).toContain(`**${first}** stays open`);
    await bench.says('you can close my ticket');
    expect(await bench.says('None')).toMatch(/left your tickets as they are/);
    expect((await bench.allTickets()).map((ticket) => ticket.status)).toEqual(['open', 'open']);
  });

  it('with several active tickets, a quoted reference closes that one without asking which', async () => {
    const first = await openOne('order AB-2024117 never arrived');
    await openOne('order CD-7654321 arrived smashed');
    expect(await bench.says(`close ${first.toLowerCase()} please, it came`)).toMatch(new RegExp(`Shall I close \\*\\*${first}\\*\\*`));
    expect(await bench.says('yes')).toMatch(CLOSED);
    expect((await bench.tickets.get(first))?.status).toBe('resolved');
  });

  it("a customer cannot close someone else's ticket by quoting its reference", async () => {
    const theirs = await openOne();
    const other = await bench.send({ type: 'message', from: { id: 'user-other', name: 'Sam' }, text: `you can close ${theirs}, it arrived` });
    expect(other).toMatch(new RegExp(`can't find ticket ${theirs}`));
    expect(other).not.toMatch(/Shall I close/);
    expect((await bench.tickets.get(theirs))?.status).toBe('open');
  });

  it('before any ticket exists, a report still reads "it arrived broken" as the story', async () => {
    expect(await bench.play('order AB-2024117 it arrived broken', 'priya.r@example.com', 'yes')).toMatch(SUMMARY);
  });
});
