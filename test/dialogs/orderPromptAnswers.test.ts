/**
 * Answers to "What's your order number?" that hold something else the report needs (an e-mail or phone),
 * and "cancel" when nothing is under way.
 */
import { describe, expect, it } from 'vitest';
import { ASK_CONSENT, ASK_CONTACT, ASK_ORDER, SUMMARY, useDialogBench } from './dialogHarness';

const STORY_WITHOUT_ORDER = 'my parcel arrived smashed to pieces';

const bench = useDialogBench();

describe('contact details typed at the order question', () => {
  it.each([
    ['priya.r@example.com', { email: 'priya.r@example.com' }],
    ['my number is 415 555 0132', { phone: '+14155550132' }],
    ['call me on +44 7911 123456', { phone: '+447911123456' }],
  ])('when the customer answers "%s", then it is kept, the order number is asked again, and contact is not asked later', async (answer, contact) => {
    expect(await bench.says(STORY_WITHOUT_ORDER)).toMatch(ASK_ORDER);
    const reply = await bench.says(answer);
    expect(reply).toMatch(/noted how to reach you/);
    expect(reply).toMatch(ASK_ORDER);
    const afterOrder = await bench.says('AB-2024117');
    expect(afterOrder).toMatch(ASK_CONSENT);
    expect(afterOrder).not.toMatch(ASK_CONTACT);
    expect(await bench.says('yes')).toMatch(SUMMARY);
    await bench.says('yes');
    expect(await bench.onlyTicket()).toMatchObject({ orderNumber: 'AB-2024117', contact: { ...contact, consent: true } });
  });

  it('when the customer then has no order number, then "skip" carries on with the details already given', async () => {
    await bench.says(STORY_WITHOUT_ORDER);
    await bench.says('priya.r@example.com');
    expect(await bench.says('skip')).toMatch(ASK_CONSENT);
    const summary = await bench.says('yes');
    expect(summary).toContain('Order number: not given');
    expect(summary).toMatch(/e-mail p•+r@example\.com/);
  });
});

describe('"cancel" when nothing is under way', () => {
  it('when the customer says "cancel" again after cancelling, then the bot says there is nothing to stop instead of showing the menu', async () => {
    await bench.says('order AB-2024117 arrived broken, screen cracked');
    expect(await bench.says('cancel')).toMatch(/I've stopped/);
    const reply = await bench.says('cancel');
    expect(reply).toMatch(/nothing in progress to stop\. Say hi/);
    expect(reply).not.toMatch(/How can I help/);
    expect(await bench.allTickets()).toHaveLength(0);
  });
});

describe('two orders in one message', () => {
  it('when the story names two orders, then the summary shows the second as mentioned rather than dropping it silently', async () => {
    await bench.says('orders AB-2024117 and AB-2024118 both arrived damaged');
    await bench.says('priya.r@example.com');
    const summary = await bench.says('yes');
    expect(summary).toContain('Order number: AB-2024117 (also mentioned: AB-2024118, kept in your description for the team)');
    await bench.says('yes');
    const ticket = await bench.onlyTicket();
    expect(ticket.orderNumber).toBe('AB-2024117');
    expect(ticket.description).toContain('AB-2024118');
  });

  it('when the customer corrects the order to the second one, then the first is the one shown as also mentioned', async () => {
    await bench.says('orders AB-2024117 and AB-2024118 both arrived damaged');
    await bench.says('priya.r@example.com');
    await bench.says('yes');
    expect(await bench.says('it should be AB-2024118')).toContain('Order number: AB-2024118 (also mentioned: AB-2024117,');
  });
});
