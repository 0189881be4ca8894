/**
 * Every interruption at every question reached by a correction typed into the summary. The audit saw
 * "help" at the preferred-contact question (after a phone typed into the summary) crash the turn, because
 * the corrected report ran outside the dialog set that later re-prompts it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DialogBench, startDialogBench } from './dialogHarness';

const SUMMARY = /Here's what I have:[\s\S]*Shall I open the ticket\?/;
const HELP = /I'm an automated assistant\. I collect what our support team needs/;
const NO_TICKETS = /can't find any ticket for you yet/;
const CANCELLED = /I've stopped\. Nothing was sent/;
const RESTARTING = /let's start over/;
const MENU = /How can I help\?/;
const HANDOFF = /asked a person to take over ticket \*\*CS-[A-Z0-9]{6}\*\*/;
const TURN_ERROR = /something went wrong/;

/** Each correction typed into the summary, and the question it leads to. */
const CORRECTIONS = [
  { name: 'an e-mail change', says: 'change my email', asks: /What e-mail address should we use\?/ },
  { name: 'a phone change', says: 'change my phone', asks: /What phone number should we use\?/ },
  { name: 'a wrong order number', says: 'the order number is wrong', asks: /What's your order number\?/ },
  { name: 'a description change', says: 'change the description', asks: /what went wrong\?/ },
  { name: 'a contact change', says: 'change how you contact me', asks: /How can we reach you/ },
  { name: 'a phone typed into the summary', says: 'also my phone +1 415 555 0132', asks: /Which should we use first: e-mail, phone, or here in this chat\?/ },
  { name: 'an e-mail typed into the summary', says: "it's priya.new@example.com", asks: /okay for us to contact you at p\S+@example\.com/ },
  { name: 'an order number typed into the summary', says: 'the order is CD-7654321', asks: SUMMARY },
  { name: 'a "no" to the summary', says: 'no', asks: /What would you like to change/ },
];

/** Each interruption, and what the customer must hear given the question that was open. */
const INTERRUPTIONS = [
  { says: 'help', hears: [HELP], asksAgain: true, endsReport: false },
  { says: 'status', hears: [NO_TICKETS], asksAgain: true, endsReport: false },
  { says: 'cancel', hears: [CANCELLED], asksAgain: false, endsReport: true },
  { says: 'start over', hears: [RESTARTING, MENU], asksAgain: false, endsReport: false },
  { says: 'agent', hears: [HANDOFF], asksAgain: false, endsReport: true },
];

const TABLE = CORRECTIONS.flatMap((correction) => INTERRUPTIONS.map((interruption) => ({ ...correction, interruption })));

let bench: DialogBench;
beforeEach(async () => {
  bench = await startDialogBench();
});
afterEach(async () => {
  await bench.close();
});

/** The audited opening: order and story, an e-mail, consent; the summary is showing. */
async function atSummary(): Promise<void> {
  await bench.says('order AB-2024117 arrived broken');
  await bench.says('priya.r@example.com');
  expect(await bench.says('yes')).toMatch(SUMMARY);
}

describe('interruptions at a question reached by a correction from the summary', () => {
  it.each(TABLE)('when the customer says $interruption.says after $name, then the turn is answered without an error', async ({ says, asks, interruption }) => {
    await atSummary();
    expect(await bench.says(says)).toMatch(asks);
    const reply = await bench.says(interruption.says);
    expect(reply).not.toMatch(TURN_ERROR);
    for (const expected of interruption.hears) expect(reply).toMatch(expected);
    if (interruption.asksAgain) expect(reply).toMatch(asks);
    else expect(reply).not.toMatch(asks);
    if (interruption.endsReport) expect(bench.client.dialogContext?.activeDialog).toBeUndefined();
  });

  it.each(['help', 'status'])('when the customer says "%s" at the preferred-contact question after typing a phone into the summary, then the report still opens a ticket with both details', async (interruption) => {
    await atSummary();
    await bench.says('also my phone +1 415 555 0132');
    await bench.says(interruption);
    expect(await bench.says('phone')).toMatch(/okay for us to contact you/);
    expect(await bench.says('yes')).toMatch(SUMMARY);
    expect(await bench.says('yes')).toMatch(/Your ticket is \*\*CS-/);
    expect((await bench.onlyTicket()).contact).toEqual({ email: 'priya.r@example.com', phone: '+14155550132', preferred: 'phone', consent: true });
  });

  it('when the customer makes two corrections in a row and then asks for help, then the latest question is asked again', async () => {
    await atSummary();
    await bench.says('change my email');
    await bench.says('priya.new@example.com');
    expect(await bench.says('yes')).toMatch(SUMMARY);
    expect(await bench.says('change the description')).toMatch(/what went wrong\?/);
    const reply = await bench.says('help');
    expect(reply).toMatch(HELP);
    expect(reply).toMatch(/what went wrong\?/);
  });

  it('when the customer cancels after a correction, then nothing is left running and the next message starts afresh', async () => {
    await atSummary();
    await bench.says('also my phone +1 415 555 0132');
    expect(await bench.says('cancel')).toMatch(CANCELLED);
    expect(bench.client.dialogContext?.activeDialog).toBeUndefined();
    expect(await bench.allTickets()).toHaveLength(0);
    expect(await bench.says('hi')).toMatch(MENU);
  });

  it('when the customer asks for a person after a correction, then the ticket keeps what the report had gathered', async () => {
    await atSummary();
    await bench.says('the order number is wrong');
    expect(await bench.says('agent')).toMatch(HANDOFF);
    expect(bench.client.dialogContext?.activeDialog).toBeUndefined();
    expect(await bench.onlyTicket()).toMatchObject({ description: 'order AB-2024117 arrived broken', humanRequested: { reason: 'the customer asked for a person' } });
  });
});
